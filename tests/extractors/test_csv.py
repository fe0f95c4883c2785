"""CSV/TSV extraction: the samples, then encodings, delimiters and line numbers built in tmp_path."""
from __future__ import annotations

import csv as stdlib_csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import csv
from extractors.errors import IngestError, UnreadableFile
from extractors.model import Extraction, ExtractOptions, Upload

SAMPLE_FOLDER = "csv"


def test_sample(sample: Path, check_sample: Callable[[Path], Extraction | None]) -> None:
    """Each sample extracts to the tables, rows and cells its .expected.json names."""
    check_sample(sample)


def read(tmp_path: Path, data: bytes, name: str = "upload.csv", **options: int) -> Extraction:
    path = tmp_path / name
    path.write_bytes(data)
    return csv.extract(Upload.from_bytes(path.read_bytes(), name), ExtractOptions(**options)).loaded()


def cells(extraction: Extraction) -> list[tuple[object, ...]]:
    return [row.cells for row in extraction.tables[0].rows]


TEXT = "Date,Course,Cost,Learner\n12/03/2025,Trusts – an update,£120,Zoë Brontë\n14/03/2025,Client’s duties,£90,José Müller\n"
ROWS = [("Date", "Course", "Cost", "Learner"), ("12/03/2025", "Trusts – an update", "£120", "Zoë Brontë"),
        ("14/03/2025", "Client’s duties", "£90", "José Müller")]


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""), ("cp1252", b""), ("mac_roman", b""),
])
def test_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    """UTF-8 (BOM or not), UTF-16 (BOM or not), Windows-1252 and Mac Roman all give the same text."""
    assert cells(read(tmp_path, prefix + TEXT.encode(encoding))) == ROWS


def test_cp1252_bytes_are_read_as_windows_not_latin1(tmp_path: Path) -> None:
    """0x96 is an en dash and 0x92 an apostrophe (Windows-1252), never C1 controls (Latin-1)."""
    found = read(tmp_path, b"Course,Fee\nTrusts \x96 an update,\xa3120\nClient\x92s duties,\xa390\n")
    assert cells(found)[1:] == [("Trusts – an update", "£120"), ("Client’s duties", "£90")]
    assert [i.code for i in found.issues] == ["encoding_guessed"]
    assert "Windows-1252" in found.issues[0].message


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    """A byte cp1252 leaves undefined (0x81) does not stop the file being read."""
    found = read(tmp_path, "Name,Note\nRenée,caf\xe9\x81\n".encode("latin-1"))
    assert cells(found)[1][0] == "Renée"


