"""Organizations that are not in the registry, found by the shape of their names.

"Ministry of Land, Infrastructure and Transport", "Kumamoto University", "Tata Electronics
Private Limited", "Union Cabinet": a capitalised name with an institutional head word. These
patterns describe name shapes (a handful of regular expressions), not cues: the cue
vocabulary stays in the one-pass matcher. Names without a head word, told by the words
around them, are `orgcontext`'s.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from core.datafiles import read_toml
from core.tagging.sentences import ABBREVIATIONS

_WORDS = read_toml("words.toml")["orgfinder"]

_WORD = r"[A-Z][\w’'&-]*(?:\.[A-Z]\w*)*\.?(?![\w])"
_SP = r"[ \t]+"
# after a linking word a name may run on past a line break, as in text wrapped at a fixed width:
# "the Committee on\n     Veterans' Affairs"
_SPN = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
# A further word of a name, unless it starts the next title or body in a list.
_NEXT = r"(?!(?:Minister|Ministry|Chairman|Chair|Director|President|Secretary|Governor|Department|Commission)\b)" + _WORD
_LINK = r"(?:of|for|on|and|the|de|des|du|la|&)"
# Industry words that end a company's name ("Atlantic Lithium", "Intuitive Machines", "Nippon Steel").
INDUSTRY_HEADS = tuple(_WORDS["industry_heads"])
HEADS_AFTER = tuple(_WORDS["heads_after"])
HEADS_BEFORE = tuple(_WORDS["heads_before"])
# Names made only of these words are not organizations ("The Department", "This Office").
_STOP = frozenset(_WORDS["stop"])
# `(?=[A-Z])` changes no match: it lets the scan skip to capital letters quickly.
_AFTER = re.compile(
    rf"(?=[A-Z])\b((?:{_WORD}{_SP}(?:{_LINK}{_SP})?){{0,5}}{_WORD}{_SP}(?:{'|'.join(re.escape(h) for h in HEADS_AFTER)}))(?![\w-])"
)
_BEFORE = re.compile(
    rf"(?=[A-Z])\b((?:{_WORD}{_SP}){{0,3}}(?:{'|'.join(HEADS_BEFORE)}){_SP}(?:of|for|on){_SPN}(?:the{_SPN})?"
    rf"{_WORD}(?:(?:,{_SP}|{_SP}(?:{_LINK}{_SPN})?){_NEXT}){{0,6}})"
)
# Romance languages put the head first and link the rest with prepositions: "Consejo de Ministros",
# "Ministério da Ciência", "Instituto Nacional de Técnica Aeroespacial", "Autorité de la concurrence"
# (only capitalised words after each link count: "Autorité de la Concurrence", not "la concurrence").
ROMANCE_HEADS = tuple(_WORDS["romance_heads"])
_ROMANCE_LINK = (r"(?:d['’]|de|del|de[ \t]+la|de[ \t]+las|de[ \t]+los|des|du|de[ \t]+l['’]|della|dello|delle|degli|dei|dell['’]|"
                 r"do|da|dos|das|nel|nella|nelle|nei|negli|per[ \t]+(?:la|il|le|lo|gli|i)|per|pour[ \t]+(?:la|le|les)|pour|"
                 r"para[ \t]+(?:a|o|as|os|la|el|los|las)|para|y|e|et)")
_ROMANCE_NAME = re.compile(
    rf"(?=[A-Z])\b((?:{'|'.join(ROMANCE_HEADS)})(?:{_SP}{_WORD})?"
    rf"(?:(?:,{_SP}|{_SP}){_ROMANCE_LINK}(?:{_SP}|(?<=['’])){_WORD}(?:{_SP}{_WORD}){{0,2}}){{1,4}})"
)

# Russian and Ukrainian put the head first and the rest in the genitive, in lower case:
# "Министерство обороны", "Міністерство цифрової трансформації", "Федеральная служба по
# техническому и экспортному контролю". Polish capitalises the words after the head:
# "Ministerstwo Obrony Narodowej", "Rada Ministrów".
_SLAVIC_HEAD = re.compile(
    r"(?<![\w-])(?:Министерств[оауе]|Міністерств[оауі]|Правительств[оау]|Федеральн(?:ая|ой|ую) служб[аыу]|"
    r"Служб[аиыу]|Агентств[оау]|Комитет[ау]?|Комітет[уі]?|Комисси[яию]|Комісі[яїю]|Центральн(?:ый|ого) банк[ау]?|"
    r"Національн(?:ий|ого) банк[уі]?|Верховн(?:ый|ого|ий) суд[ау]?|Конституционн(?:ый|ого) суд[ау]?|"
    r"Конституційн(?:ий|ого) суд[уі]?|Фонд[ау]?|Институт[ау]?|Інститут[уі]?|Академи[яию]|Академі[яїю]|"
    r"Управлени[ея]|Управлінн[яі]|Госкорпораци[яию]|Державн(?:а|ої) служб[аиі]|Національн(?:а|ої) комісі[яї]|"
    r"Ministerstw[oa]|Urz[ąę]d[u]?|Agencj[ai]|Kancelari[ai]|Trybunał[u]?|Instytut[u]?|Rad[ay] Ministrów)(?![\w-])"
)
_SLAVIC_LINKS = frozenset(_WORDS["slavic_links"])
# Country names in the genitive that close a name: "Министерство обороны России".
_SLAVIC_COUNTRIES = frozenset(_WORDS["slavic_countries"])
_SLAVIC_WORD = re.compile(r"[ \t]+([\w’'ʼ-]+)")
# Verbs that end a name: past tense ("заявило", "сообщили", "оголосив"), present ("сообщает"),
# reflexives and infinitives.
_SLAVIC_VERB = re.compile(r"(?:[аеиоуыяюэєії]л[аоиь]?|ив|[её]т|ит|ют|ят|ут|ать|ять|ить|еть|ся|сь|[иі]ти|ть)$")
_POLISH_WORD = re.compile(r"[ \t]+([A-ZĄĆĘŁŃÓŚŹŻ][\wąćęłńóśźż-]+)")


def _slavic_names(text: str) -> Iterator[tuple[int, int]]:
    """Spans of Russian, Ukrainian and Polish institution names, head first."""
    for head in _SLAVIC_HEAD.finditer(text):
        if head.group(0).startswith("Rad"):  # "Rada Ministrów" is the whole name
            yield head.span()
            continue
        polish = head.group(0)[0] < "\u0400"  # Latin letters: Polish
        next_word = _POLISH_WORD if polish else _SLAVIC_WORD
        pos = end = head.end()
        words = 0
        while words < 6:
            m = next_word.match(text, pos)
            if m is None:
                break
            word = m.group(1)
            if not polish:
                if word in _SLAVIC_COUNTRIES:  # the country closes the name
                    pos, end, words = m.end(), m.end(), words + 1
                    if word in ("Российской", "Російської"):
                        continue  # ... Федерации
                    break
                if not word[0].islower() or (word not in _SLAVIC_LINKS and _SLAVIC_VERB.search(word)):
                    break
            pos, words = m.end(), words + 1
            if polish or word not in _SLAVIC_LINKS:
                end = pos
        if end > head.end():
            yield head.start(), end


# "the Minister of Science and ICT" names the Ministry of Science and ICT.
_MINISTER = re.compile(rf"\bMinister{_SP}(of|for){_SP}((?:the{_SP})?{_WORD}(?:(?:,{_SP}|{_SP}(?:{_LINK}{_SP})?){_NEXT}){{0,6}})")


class Spans:
    """Sorted, non-overlapping spans with fast membership tests (bisect, not a scan)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps a span (spans do not overlap, so ends are sorted too)."""
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.spans[i][1] > start


@dataclass(frozen=True)
class FoundName:
    start: int
    end: int
    name: str
    how: str = "shape"  # or "context"


# Words with a final "." that do not end a sentence: those the sentence splitter knows, and the
# company, rank and institution abbreviations of names.
_ABBREVIATIONS = frozenset(ABBREVIATIONS) | {"Co.", "Gen.", "Jr.", "Sr.", "Bros.", "Mt.", "Adm.", "Col.", "Lt.", "Sgt.",
                                             "Dept.", "Univ.", "Assn.", "Intl.", "Natl.", "Nat.", "Int."}


# Possessives that belong to a name: "National People's Congress", "Women's Health Initiative".
_OWN_POSSESSIVES = frozenset(_WORDS["own_possessives"])
# Words that end no name: links, and the day or month of "the Commission on Thursday".
_TAIL = frozenset(_WORDS["tail"])


def _ends_sentence(word: str) -> bool:
    """True for "Macau." but not for "U.S.", "Corp." or an initial "J."."""
    body = word[:-1]
    return word.endswith(".") and len(body) > 1 and "." not in body and word not in _ABBREVIATIONS


def _trim(text: str, start: int, end: int, head: int | None = None) -> tuple[int, int]:
    """Keep the sentence of the name that holds `head` (the first one without it), then drop
    leading stop words and trailing punctuation or link words.

    "Hong Kong and Macau. The Office of Investment Security" is two sentences: the name is
    the part with the head word.
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    cuts = [i + 1 for i, w in enumerate(words[:-1]) if _ends_sentence(w.group(0))]
    if cuts:
        at = 0 if head is None else head - start
        lo = max((c for c in cuts if words[c].start() <= at), default=0)
        hi = min((c for c in cuts if c > lo), default=len(words))
        words = words[lo:hi]
    while words and (words[0].group(0).rstrip(",") in _STOP or words[0].group(0).endswith(".")):
        words.pop(0)
    # "Britain's Competition and Markets Authority", "South Korea's Ministry of Science and ICT": the
    # owner is not part of the name ("National People's Congress" keeps its own).
    owner = [i for i, w in enumerate(words[:3]) if w.group(0).endswith(("'s", "’s")) and w.group(0)[:-2].rstrip("'’")
             not in _OWN_POSSESSIVES]
    if owner:
        words = words[owner[-1] + 1:]
    while words and (words[-1].group(0).rstrip(",.") in _TAIL or not words[-1].group(0)[0].isalnum()):
        words.pop()
    if not words:
        return start, start
    s, e = start + words[0].start(), start + words[-1].end()
    while e > s and text[e - 1] in ",;:":
        e -= 1
    if _ends_sentence(text[start + words[-1].start():e]):
        e -= 1  # "the Department of Commerce." ends a sentence
    return s, e


