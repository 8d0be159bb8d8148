"""Instrument status as of a day, from its dated stages."""

from __future__ import annotations

import datetime as dt

import pytest

from core.instruments import StageEvent, status

D = dt.date


def stage(day: str, name: str, scheduled: bool = False) -> StageEvent:
    return StageEvent(f"e-{day}-{name}", D.fromisoformat(day), "day", name, name, scheduled)


@pytest.mark.parametrize(("stages", "today", "expected"), [
    ([stage("2021-04-21", "proposed")], "2022-01-01", "pending"),
    ([stage("2021-04-21", "proposed"), stage("2024-03-13", "adopted")], "2024-05-01", "adopted"),
    ([stage("2024-03-13", "adopted"), stage("2024-08-01", "in_force")], "2025-01-01", "in force"),
    ([stage("2025-01-13", "adopted"), stage("2025-05-13", "rescinded")], "2026-12-07", "rescinded"),
    ([stage("2023-07-03", "adopted"), stage("2025-11-09", "suspended"), stage("2025-12-01", "other")], "2026-01-01", "suspended"),
    ([stage("2020-01-01", "in_force"), stage("2024-06-01", "struck_down")], "2025-01-01", "struck down"),
    ([stage("2024-08-01", "in_force"), stage("2030-01-01", "expired", scheduled=True)], "2026-12-07", "in force"),
])
def test_status_is_set_by_the_last_stage_that_says_something(stages: list[StageEvent], today: str, expected: str) -> None:
    assert status(stages, D.fromisoformat(today))[0] == expected


def test_in_force_since_the_stage_that_began_it_and_the_next_stage_after_today() -> None:
    stages = [stage("2024-08-01", "in_force"), stage("2025-02-02", "applies"), stage("2026-08-02", "applies", True),
              stage("2027-08-02", "applies", True)]
    current, setter, upcoming = status(stages, D(2026, 12, 7))
    assert current == "in force" and setter is not None and setter.date == D(2024, 8, 1) and not setter.scheduled
    assert upcoming is not None and upcoming.date == D(2027, 8, 2)


def test_a_status_that_only_a_passed_scheduled_date_sets_is_marked_as_such() -> None:
    stages = [stage("2025-04-04", "adopted"), stage("2025-11-07", "suspended"), stage("2026-11-10", "applies", True)]
    current, setter, upcoming = status(stages, D(2026, 12, 7))
    assert current == "in force" and setter is not None and setter.scheduled and upcoming is None
    assert status(stages, D(2026, 11, 9))[0] == "suspended"
