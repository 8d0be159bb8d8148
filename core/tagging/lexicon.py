"""Load the tagger's data files and compile them into cues.

Data lives in core/data/: themes.toml, relations.toml, context.toml, country_cues.csv,
leaders.csv, orgs.csv. Country names in many languages come from pycountry (ISO 3166-1 and its
translations). This module holds no vocabulary of its own, only the reading rules.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from dataclasses import dataclass, field
from functools import cache

import pycountry

from core.datafiles import read_csv, read_toml
from core.errors import DataError
from core.tagging.matcher import CO_CHANNEL, THEME_CHANNEL, Cue
from core.taxonomy import THEME_IDS, theme_labels
from core.taxonomy import country_names as taxonomy_country_names

TRANSLATIONS = ("de", "fr", "es", "it", "pt", "sv", "nl", "ru", "uk", "zh_CN", "zh_TW", "ja", "ko")
GOVERNMENT_KINDS = frozenset({"agency", "ministry", "legislature", "military"})
COUNTRY_WEIGHTS = {
    "name": 3.0, "alias": 3.0, "shorthand": 3.0, "institution": 3.0, "leader": 3.0, "organization": 3.0,
    "demonym": 2.0, "capital": 2.0, "leader_title": 2.0,
}
THEME_WEIGHTS = {"key": 4.0, "strong": 3.0, "cues": 1.0, "strong_cs": 3.0, "cues_cs": 1.0}
CONTEXT_KINDS = ("rationale", "background", "cited", "backdrop", "citation", "act_authors")
CONTEXT_CHANNEL = "context"


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    country: str
    kind: str


@dataclass(frozen=True)
class Leader:
    name: str
    country: str
    role: str
    start: dt.date
    end: dt.date | None

    def in_office(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Places:
    """Where a demonym or a capital stands in a text: beside one company (its home) or a meeting (its venue).
    The patterns come from context.toml; without them nothing matches."""

    company_after: re.Pattern[str] | None = None  # a company noun after a demonym: "Chinese firm"
    company_before: re.Pattern[str] | None = None  # a company noun before a demonym: "la start-up française"
    capital_company: re.Pattern[str] | None = None  # a company noun after a capital: "the Abu Dhabi AI firm"
    venue_after: re.Pattern[str] | None = None  # a meeting after a capital: "the Baku talks"
    venue_before: re.Pattern[str] | None = None  # a meeting before a capital: "a summit in The Hague"
    person_after: re.Pattern[str] | None = None  # a person noun after a demonym: "Austrian privacy activist"

    def venue(self, text: str, start: int, end: int) -> bool:
        """True when the capital at [start, end) names the place of a meeting."""
        return bool((self.venue_after and self.venue_after.match(text, end, end + 20))
                    or (self.venue_before and self.venue_before.search(text[max(0, start - 80):start])))

    def person(self, text: str, start: int, end: int) -> bool:
        """True when the demonym at [start, end) gives one person's nationality."""
        return bool(self.person_after and self.person_after.match(text, end, end + 40))

    def company_home(self, text: str, start: int, end: int, layer: str) -> bool:
        """True when the demonym or capital at [start, end) describes one company."""
        if layer == "demonym":
            return bool((self.company_after and self.company_after.match(text, end, end + 40))
                        or (self.company_before and self.company_before.search(text[max(0, start - 40):start])))
        if layer == "capital":
            return bool(self.capital_company and self.capital_company.match(text, end, end + 30))
        return False


@dataclass
class Lexicon:
    """Everything the tagger knows, with the cues that point at it."""

    cues: list[Cue] = field(default_factory=list)
    themes: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    org_themes: dict[str, tuple[Cue, ...]] = field(default_factory=dict)  # per organization, a cue per theme it acts in
    leaders: list[Leader] = field(default_factory=list)
    rationale_themes: frozenset[str] = frozenset()  # themes whose cues after a rationale phrase are passing
    # per theme, the themes whose sentences make its cues the reason or effect of their measure
    reason_of: dict[str, frozenset[str]] = field(default_factory=dict)
    reason_of_lead: dict[str, frozenset[str]] = field(default_factory=dict)  # the same, for a whole text led by the theme
    places: Places = field(default_factory=lambda: Places())


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split("|") if p.strip()]


def _pattern(raw: str) -> tuple[str, bool]:
    """A cue as written in a data file: a trailing `*` means prefix match."""
    raw = raw.strip()
    if raw.endswith("*") and len(raw) > 1:
        return raw[:-1], True
    return raw, False


def _requires(values: list[str]) -> frozenset[str]:
    return frozenset(v if v.startswith("@") else v.lower() for v in values)


