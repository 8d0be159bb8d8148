"""The URL parameter parser: filters, and the values it leaves out with the reason."""

from __future__ import annotations

import datetime as dt

from core.params import parse, to_params
from core.queries import Filters


def test_every_filter_is_read_and_round_trips() -> None:
    raw = {"theme": ["ai", "quantum"], "country": ["jp", "EU"], "org": [" Nvidia "], "dates": ["2024-01-01", "2024-06-30"],
           "q": ["  chips  "], "instrument": ["eu-ai-act"], "stage": ["in_force"], "actor": ["US"], "target": ["CN"],
           "rel": ["Restriction"]}
    f, ignored = parse(raw)
    assert not ignored
    assert f == Filters(("ai", "quantum"), ("JP", "EU"), ("Nvidia",), dt.date(2024, 1, 1), dt.date(2024, 6, 30), "chips",
                        ("eu-ai-act",), ("in_force",), ("US",), ("CN",), ("restriction",))
    assert parse({k: [v for kk, v in to_params(f) if kk == k] for k in raw})[0] == f


def test_bad_values_are_left_out_and_named() -> None:
    f, ignored = parse({"theme": ["foo", "ai"], "country": ["XX"], "rel": ["hugs"], "stage": ["done"],
                        "dates": ["2024-13-01", "2024-02-01"], "extra": ["1"]}, strict=True)
    assert f.themes == ("ai",) and f.countries == () and f.rels == () and f.stages == ()
    assert (f.start, f.end) == (dt.date(2024, 2, 1), None)
    assert {(i.param, i.value) for i in ignored} == {("theme", "foo"), ("country", "XX"), ("rel", "hugs"), ("stage", "done"),
                                                     ("dates", "2024-13-01"), ("extra", "1")}


def test_a_reversed_range_is_swapped_and_said() -> None:
    f, ignored = parse({"dates": ["2024-06-30", "2024-01-01"]})
    assert (f.start, f.end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert [i.param for i in ignored] == ["dates"]
