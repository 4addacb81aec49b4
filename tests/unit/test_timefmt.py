"""iso's fast path for UTC values renders exactly what the strftime one did, for any value."""
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from shared.timefmt import iso


def _strftime_iso(value: datetime) -> str:
    """The rendering before the fast path, kept as the reference."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                         timezone(timedelta(hours=-8)), ZoneInfo("UTC"), ZoneInfo("Europe/Berlin"),
                         ZoneInfo("America/New_York")])
# Far enough from datetime's ends that converting to UTC stays in range.
MOMENTS = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31))


@given(MOMENTS, ZONES)
def test_an_aware_value_renders_as_before(moment, zone):
    value = moment.replace(tzinfo=zone)
    assert iso(value) == _strftime_iso(value)


@given(MOMENTS)
def test_a_naive_value_is_local_time_as_before(moment):
    assert iso(moment) == _strftime_iso(moment)


def test_the_edges():
    for value in (datetime(2026, 11, 29, 16, 35, 59, 999999, tzinfo=UTC),
                  datetime(2026, 11, 29, 16, 35, 59, tzinfo=UTC),
                  datetime(2026, 11, 29, 16, 35, 59, 999, tzinfo=UTC),
                  datetime(999, 12, 31, 23, 59, 59, 1000, tzinfo=UTC),
                  datetime(1000, 1, 1, tzinfo=UTC),
                  datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                  datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"), fold=1)):
        assert iso(value) == _strftime_iso(value)
    assert iso(datetime(2015, 9, 9, 15, 50, 53, 142999, tzinfo=UTC)) == "2015-09-09T15:50:53.142Z"
    assert iso(None) is None