def _co_cues(requires: frozenset[str]) -> list[Cue]:
    return [Cue(pattern=r, kind="co", channel=CO_CHANNEL) for r in requires if not r.startswith("@")]


def theme_cues(lex: Lexicon) -> None:
    data = read_toml("themes.toml")
    missing = set(THEME_IDS) - set(data)
    if missing or set(data) - set(THEME_IDS):
        raise DataError(f"themes.toml: theme ids must be exactly {THEME_IDS}")
    for theme in THEME_IDS:
        spec = data[theme]
        lex.themes[theme] = theme_labels()[theme]
        if spec.get("rationale") is True:
            lex.rationale_themes |= {theme}
        if reason_of := spec.get("reason_of"):
            if set(reason_of) - set(THEME_IDS):
                raise DataError(f"themes.toml [{theme}] reason_of: unknown theme ids {sorted(set(reason_of) - set(THEME_IDS))}")
            lex.reason_of[theme] = frozenset(reason_of)
        if lead := spec.get("reason_of_lead"):
            if set(lead) - set(THEME_IDS):
                raise DataError(f"themes.toml [{theme}] reason_of_lead: unknown theme ids {sorted(set(lead) - set(THEME_IDS))}")
            lex.reason_of_lead[theme] = frozenset(lead)
        seen: set[str] = set()
        for layer, weight in THEME_WEIGHTS.items():  # strongest layer first: a cue listed twice keeps it
            for raw in spec.get(layer, []):
                pattern, prefix = _pattern(raw)
                if (key := raw if layer.endswith("_cs") else raw.lower()) in seen:
                    continue
                seen.add(key)
                lex.cues.append(Cue(
                    pattern, "theme", theme, layer.removesuffix("_cs"), weight,
                    case_sensitive=layer.endswith("_cs"), prefix=prefix, channel=THEME_CHANNEL, mark=f"@{theme}",
                ))
        for gate in spec.get("gated", []):
            requires = _requires(gate.get("requires", []))
            lex.cues.extend(_co_cues(requires))
            for raw in gate.get("cues", []):
                pattern, prefix = _pattern(raw)
                lex.cues.append(Cue(
                    pattern, "theme", theme, "gated", float(gate.get("weight", 1)),
                    case_sensitive=pattern != pattern.lower(), prefix=prefix, requires=requires, channel=THEME_CHANNEL,
                ))
        for raw in spec.get("negatives", []):
            pattern, prefix = _pattern(raw)
            lex.cues.append(Cue(pattern, "neg", theme, "negative", 0.0, prefix=prefix, channel=THEME_CHANNEL))


def relation_cues(lex: Lexicon) -> None:
    data = read_toml("relations.toml")
    for rtype in ("cooperation", "restriction", "competition"):
        for raw in data.get(rtype, {}).get("cues", []):
            pattern, prefix = _pattern(raw)
            lex.cues.append(Cue(pattern, "relation", rtype, rtype, prefix=prefix, channel="relation"))


