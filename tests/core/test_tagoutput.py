"""The `geotech tag` output contract, in core: one object per input line, or an error naming the line."""

from __future__ import annotations

import json

import pytest

from core.tagging.tagger import Tagger
from core.tagoutput import TOO_DEEP, dumps, result_json, tag_line

CONTRACT = {"id", "themes", "countries", "org_countries", "orgs", "relations", "date", "evidence"}


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def test_a_line_becomes_the_contracts_object(tagger: Tagger) -> None:
    raw = json.dumps({"id": "a1", "date": "2024-03-01", "title": "Tokyo tightens chip tool exports",
                      "text": "Japan's trade ministry METI added 23 chipmaking tools to its export controls, "
                              "a step aimed at China."})
    out = tag_line(tagger, raw, 1)
    assert set(out) == CONTRACT
    assert out["id"] == "a1"
    assert {"export_controls", "semiconductors"} <= set(out["themes"]) and {"JP", "CN"} <= set(out["countries"])
    assert set(out["evidence"]) == {"themes", "countries", "orgs"}
    assert set(out["evidence"]["themes"]) == set(out["themes"])  # evidence for exactly the tagged values
    cue = out["evidence"]["countries"]["JP"][0]
    assert set(cue) == {"cue", "field", "start", "end", "sentence"}
    assert json.loads(dumps(out)) == json.loads(json.dumps(out, default=str))


@pytest.mark.parametrize(("raw", "error"), [
    ("{not json", "invalid JSON (Expecting property name enclosed in double quotes at column 2)"),
    ("[1, 2]", "expected a JSON object"),
    ('{"title": "no text"}', "field `text` is missing or not a string"),
    ('{"text": "x", "date": "31/02/2024"}', "field `date`: "),
    ("[" * 100_000 + "]" * 100_000, TOO_DEEP),
])
def test_a_bad_line_is_an_error_naming_it(tagger: Tagger, raw: str, error: str) -> None:
    out = tag_line(tagger, raw, 7)
    assert set(out) == {"line", "error"} and out["line"] == 7
    assert out["error"].startswith(error)


def test_ids_keep_their_json_type_and_huge_integers_become_text(tagger: Tagger) -> None:
    assert tag_line(tagger, '{"id": 12, "text": "x"}', 1)["id"] == 12
    assert tag_line(tagger, '{"id": null, "text": "x"}', 1)["id"] is None
    assert tag_line(tagger, '{"id": 123456789012345678901234567890, "text": "x"}', 1)["id"] == "123456789012345678901234567890"


def test_a_text_past_the_limit_is_cut_with_a_note(tagger: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.tagoutput.MAX_TEXT_CHARS", 40)
    monkeypatch.setattr("core.ingest.records.MAX_TEXT_CHARS", 40)
    out = tag_line(tagger, json.dumps({"text": "Japan " * 20 + "and China agreed on chips."}), 1)
    assert out["note"] == "text of 146 characters cut to the first 40"
    assert "CN" not in out["countries"]  # China lies past the cut


def test_the_result_object_has_no_id_or_note(tagger: Tagger) -> None:
    result = tagger.tag("The EU and the United States signed a semiconductor agreement.", "", None)
    assert set(result_json(result)) == CONTRACT - {"id"}


def test_without_evidence_the_object_has_no_evidence(tagger: Tagger) -> None:
    raw = json.dumps({"id": 1, "text": "Japan and the Netherlands tightened export controls on chip tools."})
    full, bare = tag_line(tagger, raw, 1), tag_line(tagger, raw, 1, evidence=False)
    assert set(bare) == CONTRACT - {"evidence"} and {k: v for k, v in full.items() if k != "evidence"} == bare
