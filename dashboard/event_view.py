"""The event view: what happened, every tag with its evidence highlighted, relations, sources.

All text from data is escaped before it reaches st.markdown; links are http(s) only.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core import KIND_TITLES, STAGE_LABELS
from dashboard import filters
from dashboard.text import escape_markdown, highlight, safe_url


def _label(tag: dict[str, Any]) -> str:
    if tag["kind"] == "theme":
        return filters.theme_label(tag["value"])
    if tag["kind"] in ("country", "org_country"):
        return filters.country_label(tag["value"])
    return str(tag["label"])


def _evidence(tag: dict[str, Any]) -> None:
    by_sentence: dict[str, list[str]] = {}
    for ev in tag["evidence"]:
        by_sentence.setdefault(ev["sentence"], []).append(ev["cue"])
    for sentence, cues in by_sentence.items():
        st.markdown("- " + highlight(sentence, cues))


def show_event(event: dict[str, Any]) -> None:
    st.subheader(escape_markdown(event["title"]), anchor=False)
    when = f"{event['date']} ({event['date_precision']})" if event["date"] else "date unknown"
    st.caption(escape_markdown(when + (" · scheduled" if event["scheduled"] else "")))
    st.markdown(escape_markdown(event["summary"]))
    if event.get("instrument_id"):
        stage = STAGE_LABELS.get(event.get("stage") or "", event.get("stage") or "")
        st.caption(escape_markdown(f"Stage: {stage} · instrument: {event['instrument_name']}"))
        st.page_link("dashboard/instruments.py", label="All stages of this instrument", icon=":material/gavel:",
                     query_params={"instrument": event["instrument_id"]})
    tags = event["tags"]
    for kind in ("theme", "country", "org"):
        tagged = [t for t in tags if t["kind"] == kind and t["tagged"]]
        passing = [t for t in tags if t["kind"] == kind and not t["tagged"]]
        st.markdown(f"**{KIND_TITLES[kind]}**")
        if not tagged:
            st.caption("none")
        for tag in tagged:
            # A curated label the text gives no cue for has no score to show: say where it comes from.
            heading = f"{_label(tag)} · score {tag['score']:g}" if tag["evidence"] else f"{_label(tag)} · curated"
            with st.expander(escape_markdown(heading), expanded=kind == "theme"):
                if tag["evidence"]:
                    _evidence(tag)
                else:
                    st.caption(escape_markdown(tag["reason"]))
        if passing:
            with st.expander(f"Passing mentions ({len(passing)}), not tagged"):
                for tag in passing:
                    st.markdown(escape_markdown(f"{_label(tag)}: {tag['reason']}"))
                    _evidence(tag)
    homes = [t for t in tags if t["kind"] == "org_country"]
    if homes:
        st.caption(escape_markdown("Home countries of named organizations (not tagged as participants): "
                                   + ", ".join(_label(t) for t in homes)))
    if event["relations"]:
        st.markdown("**Relations**")
        for rel in event["relations"]:
            arrow = "→" if rel["type"] != "cooperation" else "↔"
            line = f"{filters.country_label(rel['source'])} {arrow} {filters.country_label(rel['target'])}: {rel['type']}"
            st.markdown(escape_markdown(line))
            for ev in rel["evidence"]:
                st.markdown("- " + highlight(ev["sentence"], [ev["cue"]], color="blue"))
    for doc in event.get("documents", []):
        st.markdown("**Primary document**")
        url = safe_url(doc["url"])
        line = f"{doc['type'] or 'Document'} {doc['document_number']}: {doc['title']}"
        st.markdown(escape_markdown(line))
        dates = [f"published {doc['publication_date']}"]
        if doc["effective_on"]:
            dates.append(f"effective {doc['effective_on']}")
        if doc["comments_close_on"]:
            dates.append(f"comments close {doc['comments_close_on']}")
        st.caption(escape_markdown(" · ".join(dates)))
        if url:
            st.link_button("Open the Federal Register document", url)
    st.markdown("**Sources**")
    for src in event["sources"]:
        label = escape_markdown(f"{src['name'] or 'source'} · {src['published'] or ''} · {src['title']}")
        url = safe_url(src["url"])
        if url:
            st.link_button(escape_markdown(src["name"] or "Open source"), url)  # a label is markdown: escape it
            st.caption(label)
        else:
            st.caption(label + " (no link)")
