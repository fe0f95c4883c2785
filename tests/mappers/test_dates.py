"""mappers.dates: every form seen in CPD records, the order rules, the problems, and never raising."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mappers.dates import DateReading, date_order, read_date

D = dt.date

SINGLE_FORMS = [
    # ISO and timestamps (aware: the UTC date)
    ("2025-03-14", D(2025, 3, 14)),
    ("2025-03-14T10:00:00Z", D(2025, 3, 14)),
    ("2025-03-14 10:00:00+01:00", D(2025, 3, 14)),
    ("2025-03-14T00:30:00+01:00", D(2025, 3, 13)),
    ("2025-03-14T23:30:00-05:00", D(2025, 3, 15)),
    ("2025-12-05T14:12:37.753Z", D(2025, 12, 5)),
    ("2025-02-17 14:38:00", D(2025, 2, 17)),
    ("2025/03/14", D(2025, 3, 14)),
    # numeric day-first forms that prove their order
    ("14/03/2025", D(2025, 3, 14)),
    ("14.03.2025", D(2025, 3, 14)),
    ("14-03-2025", D(2025, 3, 14)),
    ("14/03/25", D(2025, 3, 14)),
    ("14/03/2025 10:00", D(2025, 3, 14)),
    ("14/03/2025 10:00 GMT", D(2025, 3, 14)),
    ("14/03/2025 23:30 BST", D(2025, 3, 14)),
    ("13/04/2025", D(2025, 4, 13)),
    ("04/13/2025", D(2025, 4, 13)),
    ("05/05/2025", D(2025, 5, 5)),
    # month names
    ("03-Feb-2025", D(2025, 2, 3)),
    ("3 Feb 2025", D(2025, 2, 3)),
    ("3 February 2025", D(2025, 2, 3)),
    ("3rd February 2025", D(2025, 2, 3)),
    ("2nd April 2025", D(2025, 4, 2)),
    ("February 3, 2025", D(2025, 2, 3)),
    ("Tuesday, 11 March 2025, 2:15 PM", D(2025, 3, 11)),
    ("Wednesday 5th of March, 2025", D(2025, 3, 5)),
    ("12 Mar 2025", D(2025, 3, 12)),
    ("9 Jan 23", D(2023, 1, 9)),
    ("SEPT 30, 2025", D(2025, 9, 30)),
    ("1er avril 2025", D(2025, 4, 1)),
    ("14 mars 2025", D(2025, 3, 14)),
    ("12 février 2025", D(2025, 2, 12)),
    ("12 fevrier 2025", D(2025, 2, 12)),
    ("3 août 2025", D(2025, 8, 3)),
    ("3. März 2025", D(2025, 3, 3)),
    ("3. Maerz 2025", D(2025, 3, 3)),
    ("03. Februar 2025", D(2025, 2, 3)),
    ("Montag, 3. März 2025, 10:00 Uhr", D(2025, 3, 3)),
    ("3 de marzo de 2025", D(2025, 3, 3)),
    ("15 de diciembre de 2025", D(2025, 12, 15)),
    # numbers: Excel serials, YYYYMMDD, epoch seconds and milliseconds
    (45714, D(2025, 2, 26)),
    (45714.5416666667, D(2025, 2, 26)),
    ("45714", D(2025, 2, 26)),
    ("45714.5416666667", D(2025, 2, 26)),
    (20250314, D(2025, 3, 14)),
    ("20250314", D(2025, 3, 14)),
    (1741946400, D(2025, 3, 14)),
    (1741946400000, D(2025, 3, 14)),
    (1741946400.5, D(2025, 3, 14)),
    # the long tail, through dateutil
    ("Fri, 14 Mar 2025 23:30:00 -0500", D(2025, 3, 15)),
    ("Mar 14 2025 10:00AM", D(2025, 3, 14)),
]


@pytest.mark.parametrize(("value", "expected"), SINGLE_FORMS, ids=[repr(v) for v, _ in SINGLE_FORMS])
def test_reads_single_date_forms(value: object, expected: dt.date) -> None:
    """Each form gives its day, no start, no assumption and no problem."""
    reading = read_date(value)  # type: ignore[arg-type]
    assert reading == DateReading(expected, original=reading.original)
    assert reading.original


RANGES = [
    ("17-18/06/2025", D(2025, 6, 17), D(2025, 6, 18)),
    ("18–19 May 2025", D(2025, 5, 18), D(2025, 5, 19)),
    ("11–12/06/2025", D(2025, 6, 11), D(2025, 6, 12)),
    ("5–6/06/2025", D(2025, 6, 5), D(2025, 6, 6)),
    ("12-13 juin 2025", D(2025, 6, 12), D(2025, 6, 13)),
    ("du 12 au 13 juin 2025", D(2025, 6, 12), D(2025, 6, 13)),
    ("3.–5. März 2025", D(2025, 3, 3), D(2025, 3, 5)),
    ("13/02/2025 - 15/02/2025", D(2025, 2, 13), D(2025, 2, 15)),
    ("2025-03-14 - 2025-03-15", D(2025, 3, 14), D(2025, 3, 15)),
    ("30 June – 1 July 2025", D(2025, 6, 30), D(2025, 7, 1)),
    ("30 Dec 2024 to 2 Jan 2025", D(2024, 12, 30), D(2025, 1, 2)),
    ("30 Dec – 2 Jan 2025", D(2024, 12, 30), D(2025, 1, 2)),
    ("30/06 - 01/07/2025", D(2025, 6, 30), D(2025, 7, 1)),
]


@pytest.mark.parametrize(("text", "start", "end"), RANGES, ids=[r[0] for r in RANGES])
def test_reads_ranges_as_first_and_last_day(text: str, start: dt.date, end: dt.date) -> None:
    """A range gives its last day as the value and its first day as the start."""
    reading = read_date(text)
    assert (reading.start, reading.value, reading.problem, reading.assumed) == (start, end, None, None)


def test_day_range_on_numeric_date_is_day_first_by_its_shape() -> None:
    """'11–12/06/2025' ranges days, so it reads day-first even when the column is month-first."""
    reading = read_date("11–12/06/2025", dayfirst=False)
    assert (reading.start, reading.value, reading.assumed) == (D(2025, 6, 11), D(2025, 6, 12), None)


def test_range_of_full_ambiguous_dates_carries_the_assumption() -> None:
    """'03/02/2025 - 05/02/2025' reads in the column's order and says so."""
    assert read_date("03/02/2025 - 05/02/2025") == DateReading(
        D(2025, 2, 5), start=D(2025, 2, 3), assumed="dayfirst", original="03/02/2025 - 05/02/2025")
    monthfirst = read_date("03/02/2025 - 05/02/2025", dayfirst=False)
    assert (monthfirst.start, monthfirst.value, monthfirst.assumed) == (D(2025, 3, 2), D(2025, 5, 2), "monthfirst")


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected", "assumed"),
    [
        ("03/04/2025", True, D(2025, 4, 3), "dayfirst"),
        ("03/04/2025", False, D(2025, 3, 4), "monthfirst"),
        ("03.04.2025", True, D(2025, 4, 3), "dayfirst"),
        ("03-04-25", False, D(2025, 3, 4), "monthfirst"),
        ("03/04/2025 10:00", True, D(2025, 4, 3), "dayfirst"),
        ("13/04/2025", False, D(2025, 4, 13), None),
        ("04/13/2025", True, D(2025, 4, 13), None),
        ("05/05/2025", False, D(2025, 5, 5), None),
        ("2025-03-04", False, D(2025, 3, 4), None),
        ("3 April 2025", False, D(2025, 4, 3), None),
        ("April 3, 2025", True, D(2025, 4, 3), None),
    ],
    ids=lambda v: repr(v),
)
def test_order_is_assumed_only_where_the_value_does_not_prove_it(
    text: str, dayfirst: bool, expected: dt.date, assumed: str | None
) -> None:
    """Ambiguous numeric dates follow `dayfirst` and say so; proven, ISO and month-name ones assume nothing."""
    reading = read_date(text, dayfirst=dayfirst)
    assert (reading.value, reading.assumed, reading.problem) == (expected, assumed, None)