# A head word: the pattern has no `\b` in front (so the scan can skip to the heads' first
# letters); `find_names` drops the matches that start inside a word. No head word matches
# inside another (all their characters but a final "." are word characters), so this
# finds what `\b(?:...)` would.
_HEAD = re.compile(rf"(?:{'|'.join(re.escape(h) for h in sorted(set(HEADS_AFTER) | set(HEADS_BEFORE), key=len, reverse=True))})(?![\w-])")
_WINDOW = 90
_INDUSTRY = frozenset(INDUSTRY_HEADS)
_CAPITAL_NEXT = re.compile(r"[ \t]+[A-Z]")


def heads(text: str) -> Iterator[re.Match[str]]:
    """The head words of `text` (as `\b` + `_HEAD` would find them)."""
    for head in _HEAD.finditer(text):
        start = head.start()
        if not start or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            yield head


_COMMITTEE_ENDS: dict[str, str] = _WORDS["compound_committees"]
_COMMITTEE_STEMS = frozenset(end[:6] for end in _COMMITTEE_ENDS)
_COMMITTEE_END = re.compile(f"(?i:{'|'.join(sorted(_COMMITTEE_ENDS, key=len, reverse=True))})(?![\\w-])")


def _committees(text: str) -> Iterator[tuple[int, int, str]]:
    """One-word names of parliamentary committees ("der Wirtschaftsausschuss", "Trafikutskottets
    yttrande"): their span and their name (a genitive given as the name itself)."""
    low = text.lower()
    if not any(end in low for end in _COMMITTEE_STEMS):
        return  # the regular expression costs a scan of every character; most texts hold none
    for m in _COMMITTEE_END.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        if m.start() - start < 3 or (start > 0 and text[start - 1] == "-"):
            continue  # "Ausschuss" alone, or part of a hyphenated word
        name = text[start:m.start()] + _COMMITTEE_ENDS[m.group().lower()]
        yield start, m.end(), name[0].upper() + name[1:]


