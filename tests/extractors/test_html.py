"""HTML tables (and HTML saved as .xls): the samples, then spans, context, charsets and sniffing."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import html
from extractors.errors import IngestError, UnreadableFile
from extractors.model import Extraction, ExtractOptions, Upload

SAMPLE_FOLDER = "html"


def test_sample(sample: Path, check_sample: Callable[[Path], Extraction | None]) -> None:
    """Each sample extracts to the tables, rows, cells and context its .expected.json names."""
    check_sample(sample)


def extract(page: str | bytes, **options: int) -> Extraction:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return html.extract(Upload.from_bytes(data, "report.xls"), ExtractOptions(**options)).loaded()


def grid(found: Extraction, index: int = 0) -> list[tuple[object, ...]]:
    return [row.cells for row in found.tables[index].rows]


def test_rowspan_and_colspan_repeat_values() -> None:
    found = extract("<table><tr><td rowspan=3>A</td><td colspan=2>B</td></tr><tr><td>c</td><td rowspan=2>d</td>"
                    "</tr><tr><td>e</td></tr></table>")
    assert grid(found) == [("A", "B", "B"), ("A", "c", "d"), ("A", "e", "d")]


def test_rowspan_at_the_row_end_and_beyond_the_table() -> None:
    found = extract("<table><tr><td>a</td><td rowspan=9>R</td></tr><tr><td>b</td></tr></table>")
    assert grid(found) == [("a", "R"), ("b", "R")]


def test_one_cell_across_the_table_stays_one_cell() -> None:
    found = extract("<table><tr><td>a</td><td>b</td></tr><tr><td colspan=2>Total: 2</td></tr></table>")
    assert grid(found) == [("a", "b"), ("Total: 2",)]


def test_absurd_spans_are_capped() -> None:
    found = extract('<table><tr><td colspan="99999999">a</td><td>b</td></tr></table>')
    assert len(grid(found)[0]) == html.MAX_COLSPAN + 1


def test_cell_text_is_what_a_browser_shows() -> None:
    found = extract("<table><tr><td>\n  Trusts<br>and <b>estates</b>&nbsp;&amp; tax <p>part 2</p></td>"
                    "<td>&#x27;quoted&#39;</td><td>&nbsp;</td></tr></table>")
    assert grid(found) == [("Trusts and estates & tax part 2", "'quoted'", "")]


def test_thead_sets_header_rows_and_tfoot_comes_last() -> None:
    found = extract("<table><tfoot><tr><td>Total</td></tr></tfoot><thead><tr><th>H1</th></tr><tr><th>H2</th></tr>"
                    "</thead><tbody><tr><td>x</td></tr></tbody></table>")
    assert grid(found) == [("H1",), ("H2",), ("x",), ("Total",)]
    assert found.tables[0].header_rows == 2
    assert [r.location.locator for r in found.tables[0].rows] == [f"table=1;row={i}" for i in range(1, 5)]


def test_context_lines_before_each_table_and_after_the_last() -> None:
    found = extract("<h1>Report</h1><p>Learner: Grace Adeyemi<br>Team: Trusts</p><table><tr><td>1</td></tr></table>"
                    "<div>Second <span>table</span></div><table><tr><td>2</td></tr></table><p>Footer</p>")
    assert found.tables[0].context == ("Report", "Learner: Grace Adeyemi", "Team: Trusts")
    assert found.tables[1].context == ("Second table",)
    assert found.context == ("Footer",)


def test_nested_table_is_its_own_table() -> None:
    found = extract("<table><tr><td>outer <table><tr><td>inner</td></tr></table> end</td></tr></table>"
                    "<table><tr><td>next</td></tr></table>")
    assert [(t.name, grid(found, i)) for i, t in enumerate(found.tables)] == [
        ("Table 1", [("outer end",)]), ("Table 2", [("inner",)]), ("Table 3", [("next",)])]
    assert found.tables[1].rows[0].location.locator == "table=2;row=1"


def test_scripts_styles_and_comments_are_not_text() -> None:
    found = extract("<script>document.write('<p>x</p>')</script><style>p{}</style><!-- note --><p>Shown</p>"
                    "<table><tr><td>a<!-- hidden --></td></tr></table>")
    assert found.tables[0].context == ("Shown",) and grid(found) == [("a",)]


@pytest.mark.parametrize("data, text", [
    ('<meta charset="windows-1252"><table><tr><td>£5 – Renée’s</td></tr></table>'.encode("cp1252"), "£5 – Renée’s"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><table><tr><td>Zoë</td></tr></table>'
     .encode("latin-1"), "Zoë"),
    ("\ufeff<table><tr><td>Łukasz</td></tr></table>".encode("utf-16-le"), "Łukasz"),
    ("<table><tr><td>Zoë</td></tr></table>".encode("utf-8"), "Zoë"),
    ("<table><tr><td>Zoë</td></tr></table>".encode("cp1252"), "Zoë"),
    ('<meta charset="utf-8"><table><tr><td>Zoë</td></tr></table>'.encode("cp1252"), "Zoë"),
    ('<?xml version="1.0" encoding="utf-8"?><html><body><table><tr><td>Zoë</td></tr></table></body></html>'
     .encode("utf-8"), "Zoë"),
    ('<meta charset="no-such-codec"><table><tr><td>Zoë</td></tr></table>'.encode("utf-8"), "Zoë"),
])
def test_charsets(data: bytes, text: str) -> None:
    assert grid(extract(data)) == [(text,)]


def test_nul_bytes_are_dropped() -> None:
    assert grid(extract(b"<table><tr><td>a\x00b</td></tr></table>")) == [("ab",)]


def test_empty_and_tableless_pages() -> None:
    assert extract(b"").tables == () and extract(b"   \n").tables == ()
    assert extract("<html><body></body></html>").tables == ()


def test_too_many_rows() -> None:
    with pytest.raises(UnreadableFile) as raised:
        extract("<table>" + "<tr><td>x</td></tr>" * 30 + "</table>", max_rows=20)
    assert raised.value.code == "too_many_rows"


def test_entities_are_not_resolved_from_outside() -> None:
    """A page declaring its own entities (here an external one) is refused before parsing, and leaks nothing."""
    page = '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><table><tr><td>&x;</td></tr></table>'
    with pytest.raises(UnreadableFile) as raised:
        extract(page)
    assert raised.value.code == "xml_entities" and "root:" not in raised.value.message


@pytest.mark.parametrize("head, expected", [
    (b"<html><body>", True),
    (b"\xef\xbb\xbf\r\n  <!DOCTYPE html>\n<html>", True),
    (b"<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">", True),
    (b"<table border=1><tr>", True),
    (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', True),
    (b"<!-- generated -->\n<html>", True),
    ("\ufeff<html>".encode("utf-16-le"), True),
    (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:'
     b'office:spreadsheet" xmlns:x="urn:schemas-microsoft-com:office:excel"><Worksheet><Table>', False),
    (b'<?xml version="1.0"?><statements/>', False),
    (b"Title,Hours\n<b>x</b>,1\n", False),
    (b'{"html": "<table>"}', False),
])
def test_sniff(head: bytes, expected: bool) -> None:
    assert html.sniff(head, "x.xls") is expected


MARKUP = st.sampled_from(["<table>", "</table>", "<tr>", "<td>", "<th colspan=3>", "<td rowspan=2>", "<thead>",
                          "<tfoot>", "<br>", "<p>", "</p>", "<caption>", "<script>", "&#1;", "&#x12;", "&#0;", "&amp;",
                          "\x00", "\x01", "\ue000", "x", " ", "\u2028"])


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.one_of(MARKUP, st.text(max_size=5)), max_size=40), encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_any_markup_gives_tables_or_a_clear_error(pieces: list[str], encoding: str) -> None:
    """Whatever the markup, extract returns tables or raises IngestError, never anything else."""
    data = "".join(pieces).encode(encoding, errors="replace")
    try:
        html.extract(Upload.from_bytes(data, "x.html"), ExtractOptions()).loaded()
    except IngestError:
        pass