PROBLEMS = [
    ("Mar-25", "month_only"),
    ("March 2025", "month_only"),
    ("mars 2025", "month_only"),
    ("03/2025", "month_only"),
    ("2025-03", "month_only"),
    ("31/02/2025", "not_a_real_date"),
    ("2025-02-30", "not_a_real_date"),
    ("32/01/2025", "not_a_real_date"),
    ("13/13/2025", "not_a_real_date"),
    ("31 February 2025", "not_a_real_date"),
    ("29/02/2025", "not_a_real_date"),
    ("garbage", "unparseable_date"),
    ("Q1 2025", "unparseable_date"),
    ("2025", "unparseable_date"),
    ("25 Mar", "unparseable_date"),
    ("1.5", "unparseable_date"),
    ("10:00", "unparseable_date"),
    ("19/06/2025 - 17/06/2025", "unparseable_date"),
    ("on 12 March 2025 at the firm's offices", "unparseable_date"),
    ("x" * 500, "unparseable_date"),
    (3, "unparseable_date"),
    (-45714, "unparseable_date"),
    (float("nan"), "unparseable_date"),
    (float("inf"), "unparseable_date"),
    (10**400, "unparseable_date"),
    (True, "unparseable_date"),
    (dt.time(10, 0), "unparseable_date"),
    (dt.timedelta(hours=1), "unparseable_date"),
]


@pytest.mark.parametrize(("value", "problem"), PROBLEMS, ids=[repr(v)[:40] for v, _ in PROBLEMS])
def test_reports_a_stable_problem_code(value: object, problem: str) -> None:
    """A value that is no day gives no value and a stable problem code, with the value as text."""
    reading = read_date(value)  # type: ignore[arg-type]
    assert (reading.value, reading.problem) == (None, problem)
    assert reading.original


