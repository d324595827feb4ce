"""The three ways a duration is shown; the reminder headlines, the verdict
reasons and the due list's "in 3 days" (tested there too) read these."""

from datetime import timedelta

import pytest

from core.durations import describe, describe_about, format_compact

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@pytest.mark.parametrize("delta, text", [
    (7 * DAY, "7d"), (14 * DAY, "14d"), (DAY, "1d"), (36 * HOUR, "36h"), (HOUR, "1h"),
    (90 * MINUTE, "90m"), (MINUTE, "1m"), (timedelta(seconds=90), "1m"), (timedelta(0), "0d"),
])
def test_compact_reads_back_through_the_parser(delta, text):
    assert format_compact(delta) == text


@pytest.mark.parametrize("delta, text", [
    (90 * DAY, "90 days"), (14 * DAY, "14 days"), (DAY, "1 day"), (36 * HOUR, "36 hours"), (HOUR, "1 hour"),
    (12 * HOUR, "12 hours"), (30 * MINUTE, "30 minutes"), (MINUTE, "1 minute"),
    (timedelta(seconds=1), "1 second"), (timedelta(seconds=90), "90 seconds"), (timedelta(0), "0 seconds"),
])
def test_describe_is_exact_in_the_largest_whole_unit(delta, text):
    assert describe(delta) == text


@pytest.mark.parametrize("delta, text", [
    (7 * DAY, "1 week"), (14 * DAY, "2 weeks"), (10 * DAY, "10 days"), (DAY, "1 day"), (36 * HOUR, "36 hours"),
    (MINUTE, "1 minute"),
])
def test_describe_counts_weeks_when_asked(delta, text):
    assert describe(delta, weeks=True) == text


@pytest.mark.parametrize("delta, text", [
    (3 * DAY + 5 * HOUR, "3 days"), (2 * DAY, "2 days"), (2 * DAY - MINUTE, "47 hours"), (36 * HOUR, "36 hours"),
    (2 * HOUR, "2 hours"), (2 * HOUR - MINUTE, "119 minutes"), (30 * MINUTE + timedelta(seconds=59), "30 minutes"),
    (timedelta(seconds=59), "0 minutes"), (-HOUR, "0 minutes"),
])
def test_describe_about_rounds_down(delta, text):
    assert describe_about(delta) == text
