"""mappers.durations: header units, numbers with any separators, every time form, and never raising."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mappers.durations import duration_unit, read_duration, read_number, read_worded_duration

HEADERS = [
    ("Hours", "hours"),
    ("Duration (hrs)", "hours"),
    ("Training Hours", "hours"),
    ("Total Hours", "hours"),
    ("CPD Hours", "hours"),
    ("Credit Hours", "hours"),
    ("Member's hours", "hours"),
    ("Duration (h)", "hours"),
    ("Heures", "hours"),
    ("Durée (h)", "hours"),
    ("Stunden", "hours"),
    ("Schulungsstunden", "hours"),
    ("Std.", "hours"),
    ("Horas", "hours"),
    ("Duration (min)", "minutes"),
    ("Minutes", "minutes"),
    ("Dauer (Min.)", "minutes"),
    ("mins", "minutes"),
    ("Time (mm:ss)", "minutes"),
    ("Seconds Viewed", "seconds"),
    ("total_time in seconds", "seconds"),
    ("total_time", "seconds"),
    ("Sekunden", "seconds"),
    ("Days", "days"),
    ("Tage", "days"),
    ("jours", "days"),
    ("Duration", None),
    ("Time spent", None),
    ("Time spent (hh:mm)", None),
    ("Durée", None),
    ("Dauer", None),
    ("Hours:Minutes", None),
    ("CPD points", None),
    ("Cost (£)", None),
    ("", None),
]


@pytest.mark.parametrize(("header", "unit"), HEADERS, ids=[h or "empty" for h, _ in HEADERS])
def test_duration_unit(header: str, unit: str | None) -> None:
    """A header names one unit, or none (several count as none)."""
    assert duration_unit(header) == unit


NUMBERS = [
    (2, 2.0),
    (1.5, 1.5),
    ("2", 2.0),
    ("1.5", 1.5),
    (".5", 0.5),
    ("1,5", 1.5),
    ("0,750", 0.75),
    ("1,250", 1250.0),
    ("1,250.00", 1250.0),
    ("1.250,00", 1250.0),
    ("1.250.000", 1250000.0),
    ("1 250,5", 1250.5),
    ("1\u00a0250,5", 1250.5),
    ("1'250.00", 1250.0),
    ("1.250", 1.25),
    (" 6438 ", 6438.0),
    ("-2", -2.0),
    ("\u22122", -2.0),
    ("£1,250.00", None),
    ("€12", None),
    ("50%", None),
    ("1e3", None),
    ("nan", None),
    ("inf", None),
    ("1,2,3", None),
    ("", None),
    ("-", None),
    (None, None),
    (True, None),
    (False, None),
    (float("nan"), None),
    (float("inf"), None),
    (10**400, None),
    (dt.date(2025, 1, 1), None),
    (dt.timedelta(hours=1), None),
]


@pytest.mark.parametrize(("value", "expected"), NUMBERS, ids=[repr(v)[:30] for v, _ in NUMBERS])
def test_read_number(value: object, expected: float | None) -> None:
    """Plain numbers with decimal commas or grouped thousands; currency, percent and bools are not numbers."""
    assert read_number(value) == expected  # type: ignore[arg-type]


TEXTS = [
    ("1h 30m", 90), ("1h30", 90), ("1h30min", 90), ("1h 05m", 65), ("30m", 30), ("2h", 120),
    ("1 hr 30 mins", 90), ("1 hour 30 mins", 90), ("2 hours 15 mins", 135), ("1 hour and 30 minutes", 90),
    ("2 hours, 15 mins", 135), ("1.5 hrs", 90), ("1,5 h", 90), ("0.5 hours", 30), ("90 mins", 90),
    ("45 min", 45), ("30 minutes", 30), ("2 h", 120), ("1 h 15", 75), ("1 Std. 30 Min.", 90),
    ("2 Stunden", 120), ("1 heure 30", 90), ("1 heure 30 min", 90), ("2 horas 30 minutos", 150),
    ("1 HOUR 30 MINS", 90), ("90 secs", 1.5), ("1 min 30 s", 1.5),
    ("PT1H30M", 90), ("PT5400S", 90), ("PT1.5H", 90), ("PT45M0S", 45), ("PT5.75H", 345),
    ("PT1H0M0S", 60), ("PT4500S", 75), ("P1DT2H", 1560),
    ("01:30", 90), ("1:30", 90), ("01:30:00", 90), ("0:45", 45), ("10:05:30", 605.5),
]


@pytest.mark.parametrize(("text", "minutes"), TEXTS, ids=[t for t, _ in TEXTS])
def test_reads_text_with_units(text: str, minutes: float) -> None:
    """Time written with its units reads the same whatever the column's header says."""
    assert read_duration(text, None) == pytest.approx(minutes)
    assert read_duration(text, "hours") == pytest.approx(minutes)