# a Dutch parliamentary committee by the short names of its ministries: "de commissie J&V", "commissie EZK/LNV"
_DUTCH_COMMITTEE = re.compile(r"(?<!\w)[Cc]ommissie (?:voor )?[A-Z][A-Za-z]{0,3}(?:[&/][A-Z][A-Za-z]{0,3})+(?![\w&/])")


def _dutch_committees(text: str) -> Iterator[tuple[int, int, str]]:
    if "ommissie " not in text:
        return
    for m in _DUTCH_COMMITTEE.finditer(text):
        yield m.start(), m.end(), m.group()


def _cjk_alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CJK_STOP = _cjk_alternatives(_WORDS["cjk_stops"])
_CJK_BODY = rf"(?:(?!{_CJK_STOP})[^\s]|[ ](?=[A-Za-z]))"  # a name's characters; a space only before a Latin word
_CJK_BEFORE = re.compile(rf"(?:{_cjk_alternatives(_WORDS['cjk_forms_before'])})[ ]?{_CJK_BODY}{{2,30}}")
_CJK_AFTER = re.compile(rf"({_CJK_BODY}{{2,30}}?)(?:{_cjk_alternatives(_WORDS['cjk_forms_after'])})")
_HAS_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_CJK_BODY_AFTER = re.compile(rf"({_CJK_BODY}{{2,30}}?)(?:{_cjk_alternatives(_WORDS['cjk_bodies_after'])})")