@pytest.mark.parametrize("value", ["", "   ", "-", "—", "–", "n/a", "N/A", None], ids=repr)
def test_empty_cells_are_no_date_and_no_problem(value: str | None) -> None:
    """Blanks and dashes mean 'no date', which is not a problem."""
    reading = read_date(value)
    assert (reading.value, reading.start, reading.problem) == (None, None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2025, 3, 14), D(2025, 3, 14)),
        (dt.datetime(2025, 3, 14, 10, 0), D(2025, 3, 14)),
        (dt.datetime(2025, 3, 14, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))), D(2025, 3, 15)),
        (dt.datetime(2025, 3, 14, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), D(2025, 3, 13)),
    ],
    ids=["date", "naive-datetime", "aware-west", "aware-east"],
)
def test_typed_cells(value: dt.date, expected: dt.date) -> None:
    """Dates are themselves; datetimes their date, aware ones in UTC."""
    assert read_date(value).value == expected


def test_original_is_the_value_as_text() -> None:
    """`original` holds the cell as written (whitespace tidied), for messages."""
    assert read_date("  31/02/2025 ").original == "31/02/2025"
    assert read_date(45714).original == "45714"


def test_repeated_strings_come_from_the_cache() -> None:
    """The same text and order give the same (cached) reading object."""
    assert read_date("14/03/2025") is read_date("14/03/2025")
    assert read_date("03/04/2025", dayfirst=True) != read_date("03/04/2025", dayfirst=False)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["03/04/2025", "13/04/2025"], True),
        (["03.04.2025", "13.04.2025"], True),
        (["03-04-2025", "13-04-2025"], True),
        (["03/04/2025", "04/13/2025"], False),
        (["01/15/2025", None, ""], False),
        (["03/04/2025", "05/06/2025"], None),
        (["13/04/2025", "04/13/2025"], None),
        (["2025-03-14", "2025-12-31"], None),
        (["14 March 2025", D(2025, 3, 14), 45714, 13.5], None),
        (["14/03/2025 10:00 GMT"], True),
        (["17-18/06/2025"], True),
        ([], None),
    ],
    ids=["slash", "dot", "dash", "monthfirst", "monthfirst-with-blanks", "unproven", "conflict", "iso-only",
         "non-numeric-only", "with-time", "range", "empty"],
)
def test_date_order(values: list[object], expected: bool | None) -> None:
    """Only numeric d/m/y forms prove an order; evidence both ways proves nothing."""
    assert date_order(values) is expected  # type: ignore[arg-type]


def test_date_order_reads_a_generator_once() -> None:
    """Any iterable will do, including a one-shot generator."""
    assert date_order(v for v in ["01/02/2025", "25/02/2025"]) is True


# -- properties ------------------------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.times(),
    st.timedeltas(),
)
date_like_text = st.from_regex(
    r"\A[0-9]{1,4}[-/. –]{1,3}[0-9A-Za-zéäû]{1,9}[-/. ,–]{0,3}[0-9]{0,4}( [0-9:]{0,8})?( ?[A-Za-z+0-9:-]{0,6})?\Z"
)


@settings(max_examples=200, deadline=None)
@given(value=cell_values, dayfirst=st.booleans())
def test_never_raises_on_any_cell(value: object, dayfirst: bool) -> None:
    """Any cell value gives a DateReading, never an exception."""
    reading = read_date(value, dayfirst=dayfirst)  # type: ignore[arg-type]
    assert isinstance(reading, DateReading)
    assert reading.value is None or reading.problem is None


@settings(max_examples=200, deadline=None)
@given(text=date_like_text, dayfirst=st.booleans())
def test_never_raises_on_date_like_text(text: str, dayfirst: bool) -> None:
    """Text shaped like a date, but wrong in any way, still reads without raising."""
    reading = read_date(text, dayfirst=dayfirst)
    assert isinstance(reading, DateReading)
    if reading.start is not None:
        assert reading.value is not None and reading.start <= reading.value


@settings(max_examples=200, deadline=None)
@given(values=st.lists(cell_values, max_size=20))
def test_date_order_never_raises(values: list[object]) -> None:
    """date_order takes any column."""
    assert date_order(values) in (True, False, None)  # type: ignore[arg-type]


supported_days = st.dates(min_value=D(1954, 1, 1), max_value=D(2119, 12, 31))


@settings(max_examples=200, deadline=None)
@given(day=supported_days)
def test_round_trips_every_written_form(day: dt.date) -> None:
    """A day written in any supported form reads back as that day."""
    serial = (day - D(1899, 12, 30)).days
    forms = [day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d.%m.%Y"), f"{day.day} {day:%B %Y}",
             f"{day:%B} {day.day}, {day.year}", day.strftime("%A, %d %B %Y, 2:15 PM"), day.strftime("%d-%b-%Y"),
             serial, serial + 0.54, str(serial), int(day.strftime("%Y%m%d"))]
    for form in forms:
        assert read_date(form, dayfirst=True).value == day, form


@settings(max_examples=200, deadline=None)
@given(day=supported_days)
def test_month_first_round_trip(day: dt.date) -> None:
    """mm/dd/yyyy reads back under dayfirst=False, and is assumed only when both parts are 12 or less."""
    reading = read_date(day.strftime("%m/%d/%Y"), dayfirst=False)
    assert reading.value == day
    assert (reading.assumed is None) == (day.day > 12 or day.day == day.month)