def context_cues(lex: Lexicon) -> None:
    """Phrases that make a mention near them passing: a rationale (themes), a background or a backdrop
    (countries); and the company nouns that make a demonym a company's home."""
    data = read_toml("context.toml")
    for kind in CONTEXT_KINDS:
        for raw in data.get(kind, {}).get("cues", []):
            pattern, prefix = _pattern(raw)
            lex.cues.append(Cue(pattern, kind, kind, kind, 0.0, prefix=prefix, channel=CONTEXT_CHANNEL))
    patterns: dict[str, re.Pattern[str]] = {}
    home = data.get("company_home", {})
    if after := home.get("nouns_after"):
        patterns["company_after"] = _noun_after(after)
        # After a capital, at most one capitalized word between: "the Abu Dhabi AI firm", not "Beijing told the firm".
        patterns["capital_company"] = re.compile(rf"\s+(?:[A-Z0-9][\w-]*\s+)?(?i:{_alternatives(after)})\b")
    if before := home.get("nouns_before"):
        patterns["company_before"] = re.compile(rf"\b(?:{_alternatives(before)})\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
    if person := data.get("person", {}).get("nouns_after"):
        patterns["person_after"] = _noun_after(person)
    if venue := data.get("venue", {}).get("nouns"):
        patterns["venue_after"] = re.compile(rf"\s+(?:{_alternatives(venue)})\b", re.IGNORECASE)
        # the noun may carry a short complement before the place: "the climate change conference in Doha"
        patterns["venue_before"] = re.compile(
            rf"\b(?:{_alternatives(venue)})(?:\s+[\w'’-]+){{0,4}}?\s+(?:held\s+|hosted\s+)?(?:in|at|en|à|in der|a)\s+(?:the\s+)?$",
            re.IGNORECASE)
    lex.places = Places(**patterns)


def _noun_after(nouns: list[str]) -> re.Pattern[str]:
    """One of `nouns` after a demonym, up to two modifiers between ("Chinese state-owned firm"),
    never an article (a verb's object follows one); the demonym may join another ("a
    Chinese-Singaporean consortium")."""
    return re.compile(
        rf"\w*(?-i:-[A-Z]\w+)?\s+(?:(?!(?:the|a|an|its|their|this|that|der|die|das|den|ein|eine)\s)[\w-]+\s+){{0,2}}?"
        rf"(?:{_alternatives(nouns)})\b", re.IGNORECASE)


def _alternatives(words: list[str]) -> str:
    """A regex alternation of words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _usable_name(name: str | None) -> bool:
    return name is not None and "," not in name and "(" not in name and len(name) > 2


def _latin(name: str) -> bool:
    return name[:1].isascii() or name[:1] in "ÅÄÖÉÎ"


def country_names() -> dict[tuple[str, str], str]:
    """(code, name) -> layer, from pycountry's English names and translations."""
    names: dict[tuple[str, str], str] = {}
    translators = []
    for lang in TRANSLATIONS:
        try:
            translators.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:
            continue
    for country in pycountry.countries:
        code = country.alpha_2
        english = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
        for name in english:
            if name is not None and _usable_name(name):
                names[(code, name)] = "name"
        for tr in translators:
            for name in english:
                if name and (translated := tr.gettext(name)) != name and _usable_name(translated):
                    names[(code, translated)] = "name"
    return names


def country_cues(lex: Lexicon) -> None:
    rows = read_csv("country_cues.csv")
    lex.countries.update(taxonomy_country_names())
    table: dict[tuple[str, str], Cue] = {}
    for (code, name), layer in country_names().items():
        table[(code, name)] = Cue(name, "country", code, layer, COUNTRY_WEIGHTS[layer], case_sensitive=_latin(name))
    for n, row in enumerate(rows, start=2):
        code, kind = (row.get("code") or "").strip(), (row.get("kind") or "").strip()
        pattern, prefix = _pattern(row.get("cue") or "")
        if not pattern:
            continue
        if code and code not in lex.countries:
            raise DataError(f"country_cues.csv:{n}: unknown country code {code!r}")
        requires = _requires(_split(row.get("requires")))
        lex.cues.extend(_co_cues(requires))
        if not code or kind == "blocker":
            table[("", pattern)] = Cue(pattern, "block", "", "blocker", 0.0, prefix=prefix)
            continue
        if kind == "drop":  # a pycountry name that is mostly a common word in its language
            table.pop((code, pattern), None)
            continue
        table[(code, pattern)] = Cue(
            pattern, "country", code, kind, COUNTRY_WEIGHTS.get(kind, 2.0),
            case_sensitive=(row.get("case_sensitive") or "0").strip() == "1", prefix=prefix, requires=requires,
        )
    lex.cues.extend(table.values())


def leader_cues(lex: Lexicon) -> None:
    for n, row in enumerate(read_csv("leaders.csv"), start=2):
        try:
            start = dt.date.fromisoformat(row["start"].strip())
            end = dt.date.fromisoformat(row["end"].strip()) if (row.get("end") or "").strip() else None
        except (KeyError, ValueError) as exc:
            raise DataError(f"leaders.csv:{n}: bad tenure date ({exc})") from exc
        index = len(lex.leaders)
        lex.leaders.append(Leader(row["name"].strip(), row["code"].strip(), row.get("role", ""), start, end))
        for alias in {row["name"].strip(), *_split(row.get("aliases"))}:
            lex.cues.append(Cue(alias, "leader", str(index), "leader", COUNTRY_WEIGHTS["leader"], case_sensitive=True))


def _org_case_sensitive(name: str) -> bool:
    return " " not in name.strip()


# Official names of a country that an organization's name may end with instead of the short one:
# "Ministry of Foreign Affairs of China" is also "... of the PRC" and "... of the People's Republic of China".
_OFFICIAL_NAMES = {
    "China": ("the PRC", "the People's Republic of China"),
    "Russia": ("the Russian Federation",),
    "Korea": ("the Republic of Korea",),
    "South Korea": ("the Republic of Korea",),
    "Japan": ("the State of Japan",),
}
_OF_COUNTRY = re.compile(rf" of ({'|'.join(sorted(_OFFICIAL_NAMES, key=len, reverse=True))})$")


def _official_variants(name: str) -> list[str]:
    """`name` with the country it ends with spelled officially: "Government of Russia" ->
    "Government of the Russian Federation"."""
    m = _OF_COUNTRY.search(name)
    return [f"{name[:m.start()]} of {official}" for official in _OFFICIAL_NAMES[m.group(1)]] if m else []


_CYRILLIC_WORD = re.compile(r"[А-ЯЁЄІЇҐ][а-яёєіїґ]*[бвгджзклмнпрстфхцчшщ]")


def _inflects(alias: str) -> bool:
    """True for a one-word Russian or Ukrainian name that takes case endings: "Роскомнадзор" is also
    "Роскомнадзора", "Роскомнадзору". Multi-word names inflect every word and stay as written."""
    return len(alias) >= 5 and _CYRILLIC_WORD.fullmatch(alias) is not None


def org_cues(lex: Lexicon) -> None:
    for n, row in enumerate(read_csv("orgs.csv"), start=2):
        oid, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
        if not oid or not name:
            raise DataError(f"orgs.csv:{n}: id and name are required")
        lex.orgs[oid] = Org(oid, name, (row.get("country") or "").strip(), (row.get("kind") or "").strip())
        case_aliases = _split(row.get("case_aliases"))
        lex.cues.append(Cue(name, "org", oid, "name", case_sensitive=_org_case_sensitive(name) or name in case_aliases))
        aliases = _split(row.get("aliases"))
        known = {name, *aliases}
        variants = [v for a in (name, *aliases) for v in _official_variants(a) if v not in known]
        for alias in aliases + variants:
            pattern, prefix = _pattern(alias)
            lex.cues.append(Cue(pattern, "org", oid, "alias", prefix=prefix or _inflects(pattern)))
        for alias in case_aliases:
            lex.cues.append(Cue(alias, "org", oid, "alias", case_sensitive=True))
        requires = _requires(_split(row.get("requires")))
        guarded = _split(row.get("guarded_aliases"))
        if guarded:
            lex.cues.extend(_co_cues(requires))
        for alias in guarded:
            lex.cues.append(Cue(alias, "org", oid, "guarded", case_sensitive=True, requires=requires))


@cache
def load_lexicon() -> Lexicon:
    """The compiled lexicon (built once per process)."""
    lex = Lexicon()
    theme_cues(lex)
    relation_cues(lex)
    context_cues(lex)
    country_cues(lex)
    leader_cues(lex)
    org_cues(lex)
    org_theme_cues(lex)
    return lex


ORG_THEME_WEIGHT = 1.0  # a mention of a body that acts in one field (BIS, CISA, NASA) supports that theme


def org_theme_cues(lex: Lexicon) -> None:
    """org_themes.csv: the themes a body acts in; its mentions support them like a supporting cue that
    anchors the theme (a text led by USTR is about trade even when its trade words are weak ones)."""
    cues = {t: Cue("", "theme", t, "organization", ORG_THEME_WEIGHT, channel=THEME_CHANNEL) for t in THEME_IDS}
    for n, row in enumerate(read_csv("org_themes.csv"), start=2):
        oid, themes = (row.get("id") or "").strip(), _split(row.get("themes"))
        if oid not in lex.orgs:
            raise DataError(f"org_themes.csv:{n}: unknown organization id {oid!r}")
        if unknown := [t for t in themes if t not in cues]:
            raise DataError(f"org_themes.csv:{n}: unknown theme ids {unknown}")
        lex.org_themes[oid] = tuple(cues[t] for t in themes)


def _name_key(name: str) -> str:
    return " ".join(name.replace(".", "").casefold().split())


@cache
def org_name_index() -> dict[str, str]:
    """Registry names and aliases (case, dots and spacing ignored) to organization ids, so that a
    curator's "BIS" or "Commerce Department" is the registry's organization. A registry name wins
    over another entry's alias; prefix patterns are left out."""
    index: dict[str, str] = {}
    rows = read_csv("orgs.csv")
    for row in rows:
        index.setdefault(_name_key(row.get("name") or ""), (row.get("id") or "").strip())
    for row in rows:
        for column in ("aliases", "case_aliases", "guarded_aliases"):
            for alias in _split(row.get(column)):
                if not alias.endswith("*"):
                    index.setdefault(_name_key(alias), (row.get("id") or "").strip())
    index.pop("", None)
    return index


def find_org(name: str) -> Org | None:
    """The registry organization a name or alias denotes, or None (no guessing beyond case and dots)."""
    oid = org_name_index().get(_name_key(name))
    return load_lexicon().orgs.get(oid) if oid else None