BARE = [
    (2, "hours", 120), (1.5, "hours", 90), ("1,5", "hours", 90), ("0.75", "hours", 45),
    (45, "minutes", 45), ("45", "minutes", 45), (6438, "seconds", 107.3), ("5400", "seconds", 90),
    (0, "hours", 0),
    (2, None, None), ("2", None, None), (2, "days", None), ("3", "days", None), (2, "fortnights", None),
    (-1, "hours", None), ("-1", "minutes", None), (float("nan"), "hours", None), (True, "hours", None),
    ("£1,250.00", "hours", None),
]


@pytest.mark.parametrize(("value", "unit", "minutes"), BARE, ids=[f"{v!r}-{u}" for v, u, _ in BARE])
def test_bare_numbers_use_the_header_unit(value: object, unit: str | None, minutes: float | None) -> None:
    """A bare number is hours, minutes or seconds as the header says; no unit, days or negative: None."""
    result = read_duration(value, unit)  # type: ignore[arg-type]
    assert result == (None if minutes is None else pytest.approx(minutes))


def test_clock_under_a_minutes_header_is_minutes_and_seconds() -> None:
    """'45:30' in a minutes column is 45 min 30 s; h:mm:ss stays h:mm:ss."""
    assert read_duration("45:30", "minutes") == pytest.approx(45.5)
    assert read_duration("01:30:00", "minutes") == pytest.approx(90)


TYPED = [
    (dt.timedelta(hours=1, minutes=30), 90),
    (dt.timedelta(hours=26), 1560),
    (dt.time(1, 30), 90),
    (dt.time(0, 45, 30), 45.5),
    (dt.datetime(1899, 12, 31, 1, 30), 1530),
]


@pytest.mark.parametrize(("value", "minutes"), TYPED, ids=["timedelta", "timedelta-over-a-day", "time",
                                                          "time-with-seconds", "excel-epoch-datetime"])
def test_typed_cells(value: object, minutes: float) -> None:
    """Excel [h]:mm cells arrive as timedelta, time, or a datetime on Excel's epoch."""
    assert read_duration(value, None) == pytest.approx(minutes)  # type: ignore[arg-type]


UNREADABLE = [
    "3 days", "1 day 2 hours", "2 jours", "½ day", "about 2 hours", "2-3 hours", "-1h", "-01:30", "P1Y", "P1M",
    "P", "PT", "30 min 1 h", "1 h 1 h", "1h 30m 20", "hours", "TBC", "n/a", "-", "", "1:75", "1.5.5 h",
    "x" * 200,
]


@pytest.mark.parametrize("text", UNREADABLE, ids=[t[:20] or "empty" for t in UNREADABLE])
def test_unreadable_text_is_none(text: str) -> None:
    """Days, ranges, approximations, negatives and out-of-order units are not read."""
    assert read_duration(text, "hours") is None


@pytest.mark.parametrize("value", [dt.date(2025, 1, 1), dt.datetime(2025, 1, 1, 1, 30), dt.timedelta(minutes=-5),
                                   None, False], ids=repr)
def test_non_durations_are_none(value: object) -> None:
    """Real dates, negative time, empty and bools are no duration."""
    assert read_duration(value, "hours") is None  # type: ignore[arg-type]


# -- time in words ---------------------------------------------------------------------------------

SPELLED = [
    ("three hours", 180), ("Two and a half hours", 150), ("an hour and a half", 90), ("half an hour", 30),
    ("forty-five minutes", 45), ("three hours and fifteen minutes", 195), ("trois heures", 180),
    ("une heure et demie", 90), ("deux heures trente", 150), ("drei Stunden", 180), ("zweieinhalb Stunden", 150),
    ("anderthalb Stunden", 90), ("eine halbe Stunde", 30), ("dos horas y media", 150), ("hora y media", 90),
    ("media hora", 30), ("cuarenta y cinco minutos", 45),
]


