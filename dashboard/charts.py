"""Pure chart builders: a DataFrame in, a plotly Figure out. No Streamlit here."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito, a palette that stays distinguishable with colour-blindness, extended with
# Tol's muted colours to cover all fifteen themes.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#7F7F7F",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#AA4499",
]


def theme_color(theme: str) -> str:
    """One colour per theme for the whole app (by the theme's place in the fixed taxonomy)."""
    from core import THEME_IDS

    return PALETTE[THEME_IDS.index(theme) % len(PALETTE)] if theme in THEME_IDS else "#7F7F7F"


def plain(text: object) -> str:
    """Data text for a chart label: Plotly renders a few HTML tags in labels, so tags are escaped."""
    return html.escape(str(text), quote=False)


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, annotations=[{"text": "No data for these filters", "showarrow": False}])
    return fig


def timeline_figure(df: pd.DataFrame, label: Callable[[str], str], theme_order: list[str],
                    title: str = "Events over time by theme") -> go.Figure:
    """Stacked bars of events per period and theme: an event with two themes counts in both, so the
    axis says it counts theme tags (a stack can be taller than the number of events)."""
    if df.empty:
        return _empty(title)
    fig = go.Figure()
    for theme in (t for t in theme_order if t in set(df["theme"])):
        part = df[df["theme"] == theme]
        fig.add_bar(
            x=part["period"], y=part["events"], name=label(theme), marker_color=theme_color(theme),
            customdata=[[theme]] * len(part), hovertemplate="%{x|%b %Y}: %{y} events tagged<extra>" + label(theme) + "</extra>",
        )
    fig.update_layout(title=title, barmode="stack", xaxis_title=None, yaxis_title="Events per theme (an event counts once per theme)",
                      legend_title="Theme", height=540,
                      legend={"traceorder": "normal", "tracegroupgap": 0, "font": {"size": 11}})
    return fig


def heatmap_figure(df: pd.DataFrame, theme_label: Callable[[str], str], country_label: Callable[[str], str]) -> go.Figure:
    """Theme x country matrix of event counts."""
    title = "Themes by country"
    if df.empty:
        return _empty(title)
    matrix = df.pivot_table(index="theme", columns="country", values="events", aggfunc="sum", fill_value=0)
    matrix = matrix.loc[:, matrix.sum().sort_values(ascending=False).index[:30]]
    fig = go.Figure(go.Heatmap(
        z=matrix.values, x=[country_label(c) for c in matrix.columns], y=[theme_label(t) for t in matrix.index],
        colorscale="Viridis", hovertemplate="%{y} / %{x}: %{z} events<extra></extra>", colorbar_title="Events",
    ))
    # Every row and column labelled (Plotly would skip every other label to save room).
    fig.update_layout(title=title, xaxis_title=None, yaxis_title=None, height=480,
                      xaxis={"tickmode": "linear", "dtick": 1, "tickfont": {"size": 10}},
                      yaxis={"tickmode": "linear", "dtick": 1, "tickfont": {"size": 11}})
    return fig


