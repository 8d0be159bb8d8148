from __future__ import annotations

import datetime as dt

from core.tagging.dates import event_date, find_dates

PUB = dt.date(2024, 3, 30)


def test_day_without_year_resolves_forward() -> None:
    (d,) = find_dates("The summit, scheduled for April 10, will focus on chips.", PUB)
    assert (d.date, d.precision) == (dt.date(2024, 4, 10), "day")


def test_next_month_and_this_month() -> None:
    found = {d.text: (d.date, d.precision) for d in find_dates("They meet next month. The office opens this April.", PUB)}
    assert found["next month"] == (dt.date(2024, 4, 1), "month")
    assert found["this April"] == (dt.date(2024, 4, 1), "month")


def test_effective_date_with_year_is_the_event_date() -> None:
    text = "The rule takes effect on January 15, 2025, the agency said."
    d = event_date(text, dt.date(2024, 12, 2), len(text))
    assert d is not None and d.date == dt.date(2025, 1, 15) and d.precision == "day"


def test_past_dates_leave_the_publication_date() -> None:
    text = "The rules released on October 17, 2023 were clarified today."
    assert event_date(text, dt.date(2024, 4, 4), len(text)) is None


def test_day_month_order_and_cjk() -> None:
    dates = {d.text: d.date for d in find_dates("On 1 September 2023 the order enters into force; 4月10日に会談。", PUB)}
    assert dates["1 September 2023"] == dt.date(2023, 9, 1)
    assert dates["4月10日"] == dt.date(2024, 4, 10)


def test_impossible_dates_are_ignored() -> None:
    assert find_dates("on February 30 the talks resume", PUB) == []
