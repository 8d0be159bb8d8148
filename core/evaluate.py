"""Measure the tagger against labelled gold lines (id, date, title, text, themes, countries, orgs)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.ingest.records import parse_date
from core.tagging.tagger import Tagger, TagResult

_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


@dataclass
class Scores:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, gold: set[str], predicted: set[str]) -> None:
        for v in gold & predicted:
            self.tp[v] += 1
        for v in predicted - gold:
            self.fp[v] += 1
        for v in gold - predicted:
            self.fn[v] += 1

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}

    def report(self) -> dict[str, Any]:
        keys = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        micro = self.prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))
        return {"micro": micro, "per_label": {k: self.prf(self.tp[k], self.fp[k], self.fn[k]) for k in keys}}


def org_names(gold: str) -> list[str]:
    """A gold organization string and its parenthesised short form, e.g. 'Bureau ... (BIS)'."""
    names = [_PAREN.sub(" ", gold).strip()]
    names += [m.strip(" “”\"'") for m in _PAREN.findall(gold)]
    return [n for n in names if n]


# Articles and article-bearing prepositions that lead a mention ("the Commission", "da Comissão",
# "du Conseil") in the languages of the evaluation sets; a gold name written without them is the
# same name.
_LEADING = frozenset((
    "the", "le", "la", "les", "l", "du", "des", "de", "der", "die", "das", "den", "dem", "el", "los", "las", "del",
    "o", "a", "os", "as", "do", "da", "dos", "il", "lo", "i", "gli", "della", "dello", "dei", "degli", "delle", "het",
    "al", "ao", "aos", "au", "aux", "à", "dal", "dalla", "nel", "nella", "sul", "sulla", "alla", "na", "no", "pelo",
    "pela", "im", "zum", "zur", "vom", "beim",
))


def _norm(name: str) -> str:
    words = re.sub(r"[^\w\s]", " ", name.casefold()).replace(" the ", " ").split()
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return " ".join(words)


def _contains(a: str, b: str) -> bool:
    """One name inside the other, word-aligned ("ministry of digital development" in "... of russia")."""
    short, long = sorted((a, b), key=len)
    return len(short.split()) >= 2 and f" {short} " in f" {long} "


def org_hit(gold: str, result: TagResult, tagger: Tagger) -> bool:
    """True when the predicted organizations include the gold one: same registry id, or the same name,
    or one name inside the other on word boundaries (registry names may add the country)."""
    predicted = {t.value for t in result.orgs if t.tagged}
    seen = {_norm(ev.cue) for t in result.orgs if t.tagged for ev in t.evidence}
    seen |= {_norm(name) for t in result.orgs if t.tagged for name in org_names(t.label)}
    for name in org_names(gold):
        wanted = _norm(name)
        if wanted in seen or any(_contains(wanted, have) for have in seen):
            return True
        if {t.value for t in tagger.tag(name).orgs} & predicted:
            return True
    return False


def read_gold(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: invalid JSON ({exc.msg})") from exc
        except RecursionError:
            raise InputError(f"{path}:{n}: invalid JSON (nested too deeply)") from None
        if not isinstance(obj, dict) or "text" not in obj:
            raise InputError(f"{path}:{n}: expected an object with `text`")
        yield n, obj


def evaluate(path: Path, tagger: Tagger | None = None) -> dict[str, Any]:
    """Precision, recall and F1 per theme and micro, the same for countries, and org recall."""
    tagger = tagger or Tagger()
    themes, countries = Scores(), Scores()
    orgs_total = orgs_hit = docs = 0
    misses: list[dict[str, Any]] = []
    for _n, gold in read_gold(path):
        docs += 1
        date = parse_date(gold["date"]) if gold.get("date") else None
        result = tagger.tag(gold["text"], gold.get("title") or "", date)
        themes.add(set(gold.get("themes", [])), set(result.values("theme")))
        countries.add(set(gold.get("countries", [])), set(result.values("country")))
        missed = [o for o in gold.get("orgs", []) if not org_hit(o, result, tagger)]
        orgs_total += len(gold.get("orgs", []))
        orgs_hit += len(gold.get("orgs", [])) - len(missed)
        misses.append({
            "id": gold.get("id"),
            "themes": {"missing": sorted(set(gold.get("themes", [])) - set(result.values("theme"))),
                       "extra": sorted(set(result.values("theme")) - set(gold.get("themes", [])))},
            "countries": {"missing": sorted(set(gold.get("countries", [])) - set(result.values("country"))),
                          "extra": sorted(set(result.values("country")) - set(gold.get("countries", [])))},
            "orgs_missing": missed,
        })
    return {
        "documents": docs,
        "themes": themes.report(),
        "countries": countries.report(),
        "orgs": {"recall": round(orgs_hit / orgs_total, 4) if orgs_total else 1.0, "found": orgs_hit, "total": orgs_total},
        "errors": [m for m in misses if any(m["themes"].values()) or any(m["countries"].values()) or m["orgs_missing"]],
    }
