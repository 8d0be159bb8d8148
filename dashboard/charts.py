"""Pure chart builders: a DataFrame in, a plotly Figure out. No Streamlit here."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito, a palette that stays distinguishable with colour-blindness, extended with
# Tol's muted colours to cover all fifteen themes.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#7F7F7F",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#AA4499",
]


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, annotations=[{"text": "No data for these filters", "showarrow": False}])
    return fig


def timeline_figure(df: pd.DataFrame, label: Callable[[str], str], theme_order: list[str]) -> go.Figure:
    """Stacked bars of events per period and theme."""
    title = "Events over time by theme"
    if df.empty:
        return _empty(title)
    fig = go.Figure()
    for i, theme in enumerate(t for t in theme_order if t in set(df["theme"])):
        part = df[df["theme"] == theme]
        fig.add_bar(
            x=part["period"], y=part["events"], name=label(theme), marker_color=PALETTE[i % len(PALETTE)],
            customdata=[[theme]] * len(part), hovertemplate="%{x|%b %Y}: %{y} events<extra>" + label(theme) + "</extra>",
        )
    fig.update_layout(title=title, barmode="stack", xaxis_title=None, yaxis_title="Events", legend_title="Theme",
                      dragmode="select", height=480, legend={"traceorder": "normal"})
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
    fig.update_layout(title=title, xaxis_title=None, yaxis_title=None, height=480)
    return fig


def orgs_figure(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of the organizations named in most events."""
    title = "Top organizations"
    if df.empty:
        return _empty(title)
    ordered = df.sort_values("events")
    fig = go.Figure(go.Bar(
        x=ordered["events"], y=ordered["name"], orientation="h", marker_color=PALETTE[0],
        customdata=ordered[["org"]].values, hovertemplate="%{y}: %{x} events<extra></extra>",
    ))
    fig.update_layout(title=title, xaxis_title="Events", yaxis_title=None, dragmode="select", height=480)
    return fig
