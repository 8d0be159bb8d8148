"""Plain-text explanation of a tag result: every tag, its cues, spans, sentences and score."""

from __future__ import annotations

from core.tagging.tagger import FoundTag as Tag
from core.tagging.tagger import TagResult
from core.taxonomy import KIND_TITLES


def _tag_lines(tag: Tag) -> list[str]:
    mark = "TAG " if tag.tagged else "mention"
    lines = [f"  [{mark}] {tag.value} ({tag.label})  score {tag.score:g}: {tag.reason}"]
    for ev in tag.evidence:
        lines.append(f"      {ev.layer or 'cue'} '{ev.cue}' {ev.field}[{ev.start}:{ev.end}]  \u2014 {ev.sentence}")
    return lines


def explain_text(result: TagResult) -> str:
    """A readable account of what was tagged, what was only mentioned, and why."""
    out: list[str] = []
    groups = {"theme": result.themes, "country": result.countries, "org_country": result.org_countries, "org": result.orgs}
    for kind, tags in groups.items():
        out.append(f"{KIND_TITLES[kind]}:")
        if not tags:
            out.append("  (none)")
        for tag in sorted(tags, key=lambda t: (not t.tagged, -t.score)):
            out.extend(_tag_lines(tag))
    out.append("Relations:")
    for rel in result.relations or []:
        ev = rel.evidence[0] if rel.evidence else None
        out.append(f"  {rel.source} -> {rel.target}  {rel.type}" + (f"  cue '{ev.cue}' \u2014 {ev.sentence}" if ev else ""))
    if not result.relations:
        out.append("  (none)")
    date = result.date
    if date:
        how = f"from '{date.evidence.cue}'" if date.evidence else "publication date"
        out.append(f"Event date: {date.date} ({date.precision}{', scheduled' if date.scheduled else ''}; {how})")
    return "\n".join(out)
