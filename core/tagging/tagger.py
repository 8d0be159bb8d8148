"""The tagger: themes, countries, organizations, relations and the event date of a text.

One matcher pass over "title + text" finds every cue; the rest is scoring. Each tag
keeps its evidence (cue, span, sentence). Weak, passing mentions are kept with
`tagged=False` and a reason, so an explanation can show what did not count and why.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from core.datafiles import read_toml
from core.tagging.dates import event_date
from core.tagging.lexicon import GOVERNMENT_KINDS, Lexicon, Places, load_lexicon
from core.tagging.matcher import Cue, Match, Matcher
from core.tagging.orgcontext import ContextFinder
from core.tagging.orgfinder import Spans, find_names
from core.tagging.sentences import EVIDENCE_WINDOW, Sentences

if TYPE_CHECKING:  # the models are loaded where a result becomes one (pydantic costs start-up time)
    from core.models import DatePrecision, EventDate, Evidence, Relation, Tag

THEME_THRESHOLD = 3.5
MINOR_SHARE = 0.15  # a theme not named in the title or lede needs this share of the leading theme's score
COUNTRY_THRESHOLD = 2.0
TITLE_FACTOR = 2.0
LEDE_FACTOR = 1.5
MAX_EVIDENCE = 50  # cue occurrences kept as evidence per tag (the score counts them all)
RELATION_WINDOW = 400  # characters around a relation cue in which its countries are looked for
LIST_FACTOR = 0.34  # a cue in a sentence that lists three or more themes is a passing mention
LIST_THEMES = 3
LIST_WINDOW = 40
PASSING_FACTOR = 0.2
LONG_TEXT = 200_000  # characters from which tagging pauses the cyclic garbage collector
LEDE_SENTENCES = 2  # the lede: where an event's own date and its main countries are named
THEME_LEDE_SENTENCES = 1  # a theme cue weighs more only in the first sentence: the second often gives a rationale
# A country named as a market or a comparison in passing is not a participant:
# "sales outside of China", "shipments to the EU, the U.S. and China", "Japanese-brand cars".
_PASSING_BEFORE = re.compile(r"\b(outside|beyond|except|excluding|other than)(\s+of)?(\s+the)?\s*$", re.IGNORECASE)
_MARKET = re.compile(r"\b(shipments|exports|sales|deliveries|imports|shipped|exported|sold)\s+(to|in|into|from)\s+", re.IGNORECASE)
_LIST_WORDS = frozenset({"the", "and", "or"})


def _in_market_list(before: str) -> bool:
    """True when `before` ends with "exports to" followed only by other names of a list."""
    matches = list(_MARKET.finditer(before))
    if not matches:
        return False
    last = matches[-1]
    rest = before[last.end():].replace(",", " ").split()
    return all(w[:1].isupper() or w.lower() in _LIST_WORDS for w in rest)


# Each passing pattern needs one of these words, so a text without them skips the pattern (see `_passing_words`).
_PASSING_WORDS = ("outside", "beyond", "except", "excluding", "other than")
_MARKET_VERBS = ("shipments", "exports", "sales", "deliveries", "imports", "shipped", "exported", "sold")
_MARKET_WORDS = rf"(?:{'|'.join(_MARKET_VERBS)})\s+(?:to|in|into|from)\s"
_MARKET_FOLDED = re.compile(_MARKET_WORDS)
_MARKET_ANY_CASE = re.compile(_MARKET_WORDS, re.IGNORECASE)
_PASSING_ANY_CASE = re.compile("|".join(_PASSING_WORDS), re.IGNORECASE)
# The only characters that an IGNORECASE pattern of ASCII letters matches and lower() does not turn into them:
# İ ı ſ and the Kelvin sign. Without them, lower-casing the text first finds what IGNORECASE would.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


def _passing_words(text: str) -> tuple[bool, list[tuple[int, int]]]:
    """Whether `text` holds a word of `_PASSING_BEFORE`; and the spans of the phrases that `_MARKET`
    can match (both ignoring case). `_MARKET` matches a window only around one of these spans."""
    if text.isascii() or not _CASE_TRAPS.search(text):
        low = text.lower()
        if len(low) == len(text):
            passing = "outside" in low or "beyond" in low or "except" in low or "excluding" in low or "other than" in low
            for verb in _MARKET_VERBS:
                if verb in low:
                    return passing, [m.span() for m in _MARKET_FOLDED.finditer(low)]
            return passing, []
    # No two phrases overlap (no verb starts inside a verb or a preposition), so finditer finds them all.
    return _PASSING_ANY_CASE.search(text) is not None, [m.span() for m in _MARKET_ANY_CASE.finditer(text)]


# Between a country and the company it owns: "Japan's Sojitz", "米国のIBM", "中国的华为", "미국의 IBM",
# "a chinesa Huawei", "米IBM".
_OWNER = re.compile(r"(?:['’]s\s+|\s+|の|的|의\s*)?")


_NAME_AFTER = re.compile(r"[ \t]+[A-ZÄÖÜÅÆØÉ]\w")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n«»\"“”(]\s*)$")


def _in_name(text: str, m: Match) -> bool:
    """True when a demonym that its language writes in lower case ("norsk", "deutsche") is
    capitalised inside a sentence and followed by a capitalised word: a name, "Norsk Hydro"."""
    return (m.cue.pattern[:1].islower() and text[m.start].isupper() and _NAME_AFTER.match(text, m.end) is not None
            and not _SENTENCE_END.search(text[max(0, m.start - 3):m.start]))


def _owned_from(text: str, end: int) -> int:
    """Where the name of a company owned by the country named up to `end` would start."""
    return _OWNER.match(text, end).end()  # type: ignore[union-attr]


ENUMERATION = 4  # a country among this many or more names in one list is named in passing
# In a text this long (characters of the body), a country named once, outside the title, while
# another is named SALIENT times or more, is named in passing: a comparison, a market, history, a
# member of a list ("beyond what Australia agreed with Japan or the US").
LONG_TEXT = 1500
SALIENT = 3
ONCE_NOTE = "named once in a long text about other countries: a passing mention"
_ACTORS = frozenset({"leader", "institution"})  # a head of government or a government body acts: never in passing
_PASSING_AFTER = re.compile(r"^-(brand|made|built|style|owned|flagged|bound)\b", re.IGNORECASE)
_RELATION_RANK = {"restriction": 0, "competition": 1, "cooperation": 2}
_DATE_CUE = Cue("", "date", layer="date")
_SHAPE_CUE = Cue("", "org", layer="name shape")
_CONTEXT_CUE = Cue("", "org", layer="name context")
_SEPARATOR = re.compile(r"[\s,;/]*(?:\b(?:and|or|as well as|y|et|und|e|och|и|і)\b)?[\s,;/]*|[\s、，；]*")


class Found(NamedTuple):
    """Evidence for a tag inside the tagger: like models.Evidence, with the sentence computed on demand."""

    cue: str
    field: str
    start: int
    end: int
    layer: str
    doc: _Doc

    @property
    def at(self) -> int:
        """Where the cue starts in the joined title and text (`_Doc.full`)."""
        return self.start + (0 if self.field == "title" else self.doc.offset)

    @property
    def sentence(self) -> str:
        """The sentence that holds the cue (a window of a very long one)."""
        at = self.at
        return self.doc.sentences.around(at, at + self.end - self.start)

    def model(self) -> Evidence:
        from core.models import Evidence

        return Evidence(cue=self.cue, field=self.field, start=self.start, end=self.end,  # type: ignore[arg-type]
                        sentence=self.sentence, layer=self.layer)


def evidence_json(found: list[Found]) -> list[dict[str, object]]:
    """The first MAX_EVIDENCE pieces of evidence as the output contract's objects (models.EVIDENCE_FIELDS);
    a short sentence is made once per text, for every cue in it."""
    if not found:
        return []
    doc = found[0].doc
    sentences, offset = doc.sentences, doc.offset
    starts, around, made = sentences.starts, sentences.around, sentences.short
    last = len(starts) - 1
    out = []
    for cue, field, start, end, _layer, _doc in found[:MAX_EVIDENCE]:
        at = start if field == "title" else start + offset
        i = bisect_right(starts, at) - 1
        sentence = made.get(i)
        if sentence is None:
            sentence = around(at, at + end - start)
            if i < last and starts[i + 1] - starts[i] <= 2 * EVIDENCE_WINDOW:  # whole, whatever the cue
                made[i] = sentence
        out.append({"cue": cue, "field": field, "start": start, "end": end, "sentence": sentence})
    return out


class FoundTag(NamedTuple):
    """A tag inside the tagger: like models.Tag, cheap to build (see `model` for the boundary model)."""

    kind: str
    value: str
    label: str
    score: float  # rounded to 2 places
    tagged: bool
    evidence: list[Found]
    raw_score: float
    threshold: float
    why: str

    @property
    def reason(self) -> str:
        """Why the tag was given or withheld, in one line."""
        if self.why:
            return self.why
        if self.tagged:
            return f"score {self.raw_score:.1f} >= {self.threshold:.1f}"
        return f"score {self.raw_score:.1f} < {self.threshold:.1f}: passing mention"

    def model(self) -> Tag:
        from core.models import Tag

        return Tag(kind=self.kind, value=self.value, label=self.label, score=self.score, tagged=self.tagged,  # type: ignore[arg-type]
                   reason=self.reason, evidence=tuple(e.model() for e in self.evidence[:MAX_EVIDENCE]))


class FoundDate(NamedTuple):
    """The event date of a text inside the tagger: like models.EventDate (see `model`), cheap to build."""

    date: dt.date | None
    precision: DatePrecision
    scheduled: bool
    evidence: Found | None  # the date mention, when the date comes from the text

    def model(self) -> EventDate:
        from core.models import EventDate

        return EventDate(date=self.date, precision=self.precision, scheduled=self.scheduled,
                         evidence=self.evidence.model() if self.evidence else None)


class TagResult:
    """What the tagger found in one text."""

    def __init__(self) -> None:
        self.themes: list[FoundTag] = []
        self.countries: list[FoundTag] = []
        self.org_countries: list[FoundTag] = []
        self.orgs: list[FoundTag] = []
        self.pairs: list[tuple[str, str, str, Found]] = []  # (source, target, type, evidence) of each relation
        self.date: FoundDate | None = None
        self._relations: list[Relation] | None = None

    @property
    def relations(self) -> list[Relation]:
        """Relations between countries, sorted by source and target."""
        if self._relations is None:
            from core.models import Relation

            self._relations = [
                Relation(source=a, target=b, type=rtype, evidence=(ev.model(),))  # type: ignore[arg-type]
                for a, b, rtype, ev in self.pairs
            ]
        return self._relations

    def values(self, kind: str) -> list[str]:
        """Values of the tags of one kind that reached a tag (not passing mentions)."""
        tags = {"theme": self.themes, "country": self.countries, "org_country": self.org_countries, "org": self.orgs}[kind]
        return [t.value for t in tags if t.tagged]

    def labels(self, kind: str) -> list[str]:
        tags = {"theme": self.themes, "country": self.countries, "org": self.orgs}[kind]
        return [t.label for t in tags if t.tagged]

    def all_tags(self) -> list[FoundTag]:
        return [*self.themes, *self.countries, *self.org_countries, *self.orgs]


class _Doc:
    """The text being tagged: title and body joined, with a way back to each field."""

    __slots__ = ("full", "lede_end", "offset", "published", "sentences", "text", "theme_lede_end", "title")

    def __init__(self, title: str, text: str, published: dt.date | None) -> None:
        self.title, self.text, self.published = title, text, published
        self.offset = len(title) + 2 if title else 0
        self.full = f"{title}\n\n{text}" if title else text
        self.sentences = Sentences(self.full)
        first = self.sentences.index(self.offset)
        last = min(first + LEDE_SENTENCES, len(self.sentences)) - 1
        self.lede_end = self.sentences.span(last)[1]
        self.theme_lede_end = self.sentences.span(min(first + THEME_LEDE_SENTENCES, len(self.sentences)) - 1)[1]

    def evidence(self, m: Match) -> Found:
        start, end = m.start, m.end
        if start < self.offset:
            return _new(Found, (self.full[start:end], "title", start, end, m.cue.layer, self))
        base = self.offset
        return _new(Found, (self.full[start:end], "text", start - base, end - base, m.cue.layer, self))

    def after_marker(self, markers: _Marks, start: int) -> bool:
        """True when one of `markers` ends before `start` in the sentence that holds `start`."""
        if not markers:
            return False
        return markers.within(self.sentences.span(self.sentences.index(start))[0], start)

    def before_marker(self, markers: _Marks, end: int) -> bool:
        """True when one of `markers` starts after `end` in the sentence that holds `end`."""
        return markers.within(end, self.sentences.span(self.sentences.index(end - 1))[1] + 1)


class _Marks:
    """Spans sorted by start (context phrases, market phrases), for look-ups in logarithmic time,
    so that a long text with many of them stays linear."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    @classmethod
    def of(cls, matches: list[Match]) -> _Marks:
        return cls([(m.start, m.end) for m in matches])

    def __bool__(self) -> bool:
        return bool(self.starts)

    def within(self, lo: int, hi: int) -> bool:
        """True when a span lies inside [lo, hi)."""
        ends = self.ends
        i = bisect_left(self.starts, lo)
        j = bisect_left(self.starts, hi, i)
        return any(ends[k] <= hi for k in range(i, j))

    def start_holding(self, start: int, end: int) -> int | None:
        """The start of the span that holds [start, end), or None."""
        j = bisect_right(self.starts, start)
        return self.starts[j - 1] if j > 0 and self.ends[j - 1] >= end else None

    def holding(self, start: int, end: int) -> bool:
        """True when a span holds [start, end) (the spans do not overlap)."""
        j = bisect_right(self.starts, start)
        return j > 0 and self.ends[j - 1] >= end