@pytest.mark.parametrize(("text", "minutes"), SPELLED, ids=[t for t, _ in SPELLED])
def test_hours_in_words_are_exact(text: str, minutes: float) -> None:
    """Hours and minutes written in words read like figures, with no assumption, in four languages."""
    assert read_duration(text, None) == pytest.approx(minutes)
    worded = read_worded_duration(text)
    assert worded is not None and worded.minutes == pytest.approx(minutes) and worded.assumption is None


DAYS_IN_WORDS = [
    ("half a day", 210), ("Half-day", 210), ("a full day", 420), ("one day", 420), ("2 days", 840),
    ("a day and a half", 630), ("une demi-journée", 210), ("une journée", 420), ("deux jours", 840),
    ("ein halber Tag", 210), ("ein ganzer Tag", 420), ("zwei Tage", 840), ("medio día", 210), ("un día", 420),
]


@pytest.mark.parametrize(("text", "minutes"), DAYS_IN_WORDS, ids=[t for t, _ in DAYS_IN_WORDS])
def test_days_in_words_name_their_assumption(text: str, minutes: float) -> None:
    """A day is taken as 7 hours and half a day as 3.5, and the reading says so; read_duration never guesses."""
    worded = read_worded_duration(text)
    assert worded is not None and worded.minutes == pytest.approx(minutes)
    assert worded.assumption is not None and "7 hours" in worded.assumption and "3.5 hours" in worded.assumption
    assert read_duration(text, None) is None


@pytest.mark.parametrize("text", ["Half-day workshop on trusts", "3 March 2025", "one", "hours", "about 2 hours",
                                  "2-3 hours", "one two hours", "-1 day", "a day or two", "most of the day"])
def test_text_that_is_not_only_time_is_not_read(text: str) -> None:
    """Titles, dates, ranges and vague words are no duration, in words or figures."""
    assert read_worded_duration(text) is None
    assert read_duration(text, None) is None


# -- properties ------------------------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.times(),
    st.timedeltas(),
)
units = st.sampled_from([None, "hours", "minutes", "seconds", "days"])
duration_like_text = st.from_regex(
    r"\A[Pp]?[Tt]?[0-9.,:]{1,6} ?[A-Za-zé.]{0,8} ?[0-9.,:]{0,4} ?[A-Za-z.]{0,7}\Z"
)


@settings(max_examples=200, deadline=None)
@given(value=cell_values, unit=units)
def test_read_duration_never_raises(value: object, unit: str | None) -> None:
    """Any cell gives a finite, non-negative number of minutes or None."""
    minutes = read_duration(value, unit)  # type: ignore[arg-type]
    assert minutes is None or minutes >= 0


@settings(max_examples=200, deadline=None)
@given(text=duration_like_text, unit=units)
def test_read_duration_never_raises_on_duration_like_text(text: str, unit: str | None) -> None:
    """Text shaped like a duration, right or wrong, reads without raising."""
    minutes = read_duration(text, unit)
    assert minutes is None or minutes >= 0


@settings(max_examples=200, deadline=None)
@given(value=cell_values)
def test_read_number_never_raises(value: object) -> None:
    """Any cell gives a finite float or None."""
    number = read_number(value)  # type: ignore[arg-type]
    assert number is None or isinstance(number, float)


@settings(max_examples=200, deadline=None)
@given(header=st.text(max_size=40))
def test_duration_unit_never_raises(header: str) -> None:
    """Any header gives a known unit or None."""
    assert duration_unit(header) in (None, "hours", "minutes", "seconds", "days")


@settings(max_examples=200, deadline=None)
@given(hours=st.integers(0, 99), minutes=st.integers(0, 59))
def test_written_forms_agree(hours: int, minutes: int) -> None:
    """The same time written as h:mm, '1h 30m', words and ISO 8601 reads the same."""
    total = hours * 60 + minutes
    forms = [f"{hours}:{minutes:02d}", f"PT{hours}H{minutes}M", f"PT{total * 60}S"]
    if hours and minutes:
        forms += [f"{hours}h {minutes:02d}m", f"{hours} hours {minutes} mins", f"{hours}h{minutes:02d}"]
    for form in forms:
        assert read_duration(form, None) == pytest.approx(total), form