def orgs_figure(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of the organizations named in most events."""
    title = "Top organizations"
    if df.empty:
        return _empty(title)
    ordered = df.sort_values("events")
    fig = go.Figure(go.Bar(
        x=ordered["events"], y=[plain(n) for n in ordered["name"]], orientation="h", marker_color=PALETTE[0],
        customdata=ordered[["name"]].values, hovertemplate="%{y}: %{x} events<extra></extra>",
    ))
    fig.update_layout(title=title, xaxis_title="Events", yaxis_title=None, height=480,
                      yaxis={"automargin": True})  # long names push the bars right instead of being cut
    return fig


RELATION_COLORS = {"cooperation": "#0072B2", "restriction": "#D55E00", "competition": "#009E73"}
# A line style per type as well as a colour, so that the types stay apart for colour-blind readers.
RELATION_DASH = {"cooperation": "solid", "restriction": "dash", "competition": "dot"}


def network_figure(df: pd.DataFrame, label: Callable[[str], str]) -> go.Figure:
    """Countries on a circle; an edge per pair and relation type, wider with more events."""
    title = "Relations between countries"
    if df.empty:
        return _empty(title)
    degree = pd.concat([df[["source", "events"]].rename(columns={"source": "c"}),
                        df[["target", "events"]].rename(columns={"target": "c"})]).groupby("c")["events"].sum()
    nodes = sorted(degree.index, key=lambda c: (-float(degree[c]), c))  # ties broken by code: the same drawing every load
    most = max(float(degree.max()), 1.0)  # node sizes relative to the busiest: 8 to 30 px at any store size
    # The busiest country in the middle (most edges touch it), the others on a circle around it.
    hub = nodes[:1] if len(nodes) > 3 else []
    ring = nodes[len(hub):]
    pos = {c: (0.0, 0.0) for c in hub}
    pos.update({c: (math.cos(math.pi / 2 + 2 * math.pi * i / len(ring)), math.sin(math.pi / 2 + 2 * math.pi * i / len(ring)))
                for i, c in enumerate(ring)})
    top = max(int(df["events"].max()), 1)
    fig = go.Figure()
    # Edges take no hover: an edge ends on its nodes, and a click there would pick the edge (which carries
    # no country) instead of the node. Their text is on an invisible marker a little before each edge's
    # middle (not the middle: the edge between two opposite nodes of the ring would put it on the hub).
    middles: list[tuple[float, float, str, list[str]]] = []
    for row in df.itertuples():
        (x0, y0), (x1, y1) = pos[row.source], pos[row.target]
        fig.add_trace(go.Scatter(
            x=[x0, x1], y=[y0, y1], mode="lines",
            line={"width": 1 + 7 * row.events / top, "color": RELATION_COLORS[row.type], "dash": RELATION_DASH[row.type]},
            name=row.type, legendgroup=row.type, showlegend=False, hoverinfo="skip",
        ))
        if row.type != "cooperation":  # who acts on whom: an arrowhead at the target, short of its node
            fig.add_annotation(x=x0 + 0.88 * (x1 - x0), y=y0 + 0.88 * (y1 - y0), ax=x0 + 0.7 * (x1 - x0),
                               ay=y0 + 0.7 * (y1 - y0), xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                               arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor=RELATION_COLORS[row.type], text="")
        middles.append((x0 + 0.45 * (x1 - x0), y0 + 0.45 * (y1 - y0),
                        plain(f"{label(row.source)} → {label(row.target)}: {row.type}, {row.events} events (click to list them)"),
                        [row.source, row.target, row.type]))
    fig.add_trace(go.Scatter(  # a small handle per edge: clicking it lists the edge's events
        x=[m[0] for m in middles], y=[m[1] for m in middles], mode="markers",
        marker={"size": 9, "color": "rgba(127,127,127,0.35)", "line": {"width": 0}},
        hovertext=[m[2] for m in middles], hoverinfo="text", customdata=[m[3] for m in middles], showlegend=False,
    ))
    for rtype, color in RELATION_COLORS.items():
        if rtype in set(df["type"]):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines",
                                     line={"color": color, "width": 4, "dash": RELATION_DASH[rtype]}, name=rtype))
    fig.add_trace(go.Scatter(
        x=[pos[c][0] for c in nodes], y=[pos[c][1] for c in nodes], mode="markers+text", text=nodes,
        textposition=["middle right" if c in hub else "top center" for c in nodes],  # the hub's label off its edges
        marker={"size": [8 + 22 * math.sqrt(degree[c] / most) for c in nodes], "color": "#7F7F7F"},
        customdata=[[c] for c in nodes], hovertext=[f"{label(c)}: {int(degree[c])} relation events" for c in nodes],
        hoverinfo="text", showlegend=False,
    ))
    fig.update_layout(title=title, height=620, xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
                      legend_title="Relation")
    return fig


def map_figure(counts: dict[str, int], iso3: Callable[[str], str | None], label: Callable[[str], str]) -> go.Figure:
    """A choropleth of events per country (the EU, not a country, is left off the map)."""
    title = "Events per country"
    rows = [(iso3(c), c, label(c), n) for c, n in counts.items() if iso3(c)]
    if not rows:
        return _empty(title)
    codes, alpha2, names, values = zip(*rows, strict=True)
    # Colour on a log scale: one country with most events would otherwise leave all others alike.
    top = max(values)
    ticks = [10 ** k for k in range(0, len(str(top))) if 10 ** k <= top]
    fig = go.Figure(go.Choropleth(
        locations=list(codes), z=[math.log10(v) for v in values], text=[f"{n}: {v:,} events" for n, v in zip(names, values, strict=True)],
        colorscale="Viridis", zmin=0, zmax=max(math.log10(top), 1),
        colorbar={"title": "Events", "tickvals": [math.log10(t) for t in ticks], "ticktext": [f"{t:,}" for t in ticks]},
        customdata=[[c] for c in alpha2], hovertemplate="%{text}<extra></extra>",
    ))
    fig.update_layout(title=title, height=560, geo={
        "showframe": False, "projection_type": "natural earth", "projection_rotation_lon": 0, "lonaxis_range": [-180, 180],
        "showcoastlines": True, "bgcolor": "rgba(0,0,0,0)", "showland": True, "landcolor": "rgba(127,127,127,0.18)",
        "showlakes": False,
    })
    return fig


UPCOMING_COLORS = {"effective date": "#0072B2", "comment deadline": "#E69F00", "scheduled event": "#009E73"}


def upcoming_figure(df: pd.DataFrame, today: dt.date) -> go.Figure:
    """Scheduled events on a time axis, one row per kind of date, with today marked."""
    title = "Scheduled events"
    if df.empty:
        return _empty(title)
    fig = go.Figure()
    for kind, color in UPCOMING_COLORS.items():
        part = df[df["kind"] == kind]
        if part.empty:
            continue
        fig.add_scatter(x=part["date"], y=[kind] * len(part), mode="markers", name=kind, text=[plain(t) for t in part["title"]],
                        marker={"size": 12, "color": color, "line": {"width": 1, "color": "#FFFFFF"}},
                        hovertemplate="%{x|%Y-%m-%d}: %{text}<extra>" + kind + "</extra>")
    fig.add_vline(x=dt.datetime.combine(today, dt.time()).timestamp() * 1000, line_dash="dot", line_color="#7F7F7F",
                  annotation_text="today")
    fig.update_layout(title=title, height=320, xaxis_title=None, yaxis_title=None, showlegend=False)
    return fig


# One colour and symbol per lifecycle stage (Okabe-Ito colours; the symbol carries the meaning too).
STAGE_STYLE = {
    "proposed": ("#7F7F7F", "circle-open"), "adopted": ("#0072B2", "circle"), "published": ("#56B4E9", "circle"),
    "in_force": ("#009E73", "diamond"), "applies": ("#009E73", "diamond-open"), "amended": ("#E69F00", "square"),
    "suspended": ("#CC79A7", "x"), "rescinded": ("#D55E00", "x-thin-open"), "expired": ("#999933", "triangle-down"),
    "struck_down": ("#D55E00", "triangle-down-open"), "other": ("#332288", "star"),
}


def stages_figure(df: pd.DataFrame, today: dt.date, stage_label: Callable[[str], str],
                  title: str = "Stages of each instrument") -> go.Figure:
    """Each instrument on its own row, its stages as marked points in time; columns instrument (the
    row's name), date, stage, title, event_id."""
    if df.empty:
        return _empty(title)
    fig = go.Figure()
    rows = list(dict.fromkeys(df["instrument"]))
    short = {n: n if len(n) <= 48 else n[:46].rstrip() + "…" for n in rows}  # the axis label; hover shows the title
    for name in rows:  # a thin line from the first stage to the last joins each instrument's stages
        part = df[df["instrument"] == name]
        fig.add_scatter(x=[part["date"].min(), part["date"].max()], y=[plain(short[name])] * 2, mode="lines",
                        line={"color": "#BBBBBB", "width": 2}, hoverinfo="skip", showlegend=False)
    for stage, (color, symbol) in STAGE_STYLE.items():
        part = df[df["stage"] == stage]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["date"], y=[plain(short[n]) for n in part["instrument"]], mode="markers", name=stage_label(stage),
            text=[plain(t) for t in part["title"]], customdata=[[i] for i in part["event_id"]],
            marker={"size": 13, "color": color, "symbol": symbol, "line": {"width": 2, "color": color}},
            hovertemplate="%{x|%Y-%m-%d}: %{text}<extra>" + stage_label(stage) + "</extra>",
        )
    fig.add_vline(x=dt.datetime.combine(today, dt.time()).timestamp() * 1000, line_dash="dot", line_color="#7F7F7F",
                  annotation_text="today")
    fig.update_layout(title=title, height=max(380, 120 + 28 * len(rows)), xaxis_title=None, yaxis_title=None,
                      yaxis={"autorange": "reversed", "automargin": True}, legend_title="Stage", xaxis={"tickformat": "%Y"})
    return fig