_new = tuple.__new__


def _tag(kind: str, value: str, label: str, score: float, threshold: float, evidence: list[Found], why: str = "",
         anchored: bool = True) -> FoundTag:
    return _new(FoundTag, (kind, value, label, round(score, 2), score >= threshold and anchored, evidence, score, threshold, why))


class _CountryScan:
    """What the country rules look at in one document; the costlier looks are made on first need.

    `weigh` runs a mention through COUNTRY_RULES: first the first rule of stage 1 that holds (a
    mention to skip, a company's home, or a passing one), then the first passing rule of stage 2,
    then, when no rule has made the mention a passing one, the rules of stage 3.
    """

    def __init__(self, doc: _Doc, by_kind: dict[str, list[Match]], places: Places, controls: bool,
                 company_at: dict[int, str]) -> None:
        self.doc, self.full, self.by_kind, self.places, self.controls = doc, doc.full, by_kind, places, controls
        self.company_at = company_at  # where a named company starts, and its home: "Japan's Sojitz"
        self.background, self.backdrop = _Marks.of(by_kind["background"]), _Marks.of(by_kind["backdrop"])
        self.citation = _Marks.of(by_kind["citation"])
        self._passing: bool | None = None
        self._market = _Marks([])
        self._acts: _Marks | None = None
        self._ends: dict[int, Match] | None = None
        self._restricting: set[int] | None = None
        self._lists: dict[int, int] | None = None

    def weigh(self, code: str, m: Match, weight: float) -> float | None:
        """The mention's weight after the rules; None to skip it, -1.0 for a company's home."""
        base = weight
        for stage, rules in enumerate(_rules_for(m.cue.layer), start=1):
            if stage == 3 and weight != base:
                break
            for rule in rules:
                if rule.holds(self, code, m):
                    if rule.verdict == "skip":
                        return None
                    if rule.verdict == "home":
                        return -1.0
                    weight *= PASSING_FACTOR
                    break
        return weight

    def restricted(self, start: int) -> bool:
        """True when the sentence at `start` restricts something: "the US added China's Huawei to a
        blacklist" names China as the target of a measure, not only as Huawei's home. (In the title
        and lede, "China's DeepSeek released ..." names the event's own country.)"""
        if self._restricting is None:
            index = self.doc.sentences.index
            self._restricting = {index(r.start) for r in self.by_kind["relation"] if r.cue.target == "restriction"}
        return self.doc.sentences.index(start) in self._restricting

    def country_ending_at(self, end: int) -> Match | None:
        """The country mention that ends at `end`, if any (made on first need)."""
        if self._ends is None:
            self._ends = {m.end: m for m in self.by_kind["country"]}
        return self._ends.get(end)

    def cited_acts(self) -> _Marks:
        """Spans of EU acts cited by their number or kind with their authors (made on first need)."""
        if self._acts is None:
            full, spans = self.full, []
            for m in self.by_kind["act_authors"]:
                lo = max(0, m.start - 60)
                if before := _ACT_BEFORE.search(full, lo, m.start):
                    spans.append((before.start(), m.end))
                elif after := _ACT_AFTER.match(full, m.end):
                    spans.append((m.start, after.end()))
            self._acts = _Marks(spans)
        return self._acts

    def list_size(self, start: int) -> int:
        """How many country names stand in the list that holds the mention at `start` (1 outside a list)."""
        if self._lists is None:
            self._lists = {}
            group: list[int] = []
            last_end = -1
            full = self.full
            for c in sorted(self.by_kind["country"], key=lambda c: c.start):
                if group and not _PASSING["list_gap"].fullmatch(full, last_end, c.start):
                    for s in group:
                        self._lists[s] = len(group)
                    group = []
                group.append(c.start)
                last_end = max(last_end, c.end) if group[:-1] else c.end
            for s in group:
                self._lists[s] = len(group)
        return self._lists.get(start, 1)

    def passing_words(self) -> tuple[bool, _Marks]:
        """Whether the text holds a word of `_PASSING_BEFORE`; and its market phrases (none when the
        text is about export controls)."""
        if self._passing is None:
            self._passing, spans = _passing_words(self.full)
            self._market = _Marks([] if self.controls else spans)
        return self._passing, self._market