def _cjk_legal_names(text: str) -> Iterator[tuple[int, int]]:
    """Names with a Japanese, Chinese or Korean legal form ("日本無線株式会社", "株式会社 Space Compass"),
    or with the end of a public body's name ("在韓日本大使館", "한일의원연맹")."""
    if not _HAS_CJK.search(text):
        return
    for pattern in (_CJK_BEFORE, _CJK_AFTER, _CJK_BODY_AFTER):
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if pattern is not _CJK_BEFORE:  # the name starts after the last stop before the form
                body = m.group(1)
                cut = max((body.rfind(w) + len(w) for w in _STOP_WORDS if body.rfind(w) >= 0), default=0)
                s += cut
                if not cut:  # nor inside a stop that ends where the match begins ("に|よる...")
                    s = max((s - k + len(w) for w in _LONG_STOPS for k in range(1, len(w))
                             if text.startswith(w, s - k)), default=s)
            name = text[s:e].strip()
            if len(name) >= (6 if pattern is _CJK_BODY_AFTER else 4) and name not in _CJK_FORMS and _HAS_CJK.search(name):
                yield s, s + len(text[s:e].rstrip())


_STOP_WORDS = [*_WORDS["cjk_stops"], " "]
_LONG_STOPS = [w for w in _WORDS["cjk_stops"] if len(w) > 1]
_CJK_FORMS = frozenset(_WORDS["cjk_forms_before"]) | frozenset(_WORDS["cjk_forms_after"])


def find_names(text: str, known: Spans | None = None) -> list[FoundName]:
    """Organization-shaped names in `text`, longest first at each place, without overlaps.

    A cheap scan finds the head words; the name patterns then run only in a window
    around each head, so long texts cost little more than the scan. Heads inside `known`
    spans (organizations the registry already found) are skipped.
    """
    known = known or Spans([])
    spans: list[tuple[int, int]] = []
    for head in heads(text):
        if known.overlaps(head.start(), head.end()):
            continue
        lo = max(0, head.start() - _WINDOW)
        window = text[lo:head.end() + _WINDOW]
        # An industry word names a company only at the end of a name: "Atlantic Lithium", not the
        # "National Lithium Strategy".
        industry = head.group(0) in _INDUSTRY and _CAPITAL_NEXT.match(text, head.end()) is not None
        for pattern in (_BEFORE, _AFTER):
            if industry and pattern is _AFTER:
                continue
            for m in pattern.finditer(window):
                if not (m.start(1) <= head.start() - lo < m.end(1)):
                    continue
                s, e = _trim(window, m.start(1), m.end(1), head.start() - lo)
                if e - s >= 6 and len(window[s:e].split()) >= 2:
                    spans.append((s + lo, e + lo))
    for m in _ROMANCE_NAME.finditer(text):
        if not known.overlaps(m.start(1), m.end(1)):
            s, e = _trim(text, m.start(1), m.end(1))
            if e - s >= 6 and len(text[s:e].split()) >= 2:
                spans.append((s, e))
    if not text.isascii():
        spans += [(s, e) for s, e in _slavic_names(text) if not known.overlaps(s, e)]
        spans += [(s, e) for s, e in _cjk_legal_names(text) if not known.overlaps(s, e)]
    names: dict[tuple[int, int], str] = {}
    for s, e, name in (*_committees(text), *_dutch_committees(text)):
        if not known.overlaps(s, e):
            spans.append((s, e))
            names[(s, e)] = name
    if "Minister " in text:
        for m in _MINISTER.finditer(text):
            if not known.overlaps(m.start(), m.start() + 8):
                s, e = _trim(text, m.start(2), m.end(2))
                if e > s:
                    spans.append((m.start(), e))
                    names[(m.start(), e)] = f"Ministry {m.group(1)} {text[s:e]}"
    spans.sort(key=lambda se: (se[0], -(se[1] - se[0])))
    found: list[FoundName] = []
    last_end = -1
    for s, e in spans:
        if s >= last_end:
            found.append(FoundName(s, e, names.get((s, e), text[s:e])))
            last_end = e
    return found

