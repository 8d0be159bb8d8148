from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import charts


def test_timeline_figure_stacks_one_trace_per_theme() -> None:
    df = pd.DataFrame({"period": [dt.date(2024, 1, 1)] * 2 + [dt.date(2024, 2, 1)], "theme": ["ai", "trade", "ai"],
                       "events": [2, 1, 3]})
    fig = charts.timeline_figure(df, str.upper, ["trade", "ai"])
    assert [t.name for t in fig.data] == ["TRADE", "AI"]
    assert fig.layout.barmode == "stack"
    assert list(fig.data[1].y) == [2, 3]


def test_heatmap_pivots_theme_by_country() -> None:
    df = pd.DataFrame({"theme": ["ai", "ai", "trade"], "country": ["US", "JP", "US"], "events": [3, 1, 2]})
    heat = charts.heatmap_figure(df, str, str).data[0]
    assert list(heat.x) == ["US", "JP"]
    assert [list(r) for r in heat.z] == [[3, 1], [2, 0]]


def test_orgs_figure_orders_by_count_and_keeps_ids() -> None:
    df = pd.DataFrame({"org": ["a", "b"], "name": ["Alpha", "Beta"], "events": [1, 5]})
    bar = charts.orgs_figure(df).data[0]
    assert list(bar.y) == ["Alpha", "Beta"]
    assert [list(c) for c in bar.customdata] == [["Alpha"], ["Beta"]]  # the org filter takes names


def test_empty_frames_give_an_annotated_empty_chart() -> None:
    fig = charts.orgs_figure(pd.DataFrame(columns=["org", "name", "events"])).to_dict()
    assert fig["layout"]["annotations"][0]["text"] == "No data for these filters"


def test_network_figure_has_an_edge_per_pair_and_a_node_per_country() -> None:
    df = pd.DataFrame({"source": ["US", "JP"], "target": ["CN", "US"], "type": ["restriction", "cooperation"], "events": [4, 1]})
    fig = charts.network_figure(df, str)
    edges = [t for t in fig.data if t.mode == "lines" and t.x[0] is not None]
    nodes = next(t for t in fig.data if t.mode == "markers+text")
    assert len(edges) == 2
    assert sorted(nodes.text) == ["CN", "JP", "US"]
    assert edges[0].line.width > edges[1].line.width  # more events, wider edge
    assert edges[0].line.color == charts.RELATION_COLORS["restriction"]


def test_map_figure_leaves_the_eu_off() -> None:
    fig = charts.map_figure({"JP": 3, "EU": 2}, lambda c: {"JP": "JPN"}.get(c), str)
    assert list(fig.data[0].locations) == ["JPN"] and list(fig.data[0].text) == ["JP: 3 events"]


def test_map_colours_on_a_log_scale_with_real_counts_on_the_bar() -> None:
    fig = charts.map_figure({"US": 5000, "JP": 50, "FR": 1}, lambda c: {"US": "USA", "JP": "JPN", "FR": "FRA"}[c], str)
    z = list(fig.data[0].z)
    assert z == pytest.approx([math.log10(5000), math.log10(50), 0.0])
    bar = fig.data[0].colorbar
    assert list(bar.ticktext) == ["1", "10", "100", "1,000"] and list(bar.tickvals) == pytest.approx([0, 1, 2, 3])
    assert [list(c) for c in fig.data[0].customdata] == [["US"], ["JP"], ["FR"]]  # what a click puts in the filter


def test_stages_figure_marks_each_stage_and_escapes_names() -> None:
    import datetime as dt

    import pandas as pd

    from dashboard.charts import stages_figure

    df = pd.DataFrame([
        {"instrument": "<b>Act</b>", "date": dt.date(2021, 4, 21), "stage": "proposed", "title": "Proposed <i>x</i>", "event_id": "a"},
        {"instrument": "<b>Act</b>", "date": dt.date(2024, 8, 1), "stage": "in_force", "title": "In force", "event_id": "b"},
    ])
    fig = stages_figure(df, dt.date(2026, 12, 7), str.title).to_dict()
    markers = [t for t in fig["data"] if t["mode"] == "markers"]
    assert [t["name"] for t in markers] == ["Proposed", "In_Force"]
    assert all("<b>" not in y for t in fig["data"] for y in t["y"])
    assert markers[0]["customdata"] == [["a"]] and "&lt;i&gt;" in markers[0]["text"][0]


def test_a_theme_has_one_colour_in_every_chart() -> None:
    import datetime as dt

    import pandas as pd

    from dashboard.charts import theme_color, timeline_figure

    one = pd.DataFrame({"period": [dt.date(2024, 1, 1)], "theme": ["space"], "events": [2]})
    two = pd.DataFrame({"period": [dt.date(2024, 1, 1)] * 2, "theme": ["ai", "space"], "events": [1, 3]})
    colour = {t["name"]: t["marker"]["color"] for fig in (timeline_figure(one, str, ["ai", "space"]),
                                                          timeline_figure(two, str, ["ai", "space"]))
              for t in fig.to_dict()["data"]}
    assert colour["space"] == theme_color("space") != theme_color("ai") == colour["ai"]


def test_every_heatmap_row_and_column_is_labelled() -> None:
    import pandas as pd

    from dashboard.charts import heatmap_figure

    df = pd.DataFrame({"theme": ["ai", "trade", "space"] * 4, "country": ["CN", "JP", "US", "DE"] * 3, "events": range(12)})
    layout = heatmap_figure(df, str, str).to_dict()["layout"]
    assert layout["yaxis"]["dtick"] == 1 and layout["xaxis"]["dtick"] == 1


def test_the_network_is_directed_distinct_and_the_same_every_time() -> None:
    import pandas as pd

    from dashboard.charts import RELATION_DASH, network_figure

    df = pd.DataFrame({"source": ["US", "CN", "JP", "NL"], "target": ["CN", "US", "US", "CN"],
                       "type": ["restriction", "restriction", "cooperation", "competition"], "events": [3, 3, 2, 2]})
    first, again = network_figure(df, str).to_dict(), network_figure(df.sample(frac=1, random_state=3), str).to_dict()
    nodes = next(t for t in first["data"] if t.get("mode") == "markers+text")["text"]
    assert nodes == next(t for t in again["data"] if t.get("mode") == "markers+text")["text"]
    assert len(first["layout"]["annotations"]) == 3  # an arrow for each restriction or competition, none for cooperation
    assert len(set(RELATION_DASH.values())) == 3