@dataclass(frozen=True)
class CountryRule:
    """One named rule for a country mention: when `holds`, the mention is skipped, goes to a company's
    home, or is a passing one (its weight times PASSING_FACTOR)."""

    name: str
    verdict: str  # skip | home | passing
    holds: Callable[[_CountryScan, str, Match], bool]
    layer: str = ""  # the only cue layer the rule can hold for ("" for any)


def _currency(scan: _CountryScan, code: str, m: Match) -> bool:
    return scan.full.startswith("$", m.end)  # "US$ 6 billion", "HK$"


def _venue(scan: _CountryScan, code: str, m: Match) -> bool:
    return m.cue.layer == "capital" and scan.places.venue(scan.full, m.start, m.end)  # "the Baku talks"


def _company_home(scan: _CountryScan, code: str, m: Match) -> bool:
    full, start, layer = scan.full, m.start, m.cue.layer
    return (scan.places.company_home(full, start, m.end, layer)  # "the Chinese firm"
            or (start >= scan.doc.lede_end and scan.company_at.get(_owned_from(full, m.end)) == code
                and not scan.restricted(start))  # "... built with Japan's Sojitz"
            or (layer == "demonym" and _in_name(full, m)))  # "Norsk Hydro", "Deutsche Telekom"


def _nationality(scan: _CountryScan, code: str, m: Match) -> bool:
    return m.cue.layer == "demonym" and scan.places.person(scan.full, m.start, m.end)  # "the Austrian privacy activist"


def _compound(scan: _CountryScan, code: str, m: Match) -> bool:
    return scan.full.startswith("-", m.end) and _PASSING_AFTER.match(scan.full[m.end: m.end + 8]) is not None  # "China-made"


def _passing_phrase(scan: _CountryScan, code: str, m: Match) -> bool:
    passing, market = scan.passing_words()
    if not (passing or market):
        return False
    lo = max(0, m.start - 60)
    return bool((passing and _PASSING_BEFORE.search(scan.full[lo:m.start]))  # "sales outside China"
                or (market.within(lo, m.start) and _in_market_list(scan.full[lo:m.start])))  # "exports to the US and Japan"


def _background(scan: _CountryScan, code: str, m: Match) -> bool:
    start = m.start  # context after the lede: "amid the U.S.-China trade dispute"
    return start >= scan.doc.lede_end and (scan.doc.after_marker(scan.background, start) or scan.backdrop.holding(start, m.end))


_LANGUAGE_MENU = re.compile(r"(?:^|\n|[•·|])[ \t]*[a-z]{2}[ \t]+[-–][ \t]+$")  # "• de - Deutsch", one entry per line