def test_mostly_utf8_with_a_stray_byte_stays_utf8(tmp_path: Path) -> None:
    """One bad byte in a UTF-8 file does not turn every accented letter into mojibake."""
    data = ("Name,Course\n" + "Zoë Brontë,Déjà vu – the basics\n" * 30).encode("utf-8") + b"Bad,\xff\n"
    found = read(tmp_path, data)
    assert cells(found)[1] == ("Zoë Brontë", "Déjà vu – the basics")
    assert cells(found)[-1] == ("Bad", "\ufffd")
    assert [i.code for i in found.issues] == ["encoding_guessed"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_with_the_others_inside_fields(tmp_path: Path, delimiter: str) -> None:
    """Each delimiter is found even when the other candidates occur inside (quoted) fields."""
    rows = [["Title", "Provider", "Hours", "Note"],
            ["Trusts, estates; and tax", "STEP | Leeds", "1,5", "a\tb"],
            ["AML refresher", "Compliance Essentials Ltd", "2", "x, y; z"],
            ["Ethics", "ICAEW", "0,75", ""]]
    out = io.StringIO()
    stdlib_csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    assert [list(r) for r in cells(read(tmp_path, out.getvalue().encode()))] == rows


def test_semicolon_with_decimal_commas_beats_comma() -> None:
    """Decimal commas make ',' give ragged records; ';' gives the same count on every line."""
    sample = "Date;Title;Hours;Points\n01.02.2025;AML;1,5;2\n03.02.2025;Trusts;2;1,25\n04.02.2025;Tax;0,5;0,5\n"
    assert csv.choose_delimiter(sample) == ";"


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_line_numbers_are_physical_lines(tmp_path: Path, newline: str) -> None:
    """A record's locator is the line it starts on, whatever the line ends and however many lines it spans."""
    text = newline.join(['Title,Notes', 'One,"first' + newline + 'second"', "", "Two,plain", "Three,x"]) + newline
    found = read(tmp_path, text.encode())
    assert [row.location.locator for row in found.tables[0].rows] == ["line=1", "line=2", "line=4", "line=5", "line=6"]
    assert found.tables[0].rows[1].cells == ("One", "first" + newline + "second")
    assert found.tables[0].rows[2].cells == ()


def test_cells_are_trimmed_and_nuls_removed(tmp_path: Path) -> None:
    """Fields lose surrounding spaces and NUL bytes; nothing else about them changes."""
    found = read(tmp_path, b"  Title ,Hours\n\x00Tr\x00usts  ,  1.5 \t\n")
    assert cells(found) == [("Title", "Hours"), ("Trusts", "1.5")]


def test_sep_hint_line(tmp_path: Path) -> None:
    """Excel's 'sep=|' line chooses the delimiter and is not a row; line numbers still count it."""
    found = read(tmp_path, b"sep=|\nA|B,C\n1|2,3\n")
    assert [(r.location.line, r.cells) for r in found.tables[0].rows] == [(2, ("A", "B,C")), (3, ("1", "2,3"))]


def test_media_type_of_tab_separated(tmp_path: Path) -> None:
    assert read(tmp_path, b"a\tb\n1\t2\n", "x.tsv").media_type == "text/tab-separated-values"
    assert read(tmp_path, b"a,b\n1,2\n").media_type == "text/csv"


def test_empty_and_blank_files_have_no_tables(tmp_path: Path) -> None:
    assert read(tmp_path, b"").tables == ()
    assert read(tmp_path, b"\r\n  \n").tables == ()


def test_too_many_rows(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as raised:
        read(tmp_path, b"a\n" * 11, max_rows=10)
    assert raised.value.code == "too_many_rows"


def test_too_large(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as raised:
        read(tmp_path, b"a,b\n" * 100, max_bytes=100)
    assert raised.value.code == "too_large"


def test_unclosed_quote_that_swallows_the_file(tmp_path: Path) -> None:
    """A quote left open runs the field past the csv module's limit: a clear error naming the line."""
    with pytest.raises(UnreadableFile) as raised:
        read(tmp_path, b'Title,Notes\nOne,"never closed\n' + b"filler text\n" * 20_000)
    assert raised.value.code == "corrupt"
    assert "line 2" in raised.value.message


@pytest.mark.parametrize("head, name, expected", [
    (b"Title,Hours\nAML,1\nTrusts,2\n", "x.bin", True),
    (b"Title;Hours\r\nAML;1,5\r\n", "export", True),
    (b"\xff\xfeT\x00i\x00t\x00l\x00e\x00\t\x00H\x00\n\x00A\x00\t\x001\x00\n\x00", "x", True),
    (b"Just one column\nof titles\n", "titles.csv", True),
    (b"Just one column\nof titles\n", "notes", False),
    (b"", "anything", True),
    (b"<html><body><table></table></body></html>", "x.csv", False),
    (b'{"statements": []}', "x.csv", False),
    (b"[1, 2, 3]", "x.csv", False),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "x.csv", False),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "x.csv", False),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "x.csv", False),
    (bytes(range(256)), "x.csv", False),
])
def test_sniff(head: bytes, name: str, expected: bool) -> None:
    assert csv.sniff(head, name) is expected


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
                                      max_size=12), min_size=3, max_size=3), min_size=2, max_size=8),
       delimiter=st.sampled_from([",", ";", "\t", "|"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_round_trip(rows: list[list[str]], delimiter: str, encoding: str) -> None:
    """Whatever csv.writer writes (fields quoted as needed), extract gives back, trimmed."""
    out = io.StringIO()
    stdlib_csv.writer(out, delimiter=delimiter, quoting=stdlib_csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    found = csv.extract(Upload.from_bytes(out.getvalue().encode(encoding), "x.csv"), ExtractOptions()).loaded()
    assert [list(r.cells) for r in found.tables[0].rows] == [[f.strip() for f in r] for r in rows]


def test_100k_rows_keep_their_line_numbers() -> None:
    """A 100,000-row, 13-column export is read whole, every row at its physical line (its speed is shown by
    bench/bench_tables.py side by side with a bare csv.reader pass, never by a timed assertion here)."""
    line = "U00042,Learner 42,l42@firm.example,Private Client,Trusts and the Finance Act: part 3,Online Class," \
           "STEP,Completed,01/02/2025,03/02/2025,05/02/2025,1.5,OBJ-0000042\n"
    data = ("User ID,Name,Email,Department,Title,Type,Provider,Status,Registered,Started,Completed,Hours,Object\n"
            + line * 100_000).encode()
    found = csv.extract(Upload.from_bytes(data, "big.csv"), ExtractOptions()).loaded()
    assert len(found.tables[0].rows) == 100_001
    assert found.tables[0].rows[-1].location.line == 100_001


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), st.lists(st.sampled_from(
    [b",", b";", b"\t", b"|", b'"', b"\r", b"\n", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x92", b"\xa3", b"ab", b"sep=;"]),
    max_size=60).map(b"".join)))
def test_any_bytes_give_rows_or_a_clear_error(data: bytes) -> None:
    """Whatever the bytes, extract returns rows or raises IngestError, never anything else."""
    try:
        csv.extract(Upload.from_bytes(data, "x.csv"), ExtractOptions()).loaded()
    except IngestError:
        pass


BOUNDARY_TEXT = ("Course,Notes,Hours\r\n"
                 "Trusts – an update,\"first line\r\nsecond line, with £ and ’\",1.5\r\n"
                 "Zoë’s \x0cdeeds,plain,2\r"            # a form feed inside a field; a bare CR ends the line
                 "Probate,\"quoted \"\"word\"\"\",3\n"
                 "Last,no line end,4")


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64])
def test_rows_are_the_same_however_the_bytes_are_cut(monkeypatch: pytest.MonkeyPatch, encoding: str,
                                                      chunk: int, delimiter: str) -> None:
    """The text is decoded and split into lines a piece at a time: a character, a CRLF or a quoted line break
    cut between two pieces reads as if the file were read whole."""
    data = BOUNDARY_TEXT.replace(",", delimiter).replace(f"line{delimiter} with", "line, with").encode(encoding)
    whole = csv.extract(Upload.from_bytes(data, "log.csv"), ExtractOptions()).loaded()
    monkeypatch.setattr(csv, "_CHUNK_BYTES", chunk)
    pieces = csv.extract(Upload.from_bytes(data, "log.csv"), ExtractOptions()).loaded()
    assert [(r.location, r.cells) for r in pieces.tables[0].rows] == [(r.location, r.cells) for r in whole.tables[0].rows]
    assert [r.cells for r in whole.tables[0].rows] == [
        ("Course", "Notes", "Hours"), ("Trusts – an update", "first line\r\nsecond line, with £ and ’", "1.5"),
        ("Zoë’s \x0cdeeds", "plain", "2"), ("Probate", 'quoted "word"', "3"), ("Last", "no line end", "4")]
    assert [r.location.line for r in whole.tables[0].rows] == [1, 2, 4, 5, 6]