def _alternatives(words: list[str]) -> str:
    """A regex alternation of phrases as written (longest first, spaces matching any run of spaces)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _passing_patterns() -> dict[str, re.Pattern[str]]:
    """The passing markers of core/data/context.toml ([passing]), compiled once."""
    words = read_toml("context.toml")["passing"]
    article = rf"(?:\s+(?:{_alternatives(words['articles'])}))?"
    latin = [w for w in words["list_words"] if w.isascii() and not w.endswith("'")]  # whole words
    elided = [w for w in words["list_words"] if w.endswith("'")]  # "l'Allemagne": the name follows at once
    other = [w for w in words["list_words"] if not w.isascii()]  # CJK particles stand between names
    return {
        "comparison": re.compile(rf"\b(?:{_alternatives(words['comparison'])}){article}\s*$", re.IGNORECASE),
        "cause": re.compile(rf"\b(?:{_alternatives(words['cause'])}){article}\s*$", re.IGNORECASE),
        "locative": re.compile(rf"(?:^|\s)(?:{_alternatives(words['locative'])})\s+$", re.IGNORECASE),
        "company": re.compile(rf"\s+(?:{_alternatives(words['company_suffixes'])})(?!\w)"),
        "list_gap": re.compile(rf"(?:[\s,;/、，・()（）]|(?<!\w)(?:{_alternatives(latin)})(?!\w)|(?<!\w)(?:{_alternatives(elided)})|"
                               rf"{_alternatives(other)})*"),
    }


_PASSING = _passing_patterns()
_COMPANY_SUFFIX, _COMPARISON, _CAUSE_BEFORE, _LOCATIVE = (
    _PASSING["company"], _PASSING["comparison"], _PASSING["cause"], _PASSING["locative"])


def _language_menu(scan: _CountryScan, code: str, m: Match) -> bool:
    return m.cue.layer == "demonym" and _LANGUAGE_MENU.search(scan.full, max(0, m.start - 12), m.start) is not None  # "de - Deutsch"


def _in_company_name(scan: _CountryScan, code: str, m: Match) -> bool:
    return _COMPANY_SUFFIX.match(scan.full, m.end) is not None  # "Facebook Ireland Limited"


def _place_of_stay(scan: _CountryScan, code: str, m: Match) -> bool:
    return m.cue.layer == "capital" and _LOCATIVE.search(scan.full, max(0, m.start - 8), m.start) is not None  # "two weeks in Paris"


def _compared(scan: _CountryScan, code: str, m: Match) -> bool:
    return _COMPARISON.search(scan.full, max(0, m.start - 24), m.start) is not None  # "well ahead of China", "wie die USA"


def _in_cited_act(scan: _CountryScan, code: str, m: Match) -> bool:
    # "... aplica el Reglamento (UE) 2024/1689 del Parlamento Europeo y del Consejo": the act's authors
    # in a citation, not a party; an act named by its number alone may be the subject ("Regulation (EU)
    # 2023/2854 sets rules on ...")
    return scan.cited_acts().holding(m.start, m.end)


def _in_citation(scan: _CountryScan, code: str, m: Match) -> bool:
    # in the citations of a resolution or an act: "Having regard to its resolution on Russia's war ..."
    return bool(scan.citation) and m.start >= scan.doc.offset and scan.doc.after_marker(scan.citation, m.start)


def _in_backdrop(scan: _CountryScan, code: str, m: Match) -> bool:
    # a conflict given as the cause of the story, in the title and lede too: "in response to Russia's
    # invasion of Ukraine, BIS imposed ..." (but "Russia's invasion of Ukraine entered its third year")
    at = scan.backdrop.start_holding(m.start, m.end)
    return at is not None and _CAUSE_BEFORE.search(scan.full, max(0, at - 40), at) is not None


_WORDS = read_toml("words.toml")["tagger"]
_NATIONAL_BODY = re.compile(rf"\s+(?:{_alternatives(_WORDS['national_bodies'])})(?!\w)")
_DAY_BEFORE = frozenset(_WORDS["day_before"])
# the number of an EU act: "(UE) 2024/1689", "(EU) No 428/2009", "2008/944/GASP"
_ACT_NUMBER = (r"(?:\((?:EU|UE|EC|CE|EG|EEC|CEE|EWG|EGKS|EU, Euratom)\)\s*(?:No\.?|Nr\.?|n\.?\s?[º°o]\.?)?\s*\d{1,4}/\d{1,4}"
               r"|\d{4}/\d{1,4}/(?:EU|UE|EC|CE|EG|EEC|CEE|EWG|GASP|CFSP|PESC|JHA|JAI|JI))")
# before an act's authors ("... 2024/1689 del Parlamento Europeo y del Consejo", "Propuesta de
# Reglamento del Parlamento ..."), or after them ("Europaparlamentets och rådets förordning (EU) ...")
_ACT_BEFORE = re.compile(rf"(?:{_ACT_NUMBER},?|(?<!\w)(?:{_alternatives(_WORDS['act_nouns'])}))\s+$")
_ACT_AFTER = re.compile(rf"\s+\w+\s+{_ACT_NUMBER}")
# a body's acts and offices, and the words a name never ends with (days, months: "Council on Tuesday")
_BODY_ACTS = frozenset(_WORDS["body_acts"]) | frozenset(read_toml("words.toml")["orgfinder"]["tail"])
_LINK = r"(?:of|on|for|de|des|du|della|di|do|da|dos|das|del|für|van|voor)"
_WORD_AFTER = re.compile(rf"(?:\s+[^\W\d_][\w'’-]*)?\s+{_LINK}\s+([^\W\d_][\w'’-]*)")
_ARTICLE = r"(?:(?:the|la|le|l'|el|die|der|den|o|a|il|lo)\s+)?"
_PAIR_FIRST = re.compile(rf"(?<!\w)(?:{_alternatives(_WORDS['pair_links'])})\s+{_ARTICLE}$", re.IGNORECASE)
_PAIR_SECOND = re.compile(rf"(?<!\w)(?:{_alternatives(_WORDS['pair_links'])})\s+{_ARTICLE}[\w .'’-]{{2,40}}?\s+"
                          rf"(?:{_alternatives(_WORDS['pair_joins'])})\s+{_ARTICLE}$", re.IGNORECASE)


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’]*)[\s-]+$")


def _head_of_a_name(full: str, end: int) -> bool:
    """Whether a bare one-word name ending at `end` ("Comisión") opens another name ("Comisión de
    Asuntos Exteriores", "Commission on Human Rights", "Comissão Consultiva das Mutações"): a linking
    word and a capitalised word follow (after at most one more word that is then capitalised too),
    and that word is not one of the body's acts or offices."""
    m = _WORD_AFTER.match(full, end)
    if m is None or not m.group(1)[0].isupper() or m.group(1) in _BODY_ACTS:
        return False
    between = full[end : m.start(1)].split()
    return len(between) == 1 or between[0][0].isupper()


def _tail_of_a_name(full: str, start: int) -> bool:
    """Whether a bare one-word name at `start` ("Council") ends another name ("Human Rights Council"):
    the word before it is written as a name word (capital, then small letters, or an acronym of three
    letters or more: "TRIPS Council") and does not open its sentence ("In Parliament" stays); a
    two-letter short form before it qualifies the name ("US Commerce")."""
    before = full[max(0, start - 60) : start]
    m = _WORD_BEFORE.search(before)
    if m is None or "\n" in m.group(0):
        return False
    word = m.group(1)
    if not ((word.istitle() and len(word) > 1) or (word.isupper() and len(word) > 2)):
        return False
    opening = before[: m.start()]
    return bool(opening.strip()) and "\n" not in opening[len(opening.rstrip()) :] and opening.rstrip()[-1] not in ".!?:;\"“(•"


def _in_a_pair(full: str, start: int) -> bool:
    """True when the name at `start` is one end of a link between two ("connecting Germany and Finland")."""
    before = full[max(0, start - 80):start]
    return _PAIR_FIRST.search(before) is not None or _PAIR_SECOND.search(before) is not None
_SHARE_AFTER = re.compile(r"\s*\(\s*(?:both\s+|all\s+|each\s+)?\d+(?:[.,]\d+)?\s*(?:%|per\s*cent|percent)")


def _day_word(scan: _CountryScan, code: str, m: Match) -> bool:
    # "近日印发" (recently issued), "21日中国" (the 21st, then China): the 日 belongs to a day
    full = scan.full
    return (m.cue.layer == "shorthand" and full.startswith("日", m.start) and m.start > 0
            and full[m.start - 1] in _DAY_BEFORE)


def _statistic(scan: _CountryScan, code: str, m: Match) -> bool:
    # a country given a share in a table of figures: "well ahead of China (16 %)", "Turkey (7 %)"
    return _SHARE_AFTER.match(scan.full, m.end) is not None


_NAME_BEFORE_PARENTHESIS = re.compile(r"(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*\s*\(|[\u3040-\u30ff\u4e00-\u9fff]\s*[(（])$")


def _parenthesized(scan: _CountryScan, code: str, m: Match) -> bool:
    # a name's country in parentheses: a city's ("held in Cancún (Mexico)") or a speaker's ("David
    # Kendall (Canada), Chair of the Committee"); the country neither acts nor is acted upon. Not an
    # abbreviation ("the European Union (EU)", "Regulation (EU) 2023/2854"), which names the actor.
    full = scan.full
    return (full.startswith((")", "）"), m.end) and not full[m.start:m.end].isupper()
            and _NAME_BEFORE_PARENTHESIS.search(full, max(0, m.start - 40), m.start) is not None)


def _city_country(scan: _CountryScan, code: str, m: Match) -> bool:
    # the country written after one of its cities ("the conference in Doha, Qatar", "à Lima, Pérou"):
    # it only places the city
    full, start = scan.full, m.start
    comma = full.rfind(",", max(0, start - 4), start)
    if comma < 0 or full[comma + 1:start].strip():
        return False
    city = scan.country_ending_at(comma)
    return city is not None and city.cue.layer == "capital" and city.cue.target == code


_LIST_MARKS = "、，,・"
_OPEN_LIST_END = re.compile(r"(?:[、，,・][ \t]*[\u3040-\u30ff\u4e00-\u9fffA-Za-z]{1,8}){0,8}?(?:など|等)")


def _open_list(scan: _CountryScan, code: str, m: Match) -> bool:
    # examples in an open list, in Japanese and Chinese: "米国、欧州、中国などが戦略を策定" (the US, Europe,
    # China and others have strategies), "中国、インドなど"; the list names others for comparison
    full = scan.full
    end = _OPEN_LIST_END.match(full, m.end)
    if end is None:
        return False
    # a list of two or more: another item after this one, or before it
    return end.group()[0] in _LIST_MARKS or (m.start > 0 and full[m.start - 1] in _LIST_MARKS) or scan.list_size(m.start) >= 2


def _enumerated(scan: _CountryScan, code: str, m: Match) -> bool:
    # after the lede, where a list of members, attendees or places is background; in the title and
    # the lede a list names the parties: "The US, Japan, ... and Korea launched a partnership"
    return m.start >= scan.doc.lede_end and scan.list_size(m.start) >= ENUMERATION


COUNTRY_RULES: dict[int, tuple[CountryRule, ...]] = {
    1: (CountryRule("a currency", "skip", _currency),
        CountryRule("a day or a date, not a shorthand such as 日中", "skip", _day_word, "shorthand"),
        CountryRule("a language in a language menu", "skip", _language_menu, "demonym"),
        CountryRule("inside a company's name", "home", _in_company_name),
        CountryRule("the venue of a meeting", "passing", _venue, "capital"),
        CountryRule("a place where someone stays", "passing", _place_of_stay, "capital"),
        CountryRule("a company's home", "home", _company_home),
        CountryRule("a person's nationality", "passing", _nationality, "demonym"),
        CountryRule("a place's or a speaker's country in parentheses", "passing", _parenthesized),
        CountryRule("a city's country after it ('Doha, Qatar')", "passing", _city_country),
        CountryRule("a share in a table of figures", "passing", _statistic)),
    2: (CountryRule("a compound such as 'China-made'", "passing", _compound),
        CountryRule("after 'outside', 'except', or a market in a list", "passing", _passing_phrase),
        CountryRule("a comparison", "passing", _compared),
        CountryRule("inside a conflict named as backdrop", "passing", _in_backdrop),
        CountryRule("in the citation of an earlier document", "passing", _in_citation),
        CountryRule("the authors of an EU act cited by its number or kind", "passing", _in_cited_act),
        CountryRule("one of a long list of countries", "passing", _enumerated),
        CountryRule("an example in an open list ('米国、中国など')", "passing", _open_list)),
    3: (CountryRule("background after the lede", "passing", _background),),
}
"""The rules for a country mention, by stage (see `_CountryScan.weigh`)."""


@functools.cache
def _rules_for(layer: str) -> tuple[tuple[CountryRule, ...], ...]:
    """COUNTRY_RULES by stage, without the rules that hold only for another cue layer."""
    return tuple(tuple(r for r in COUNTRY_RULES[stage] if not r.layer or r.layer == layer) for stage in (1, 2, 3))


class Tagger:
    """Tags texts; build once and reuse (the lexicon compiles in well under a second)."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.matcher = Matcher(self.lexicon.cues)

    def tag(self, text: str, title: str = "", published: dt.date | None = None) -> TagResult:
        if len(text or "") + len(title or "") < LONG_TEXT:
            return self._tag(text, title, published)
        # A long text makes hundreds of thousands of small objects and no reference cycles: the cyclic
        # collector would walk the growing heap again and again (time quadratic in the size), so it
        # waits until the text is tagged.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._tag(text, title, published)
        finally:
            if enabled:
                gc.enable()

    def _tag(self, text: str, title: str, published: dt.date | None) -> TagResult:
        doc = _Doc(_no_surrogates(title or ""), _no_surrogates(text or ""), published)
        by_kind: dict[str, list[Match]] = {
            "theme": [], "org": [], "country": [], "leader": [], "relation": [], "rationale": [], "background": [],
            "cited": [], "backdrop": [], "citation": [], "act_authors": [],
        }
        for m in self.matcher.matches(doc.full):
            hits = by_kind.get(m.cue.kind)
            if hits is not None:
                hits.append(m)
        result = TagResult()
        result.themes = self._themes(doc, self._with_org_themes(by_kind["theme"], by_kind["org"]), _Marks.of(by_kind["rationale"]),
                                     _Marks.of(by_kind["background"]), _Marks.of(by_kind["cited"]), _Marks.of(by_kind["backdrop"]))
        result.orgs, org_hits = self._orgs(doc, by_kind["org"])
        controls = any(t.value == "export_controls" and t.tagged for t in result.themes)
        result.countries, result.org_countries = self._countries(doc, by_kind, org_hits, controls)
        result.pairs = self._relations(doc, by_kind["relation"], result)
        result.date = self._date(doc)
        return result

    # -- themes --------------------------------------------------------------------------
    def _with_org_themes(self, hits: list[Match], orgs: list[Match]) -> list[Match]:
        """The theme hits with, at each mention of a body that acts in a field (org_themes.csv), a hit of
        that field's theme, in text order."""
        table = self.lexicon.org_themes
        places = {(m.start, m.end, m.cue.target) for m in orgs if m.cue.target in table}  # one per place, whatever its cues
        if not places:
            return hits
        extra = [_new(Match, (start, end, cue)) for start, end, oid in sorted(places) for cue in table[oid]]
        merged = hits + extra
        merged.sort(key=_start)
        return merged

    def _themes(self, doc: _Doc, hits: list[Match], rationale: _Marks, background: _Marks, cited: _Marks,
                backdrop: _Marks) -> list[FoundTag]:
        if not hits:
            return []
        cues = [m for m in hits if m.cue.layer != "organization"]  # a body's theme (org_themes.csv) is no list item
        listed = _listed(doc.full, cues) if cues else set()
        rationale_themes = self.lexicon.rationale_themes if rationale else frozenset()
        scores: dict[str, float] = {}
        anchored: set[str] = set()
        evidence: dict[str, list[Found]] = {}
        notes: dict[str, set[str]] = {}
        offset, lede_end, found = doc.offset, doc.theme_lede_end, doc.evidence
        reasons = self._reason_sentences(doc, hits)
        for m in hits:
            cue = m.cue
            start, target = m.start, cue.target
            weight = cue.weight * (TITLE_FACTOR if start < offset else LEDE_FACTOR if start < lede_end else 1.0)
            if reasons and target in reasons and start >= offset and doc.sentences.index(start) in reasons[target]:
                weight *= LIST_FACTOR  # "dual-use items, which could be used for military purposes"
                notes.setdefault(target, set()).add("named in a sentence about another theme's measure, as its reason")
            elif listed and id(m) in listed:
                weight *= LIST_FACTOR
                notes.setdefault(target, set()).add("named in a list of sectors")
            elif target in rationale_themes and doc.after_marker(rationale, start):
                weight *= LIST_FACTOR  # the reason given for a measure ("meant to stop ... weapons development")
                notes.setdefault(target, set()).add("named as the reason for a measure")
            elif background and start >= doc.lede_end and doc.after_marker(background, start):
                weight *= LIST_FACTOR  # context after the lede: "shipments fell amid the trade dispute"
                notes.setdefault(target, set()).add("named as background")
            elif backdrop and backdrop.holding(start, m.end):
                weight *= LIST_FACTOR  # "in response to Russia's military aggression against Ukraine"
                notes.setdefault(target, set()).add("inside a conflict named as backdrop")
            elif cited and start >= doc.lede_end and doc.before_marker(cited, m.end):
                weight *= LIST_FACTOR  # a fact cited for another point: "the move to restrict exports underscores ..."
                notes.setdefault(target, set()).add("cited as context for another point")
            elif cue.layer != "cues":
                anchored.add(target)
            scores[target] = scores.get(target, 0.0) + weight
            if target in evidence:
                evidence[target].append(found(m))
            else:
                evidence[target] = [found(m)]
        labels = self.lexicon.themes
        top = max(scores.values())
        led = {m.cue.target for m in hits if m.start < lede_end}
        if self.lexicon.reason_of_lead:  # a text led by a theme whose measures this one gives the reason of
            leader = max(scores, key=scores.__getitem__)
            for t, sup in self.lexicon.reason_of_lead.items():
                if leader in sup and t in anchored and t != leader and not any(m.cue.target == t and m.start < offset for m in hits):
                    anchored.discard(t)
                    notes.setdefault(t, set()).add(f"the text is about {labels[leader].lower()}; this theme is their reason")
        tags = [
            _tag("theme", t, labels[t], s, THEME_THRESHOLD, evidence[t],
                 _theme_why(s, t in anchored, notes.get(t), minor=t not in led and s < MINOR_SHARE * top),
                 t in anchored and (s >= MINOR_SHARE * top or t in led))
            for t, s in scores.items()
        ]
        tags.sort(key=_minus_score)
        return tags

    def _reason_sentences(self, doc: _Doc, hits: list[Match]) -> dict[str, set[int]]:
        """Per theme with `reason_of` (themes.toml), the sentences that hold a cue of a theme it
        gives the reason of: its cues there are not its own story."""
        reason_of = self.lexicon.reason_of
        present = {m.cue.target for m in hits}
        wanted = {t: sup & present for t, sup in reason_of.items() if t in present and sup & present}
        if not wanted:
            return {}
        index = doc.sentences.index
        by_theme: dict[str, set[int]] = {}
        for m in hits:
            if m.start >= doc.offset and any(m.cue.target in sup for sup in wanted.values()):
                by_theme.setdefault(m.cue.target, set()).add(index(m.start))
        return {t: set().union(*(by_theme.get(s, set()) for s in sup)) for t, sup in wanted.items()}

    # -- organizations ---------------------------------------------------------------------
    def _orgs(self, doc: _Doc, hits: list[Match]) -> tuple[list[FoundTag], dict[str, list[Match]]]:
        found: dict[str, list[Match]] = {}
        # "il Consiglio dei Ministri" is Italy's cabinet, not the EU's Council; and where a text names
        # a national body so, its bare "il Consiglio" is that body too (one sense per text)
        national = {m.cue.target for m in hits if m.cue.layer == "guarded" and _NATIONAL_BODY.match(doc.full, m.end)}
        kept: list[Match] = []
        orgs = self.lexicon.orgs
        for m in hits:
            if m.cue.layer == "guarded":
                if national and m.cue.target in national:
                    continue
                name = m.cue.pattern.rsplit(" ", 1)[-1]
                if name.istitle() and orgs[m.cue.target].kind != "company" and (
                    (name == m.cue.pattern and _tail_of_a_name(doc.full, m.start)) or _head_of_a_name(doc.full, m.end)
                ):
                    continue  # part of another name, which the name finder may then read whole
            kept.append(m)
            target = m.cue.target
            if target in found:
                found[target].append(m)
            else:
                found[target] = [m]
        orgs = self.lexicon.orgs
        tags = [
            _tag("org", oid, orgs[oid].name, float(len(ms)), 1.0, [doc.evidence(m) for m in ms], "named in the text (registry)")
            for oid, ms in found.items()
        ]
        tags += self._shaped_orgs(doc, kept)
        if len(tags) > 1:
            tags.sort(key=_org_order)
        return tags, found

    @functools.cached_property
    def _context_finder(self) -> ContextFinder:
        """Built on first use: it reads the lexicon's country and leader names."""
        return ContextFinder.for_lexicon(self.lexicon.cues)

    def _shaped_orgs(self, doc: _Doc, hits: list[Match]) -> list[FoundTag]:
        """Organizations outside the registry, found by the shape of their names or by their context."""
        taken = Spans([(m.start, m.end) for m in hits])
        names: dict[str, list[Found]] = {}
        labels: dict[str, str] = {}
        reasons: dict[str, str] = {}
        shaped = [n for n in find_names(doc.full, taken) if not taken.overlaps(n.start, n.end)]
        both = Spans([(m.start, m.end) for m in hits] + [(n.start, n.end) for n in shaped])
        for name in shaped + self._context_finder.find(doc.full, both):
            key = "x:" + " ".join(name.name.casefold().split())
            labels.setdefault(key, " ".join(name.name.split()))  # one space where the text wrapped a line
            reasons.setdefault(key, "by name shape" if name.how == "shape" else "by context")
            cue = _SHAPE_CUE if name.how == "shape" else _CONTEXT_CUE
            names.setdefault(key, []).append(doc.evidence(Match(name.start, name.end, cue)))
        return [_tag("org", k, labels[k], float(len(ev)), 1.0, ev, f"named in the text ({reasons[k]}, not in the registry)")
                for k, ev in names.items()]

    # -- countries -------------------------------------------------------------------------
    def _countries(
        self, doc: _Doc, by_kind: dict[str, list[Match]], org_hits: dict[str, list[Match]], controls: bool = False,
    ) -> tuple[list[FoundTag], list[FoundTag]]:
        """Countries named as participants or subjects, and the home countries of named organizations.

        Each mention goes through COUNTRY_RULES (see `_CountryScan`); with `controls` (the text is
        about export controls), "exports to China" names a controlled destination, a subject;
        otherwise it names a market in passing.
        """
        scores: dict[str, float] = {}
        evidence: dict[str, list[Found]] = {}
        notes: dict[str, str] = {}
        homes: dict[str, list[Found]] = {}
        orgs = self.lexicon.orgs
        scan = _CountryScan(doc, by_kind, self.lexicon.places, controls, company_at={
            m.start: orgs[oid].country for oid, ms in org_hits.items() if orgs[oid].kind not in GOVERNMENT_KINDS for m in ms})

        def add(code: str, m: Match, weight: float) -> None:
            verdict = scan.weigh(code, m, weight)
            if verdict is None:
                return
            if verdict < 0:
                homes.setdefault(code, []).append(doc.evidence(m))
                return
            scores[code] = scores.get(code, 0.0) + verdict
            evidence.setdefault(code, []).append(doc.evidence(m))

        for m in by_kind["country"]:
            add(m.cue.target, m, m.cue.weight)
        for m in by_kind["leader"]:
            leader = self.lexicon.leaders[int(m.cue.target)]
            if leader.in_office(doc.published):
                add(leader.country, m, m.cue.weight)
            else:
                evidence.setdefault(leader.country, []).append(doc.evidence(m))
                notes[leader.country] = f"{leader.name} was not in office on {doc.published}"
        if org_hits:
            countries = self.lexicon.countries
            for oid, ms in org_hits.items():
                org = orgs[oid]
                if org.country in countries:
                    for m in ms:
                        if org.kind in GOVERNMENT_KINDS:
                            add(org.country, m, 3.0)
                        else:
                            homes.setdefault(org.country, []).append(doc.evidence(m))
        once: set[str] = set()
        if len(doc.text) >= LONG_TEXT and evidence:
            acts = {doc.sentences.index(m.start) for m in by_kind["relation"]}
            bodies = {m.start for oid, ms in org_hits.items() if orgs[oid].kind in GOVERNMENT_KINDS for m in ms}
            once = self._once_in_a_long_text(doc, scores, evidence, acts, bodies)
        if scan.backdrop and len(evidence) > 1:
            once |= self._only_in_a_backdrop(scan.backdrop, scores, evidence, notes)
        names = self.lexicon.countries
        countries_found = [
            _tag("country", c, names[c], scores.get(c, 0.0), COUNTRY_THRESHOLD, ev,
                 notes.get(c, ONCE_NOTE) if c in once else notes.get(c, "") if not scores.get(c, 0.0) else "")
            for c, ev in evidence.items()
        ]
        countries_found.sort(key=_country_order)
        tagged = {t.value for t in countries_found if t.tagged}
        org_countries = [
            _tag("org_country", c, names[c], float(len(ev)), 1.0, ev, "home of a named organization")
            for c, ev in sorted(homes.items()) if c not in tagged
        ]
        return countries_found, org_countries

    @staticmethod
    def _only_in_a_backdrop(backdrop: _Marks, scores: dict[str, float], evidence: dict[str, list[Found]],
                            notes: dict[str, str]) -> set[str]:
        """A country named only inside a conflict given as a story's backdrop ("sanctions over Russia's
        invasion of Ukraine"), in the lede too, is context of a story about the countries named outside it
        (scores lowered here, the codes returned). A story about the conflict alone keeps its parties."""
        inside: set[str] = set()
        outside = False
        for c, ev in evidence.items():
            if scores.get(c, 0.0) < COUNTRY_THRESHOLD:
                continue
            if all(backdrop.holding(e.at, e.at + e.end - e.start) for e in ev):
                inside.add(c)
            else:
                outside = True
        if not outside:
            return set()
        for c in inside:
            scores[c] *= PASSING_FACTOR
            notes[c] = "named only inside a conflict given as the backdrop: context"
        return inside

    @staticmethod
    def _once_in_a_long_text(doc: _Doc, scores: dict[str, float], evidence: dict[str, list[Found]], acts: set[int],
                             bodies: set[int]) -> set[str]:
        """In a long text about some countries, one named a single time in its body is a passing
        mention (its score lowered here; the codes returned), unless its sentence states an act
        between countries ("restrict the export of AI chips to China") or its leader or a
        government body names it: there it is a party."""
        places = {c: {(e.field, e.start) for e in ev} for c, ev in evidence.items()}  # one place may hold two cues
        counted = [len(places[c]) for c in evidence if scores.get(c, 0.0) >= COUNTRY_THRESHOLD]
        if not counted or max(counted) < SALIENT:
            return set()
        once = {c for c, ev in evidence.items()
                if len(places[c]) == 1 and ev[0].field != "title" and scores.get(c, 0.0) >= COUNTRY_THRESHOLD
                and ev[0].layer not in _ACTORS and ev[0].start + doc.offset not in bodies
                and doc.sentences.index(ev[0].start + doc.offset) not in acts
                and not _in_a_pair(doc.full, ev[0].start + doc.offset)}
        for c in once:
            scores[c] *= PASSING_FACTOR
        return once

    # -- relations -------------------------------------------------------------------------
    def _relations(self, doc: _Doc, cues: list[Match], result: TagResult) -> list[tuple[str, str, str, Found]]:
        if not cues:
            return []
        tagged = set(result.values("country"))
        if len(tagged) < 2:  # a relation needs two countries in one sentence
            return []
        sentences = doc.sentences
        mentions: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for tag in result.countries:
            if tag.value not in tagged:
                continue
            for ev in tag.evidence:
                pos = ev.at
                mentions[sentences.index(pos)].append((pos, tag.value))
        best: dict[tuple[str, str], tuple[str, Found]] = {}
        ordered: dict[int, tuple[list[int], list[tuple[int, str]]]] = {}
        for m in cues:
            sentence = sentences.index(m.start)
            held = mentions.get(sentence)
            if not held:
                continue
            if sentence not in ordered:
                names_all = sorted(held)
                ordered[sentence] = ([p for p, _ in names_all], names_all)
            positions, names_all = ordered[sentence]
            # Only the countries near the cue: in a very long sentence (a text with no sentence
            # breaks) that keeps the work per cue bounded, and it is where the relation is stated.
            lo = bisect_left(positions, m.start - RELATION_WINDOW)
            hi = bisect_right(positions, m.end + RELATION_WINDOW)
            names = names_all[lo:hi]
            if len({c for _, c in names}) < 2:
                continue
            span = sentences.span(sentence)
            clause = _clause(doc.full, m.start, m.end, (max(span[0], m.start - RELATION_WINDOW), min(span[1], m.end + RELATION_WINDOW)))
            for pair in _pairs(m, names, clause):
                current = best.get(pair)
                if current is None or _RELATION_RANK[m.cue.target] < _RELATION_RANK[current[0]]:
                    best[pair] = (m.cue.target, doc.evidence(m))
        return _collapse(best)

    def _date(self, doc: _Doc) -> FoundDate:
        mention = event_date(doc.full, doc.published, doc.lede_end)
        if mention is None:
            return _new(FoundDate, (doc.published, "day", False, None))
        return _new(FoundDate, (mention.date, mention.precision, True, doc.evidence(Match(mention.start, mention.end, _DATE_CUE))))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """The text with each lone surrogate (from a broken decoder upstream) as U+FFFD, one for one, so
    offsets stay right and the matchers, which work in UTF-8, can read it."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def _theme_why(score: float, anchored: bool, notes: set[str] | None, minor: bool = False) -> str:
    """Why a theme is a passing mention ("" when tagged, or when the score alone says it)."""
    if anchored and score >= THEME_THRESHOLD and minor:
        why = f"named only after the lede, with under {MINOR_SHARE:.0%} of the leading theme's score: passing mention"
        return f"{why} ({'; '.join(sorted(notes))})" if notes else why
    if anchored and score >= THEME_THRESHOLD:
        return ""
    if score >= THEME_THRESHOLD:
        why = "only weak, listed or rationale cues: passing mention"
    elif notes:
        why = f"score {score:.1f} < {THEME_THRESHOLD:.1f}: passing mention"
    else:
        return ""
    return f"{why} ({'; '.join(sorted(notes))})" if notes else why


def _start(m: Match) -> int:
    return m.start


def _minus_score(tag: FoundTag) -> float:
    return -tag.score


def _org_order(tag: FoundTag) -> tuple[float, str]:
    return -tag.score, tag.label


def _country_order(tag: FoundTag) -> tuple[float, str]:
    return -tag.score, tag.value


def _listed(text: str, hits: list[Match]) -> set[int]:
    """Hits that sit in an enumeration ("energy, climate and defense"; "EV, telecom, defence, automotive").

    A run is a series of hits separated only by separators. It is a list when it holds
    three themes or more, or two hits amid at least three commas close around it.
    `hits` come sorted by position, without overlaps but for hits of the same span.
    """
    first = hits[0].cue.target
    if all(m.cue.target == first for m in hits):
        return set()  # a list names two themes at least
    listed: set[int] = set()
    run: list[Match] = []
    themes: set[str] = set()
    spans = 0
    run_start = last_start = run_end = -1
    for m in hits:
        start, end = m.start, m.end
        if start == last_start and end == run_end:  # the span of the hit before
            pass
        elif run and _SEPARATOR.fullmatch(text[run_end:start]):
            spans += 1
        else:
            if run and _is_list(text, run_start, run_end, themes, spans):
                listed.update(map(id, run))
            run, themes, spans, run_start = [], set(), 1, start
        run.append(m)
        themes.add(m.cue.target)
        last_start, run_end = start, end
    if run and _is_list(text, run_start, run_end, themes, spans):
        listed.update(map(id, run))
    return listed


def _is_list(text: str, start: int, end: int, themes: set[str], spans: int) -> bool:
    if len(themes) >= LIST_THEMES:
        return True
    if spans < 2 or len(themes) < 2:
        return False
    around = text[max(0, start - LIST_WINDOW): end + LIST_WINDOW]
    return around.count(",") + around.count("、") >= 3


def _pairs(m: Match, names: list[tuple[int, str]], clause: tuple[int, int]) -> list[tuple[str, str]]:
    """Country pairs a relation cue states.

    Cooperation: the countries of the cue's clause (or of its sentence when the clause
    names fewer than two). Restriction and competition: the nearest country before the
    cue acts on the nearest different country after it.
    """
    if m.cue.target == "cooperation":
        near = {c for pos, c in names if clause[0] <= pos < clause[1]}
        codes = sorted(near if len(near) >= 2 else {c for _, c in names})
        return [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]]
    before = [c for pos, c in names if pos < m.start]
    after = [c for pos, c in names if pos >= m.end and (not before or c != before[-1])]
    if not before or not after:
        return []
    return [(before[-1], after[0])]


def _clause(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """The clause around [start, end): bounded by , ; : ( ) or the sentence."""
    left = max(text.rfind(ch, sentence[0], start) for ch in ",;:()")
    rights = [i for ch in ",;:()" if (i := text.find(ch, end, sentence[1])) != -1]
    return (left + 1 if left >= sentence[0] else sentence[0]), (min(rights) if rights else sentence[1])


def _collapse(best: dict[tuple[str, str], tuple[str, Found]]) -> list[tuple[str, str, str, Found]]:
    """One relation per pair; a restriction or competition outranks cooperation."""
    merged: dict[frozenset[str], tuple[tuple[str, str], str, Found]] = {}
    for pair, (rtype, ev) in best.items():
        key = frozenset(pair)
        current = merged.get(key)
        if current is None or _RELATION_RANK[rtype] < _RELATION_RANK[current[1]]:
            merged[key] = (pair, rtype, ev)
    relations = [(p[0], p[1], rtype, ev) for p, rtype, ev in merged.values()]
    relations.sort(key=_pair_order)
    return relations


def _pair_order(relation: tuple[str, str, str, Found]) -> tuple[str, str]:
    return relation[0], relation[1]
