"""Organizations that are not in the registry, told by the words around their names.

"chipmaker Absolics", "Absolics, a unit of SKC", "developed by Atlantic Lithium", "la estatal
Codelco", "Branschorganisationen Lif": a name without a head word (see `orgfinder` for names
found by their shape), in eight languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import ahocorasick_rs

from core.datafiles import read_toml
from core.tagging.orgfinder import FoundName, Spans

_WORDS = read_toml("words.toml")["orgcontext"]

if TYPE_CHECKING:
    from core.tagging.matcher import Cue


# -- Names told by their context ---------------------------------------------------------
#
# A name without a head word is an organization's when the words around it say so: a role
# noun before it ("chipmaker Absolics", "la estatal Codelco", "Branschorganisationen Lif"),
# an appositive after it ("Absolics, a unit of SKC"), or a verb of making or owning with "by"
# before it ("developed by Atlantic Lithium"). One Aho-Corasick pass finds these cue words
# (a few per text); small anchored patterns then read the name next to each, and `_accept`
# keeps only what looks like a name: capitalised, not a country, demonym, leader, month or
# weekday, not a common word that merely starts a sentence, and not a person's name where
# people are often named.

# Role nouns per language. "-x" may end a compound ("rymdbolaget", "Chiphersteller"); "x*"
# takes an inflection ("компанией", "госкорпорации"). Lower-case ones also count capitalised
# at the start of a sentence, except in German, where nouns are always capitalised: "Hersteller"
# is the word, "-hersteller" the end of a compound ("Chiphersteller"). German has no generic
# "Unternehmen" or "Konzern": they also start clauses like "weil der Konzern Geld braucht".
ROLE_NOUNS: dict[str, tuple[str, ...]] = {
    "en": (
        "company", "companies", "firm", "firms", "maker", "makers", "chipmaker", "chipmakers", "carmaker",
        "carmakers", "automaker", "automakers", "drugmaker", "drugmakers", "steelmaker", "steelmakers",
        "start-up", "start-ups", "startup", "startups", "operator", "operators", "miner", "miners", "producer",
        "producers", "supplier", "suppliers", "developer", "developers", "group", "groups", "fund", "funds",
        "lender", "lenders", "regulator", "regulators", "agency", "agencies", "insurer", "insurers",
        "conglomerate", "conglomerates", "consortium", "manufacturer", "manufacturers", "giant", "giants",
        "subsidiary", "subsidiaries", "unit", "affiliate", "rival", "rivals", "competitor", "competitors",
        "retailer", "retailers", "platform", "platforms", "provider", "providers", "carriers", "contractor",
        "contractors", "utility", "utilities", "vendor", "vendors", "shipbuilder", "refiner", "smelter",
        "watchdog", "asset manager", "chip designer", "think tank", "broadcaster", "airline", "airlines", "telco",
        "telcos", "exchange", "bank", "banks", "outfit", "state-owned", "state-run", "state-backed",
    ),
    "es": (
        "empresa", "empresas", "compañía", "compañías", "firma", "grupo", "consorcio", "fabricante", "fabricantes",
        "operador", "operadora", "operadoras", "minera", "petrolera", "estatal", "aseguradora", "fondo", "regulador",
        "agencia", "tecnológica", "tecnológicas", "filial", "constructora", "eléctrica", "gigante", "proveedor",
        "proveedora", "aerolínea", "plataforma", "red social", "desarrolladora", "farmacéutica", "startup",
    ),
    "fr": (
        "entreprise", "entreprises", "société", "sociétés", "groupe", "groupes", "firme", "fabricant", "fabricants",
        "constructeur", "opérateur", "opérateurs", "fonds", "start-up", "startup", "jeune pousse", "géant",
        "assureur", "régulateur", "agence", "filiale", "équipementier", "avionneur", "motoriste", "consortium",
        "plateforme", "réseau social", "laboratoire", "énergéticien", "sidérurgiste",
    ),
    "de": (
        "-konzern", "-konzerns", "Hersteller", "-hersteller", "Herstellers", "-herstellers", "-bauer", "Betreiber",
        "-betreiber", "Anbieter", "-anbieter", "Zulieferer", "Versicherer", "Start-up", "Fonds", "-behörde",
        "Regulierer", "Riese", "-riese", "-versorger", "Plattform",
    ),
    "it": (
        "società", "azienda", "aziende", "gruppo", "colosso", "produttore", "costruttore", "operatore", "fondo",
        "start-up", "startup", "compagnia", "multinazionale", "piattaforma", "agenzia", "controllata",
    ),
    "pt": (
        "empresa", "empresas", "companhia", "grupo", "fabricante", "montadora", "mineradora", "petroleira", "estatal",
        "fundo", "startup", "operadora", "gigante", "plataforma", "rede social", "agência", "consórcio", "subsidiária",
    ),
    "sv": (
        "-bolaget", "-företaget", "-koncernen", "-tillverkaren", "-operatören", "-fonden", "-myndigheten",
        "-organisationen", "-jätten", "-leverantören", "-banken",
    ),
    "ru": (
        "-компани*", "-корпораци*", "концерн*", "холдинг*", "производител*", "оператор*", "фонд*", "стартап*",
        "разработчик*", "регулятор*", "ведомств*", "предприяти*", "платформ*", "групп*",
    ),
}
# The end of a compound adjective before a company's name: "Hangzhou-based DeepSeek",
# "Hong Kong-listed SMIC", "Chinese-owned Nexperia".
HYPHEN_ROLES = tuple(_WORDS["hyphen_roles"])
# Role nouns that also follow a name: "the DarkSide ransomware group".
POSTPOSED_ROLES = frozenset(_WORDS["postposed_roles"])
# Role nouns that also stand before people ("rival Harris", "developer John Smith"): after
# these, a name must look like a company's.
PERSON_ROLES = frozenset(_WORDS["person_roles"])
# Verbs whose "by" names a maker, owner or builder (same marks as `ROLE_NOUNS`); people are
# often named there too, so these names must look like a company's.
BY_VERBS: dict[str, tuple[str, ...]] = {
    "en": (
        "developed", "built", "operated", "acquired", "owned", "run", "made", "manufactured", "produced", "supplied",
        "designed", "backed", "funded", "financed", "bought", "controlled", "consortium led", "round led",
        "commissioned",
    ),
    "es": ("desarrollad*", "construid*", "operad*", "gestionad*", "fabricad*", "adquirid*", "controlad*",
           "financiad*", "producid*"),
    "fr": ("développé*", "construit*", "exploité*", "détenu*", "racheté*", "contrôlé*", "fabriqué*", "financé*",
           "conçu*"),
    "it": ("sviluppat*", "costruit*", "gestit*", "controllat*", "prodott*", "finanziat*"),
    "pt": ("desenvolvid*", "construíd*", "operad*", "adquirid*", "controlad*", "fabricad*", "produzid*"),
    "sv": ("utvecklad*", "byggd*", "byggt", "ägd*", "ägs", "drivs", "tillverkad*"),
}
_BY_WORDS = {
    "en": "by", "es": "por", "fr": "par", "it": "da|dal|dalla|dallo|dai|dalle", "pt": "por|pela|pelo|pelos|pelas",
    "sv": "av",
}
# Appositive clauses that only a maker, owner or operator takes: "Absolics, which makes ...".
WHICH_CLAUSES = tuple(_WORDS["which_clauses"])
# "companies such as X, Y and Z", "empresas como X".
LIST_MARKERS = tuple(_WORDS["list_markers"])


def _words(text: str) -> frozenset[str]:
    """The words of a list written as text."""
    return frozenset(text.split())


# First words that start no name: articles, pronouns, prepositions, titles, discourse words,
# weekdays and months. A name also stops before one of them ("Nvidia Chief Executive ...").
_NOT_FIRST = _words("""
The This That These Those A An Our Its Their His Her He She It They We I You In On At By For From With As And Or But
Of To If When While After Before Since Although Though Because Also Then Yet So Still Instead However Meanwhile
Moreover Furthermore Separately Elsewhere Overall Today Tomorrow Yesterday Now Last Next First Earlier Later
Recently Currently Previously Additionally Finally Similarly Likewise Nevertheless Nonetheless Indeed Thus Hence
Mr Mrs Ms Dr Prof Sir President Minister Prime Chairman Chairwoman Chair Chief Executive CEO Director Governor
Senator Secretary Spokesman Spokeswoman Spokesperson Founder Co-founder Vice Deputy Head King Queen Prince Pope
Premier Chancellor Judge Justice Admiral Colonel Lieutenant Ambassador Mayor Commissioner Representative
El La Los Las Le Les Un Una Une Des Du Der Die Das Den Dem Ein Eine Il Lo Gli Os As Det De Ett En Och Et Y
Según Selon Laut Secondo Segundo Enligt Además Asimismo Aunque Pero Mais Aber Ma Mas Men Cependant Pourtant Sin
Con Sur Dans Pour Par Im Am Bei Nach Mit Von Nel Nella Per Com Em Na No Para På För Med Av Он Она Они
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Lunes Martes Miércoles Jueves Viernes Sábado Domingo Enero Febrero Marzo
Abril Mayo Junio Julio Agosto Septiembre Octubre Noviembre Diciembre Lundi Mardi Mercredi Jeudi Vendredi Samedi
Dimanche Janvier Février Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre Montag Dienstag
Mittwoch Donnerstag Freitag Samstag Sonntag Januar Februar März Juni Juli Oktober Dezember Lunedì Martedì
Mercoledì Giovedì Venerdì Sabato Domenica Gennaio Febbraio Aprile Maggio Giugno Luglio Settembre Ottobre
Dicembre Segunda Terça Quarta Quinta Sexta Janeiro Fevereiro Março Maio Junho Julho Setembro Outubro Dezembro
Måndag Tisdag Onsdag Torsdag Fredag Lördag Söndag Januari Februari Augusti Понедельник Вторник Среда Четверг
Пятница Суббота Воскресенье
""")
# Words that are no organization's name by themselves ("owned by the State", "the group AI").
_NOT_ALONE = _words("""
Internet Web AI CEO CFO CTO IPO GDP EV EVs IT TV PC ID OK ETF LNG GW MW GWh USD EUR Government State Parliament
Congress Senate Court Army Navy Police Party Union Bill Act Law North South East West Europe Africa Asia America
Americas Pacific Atlantic Arctic Gulf Middle General Group Company Holdings II III IV VI VII VIII IX XI XII
""")
# Words of a company's name rather than a person's ("Atlantic Lithium", "Altaras Investments").
CORPORATE_WORDS = _words("""
Power Grid Energy Lithium Mining Minerals Metals Resources Capital Partners Investments Investment Ventures Holdings
Holding Group Space Robotics Dynamics Semiconductor Semiconductors Solar Steel Oil Gas Petroleum Chemical
Chemicals Pharma Pharmaceuticals Therapeutics Biotech Bio Logistics Shipping Global International Digital Cloud
Media Communications Telecom Telecommunications Motors Motor Auto Automotive Airways Airlines Defence Defense
Tech Technology Technologies Software Systems Networks Battery Batteries Materials Electric Electronics Heavy
Industries Industrial Instruments Devices Micro Nuclear Trust Securities Exchange Insurance Finance Financial
Bank Fund Management Labs Aerospace Engineering Infrastructure Data Health Foods Co Corp Inc Ltd LLC PLC plc
SA AG SE GmbH NV BV AB ASA Oyj SpA Srl KK
""")
# A verb right after the name makes it the subject of a relative clause, often a person:
# "the company Musk founded", "the start-up Altman leads".
_RELATIVE_VERBS = _words(
    "founded co-founded cofounded leads led runs ran heads headed chairs chaired started owns owned joined left "
    "bought took built created"
)
# German nouns are capitalised: single words with these endings are mostly common nouns
# ("Mitarbeiter", "Stellen", "Anteile"), not names.
_GERMAN_NOUN_ENDINGS = tuple(_WORDS["german_noun_endings"])
_ROMANCE = frozenset({"es", "fr", "it", "pt"})
_ARTICLES = "a|an|the|una|un|uno|une|la|el|le|les|il|lo|um|uma|o|ein|eine|einer|der|die|das|den|det|en|ett"
# Words that never sit between an article and its role noun, or between a role noun and a name.
_FUNCTION = (
    "of|for|at|in|on|with|from|to|by|and|or|but|its|his|her|their|our|who|whom|which|that|this|is|was|are|were|"
    "has|had|have|said|says|not|also|as|than|after|before|since|when|while|will|would|could|can|may|no|de|del|"
    "des|du|la|le|les|el|los|las|en|et|y|e|o|a|al|au|aux|con|avec|por|para|pour|par|per|que|qui|se|su|sus|son|"
    "sa|ses|il|lo|gli|di|da|dei|della|nel|na|do|um|uma|com|sur|sobre|tra|fra|ne|pas|non|ha|han|hay|est|ont|sont"
)
_AND = "and|or|y|o|e|et|ou|und|oder|och|eller|и|или"


def _char_class(codepoints: Iterable[int]) -> str:
    """A regular-expression character class of `codepoints` (ascending), runs written as ranges."""
    runs: list[list[int]] = []
    for cp in codepoints:
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs) + "]"


# Upper-case letters of the Latin, Greek and Cyrillic scripts.
_UP = _char_class(cp for cp in range(0x41, 0x530) if chr(cp).isupper())
# A word of a name: "Absolics", "SKC", "DeepSeek", "AT&T", "Bumar-Labedy" (not "Kong-based").
_NAME_WORD = rf"(?<![\w&.-]){_UP}[\w&]*(?:[-.](?![a-z])[\w&]+)*"
# Up to four words; "and" only before a company word: "Pacific Gas and Electric".
_NAME = (rf"{_NAME_WORD}(?:[ \t]+(?:&[ \t]+)?{_NAME_WORD}){{0,3}}"
         rf"(?:[ \t]+and[ \t]+(?:{'|'.join(sorted(CORPORATE_WORDS))})(?![\w&-]))?")
# A quoted name may hold lower-case words: «Лаборатория Касперского».
_NAME_OR_QUOTED = rf"(?:[«“„\"](?P<quoted>[^«»“”„\"\n]{{2,40}})[»”“\"]|(?P<name>{_NAME}))"
_MARKER = "(?:" + "|".join(m.replace(" ", r"[ \t]+") for m in LIST_MARKERS) + ")"
_MARKER_WORDS = tuple({m.split()[0] for m in LIST_MARKERS})
# A lower-case word between a role noun and the name, in the Romance languages:
# "la empresa estatal chilena Codelco", "el fabricante de baterías CATL".
_MODIFIER = rf"(?:(?:de|di|da|do|des|del)[ \t]+)?(?!(?:{_FUNCTION})\b)(?!{_UP})[^\W\d_][\w-]*(?<![óu])"
_AFTER_ROLE = re.compile(rf"[ \t]+(?:{_MARKER}[ \t]+)?{_NAME_OR_QUOTED}")
_AFTER_ROLE_ROMANCE = re.compile(rf"(?:[ \t]+{_MODIFIER}){{0,2}}(?:[ \t]*,?[ \t]+{_MARKER})?[ \t]+{_NAME_OR_QUOTED}")
_AFTER_ROLE_COMMA = re.compile(rf"[ \t]*,[ \t]+{_MARKER}[ \t]+{_NAME_OR_QUOTED}")
_AFTER_ROLE_ENCLOSED = re.compile(rf"[ \t]*,[ \t]+(?P<name>{_NAME})(?=[ \t]*[,)])")  # "the regulator, ARECOMS, said"
_NAME_BEFORE_ROLE = re.compile(rf"(?<!\w)[tT]he[ \t]+(?P<name>{_NAME})(?:[ \t]+(?!{_UP})[\w-]+)?[ \t]+$")
_NEXT_IN_LIST = re.compile(rf"(?:[ \t]*,[ \t]*(?:(?:{_AND})[ \t]+)?|[ \t]+(?:{_AND})[ \t]+)(?P<name>{_NAME})")
_BY_ARTICLE = r"(?:(?:the|el|la|le|los|las|les|il|lo|den|det)[ \t]+)?(?:l['’]|dall['’])?"
_AFTER_BY_NAME = re.compile(rf"{_BY_ARTICLE}{_NAME_OR_QUOTED}")
_AFTER_BY = {  # after a stem: "desarrollad|a por la empresa ..."
    lang: re.compile(rf"[ \t]+(?:{words})[ \t]+{_BY_ARTICLE}{_NAME_OR_QUOTED}") for lang, words in _BY_WORDS.items()
}
# "Absolics, a unit of": between the comma and the role noun, an article and up to three words.
_APPOSITIVE = re.compile(rf",[ \t]+(?:(?:{_ARTICLES})[ \t]+|l['’])?(?:(?!(?:{_FUNCTION})\b)[\w’'-]+[ \t]+){{0,3}}")
# What may follow the role noun of an appositive ("a unit of", "an AI company based in", "a start-up.").
_APPOSITIVE_END = re.compile(
    r"[ \t]*(?:[,.;:)]|(?:of|that|which|whose|based|headquartered|owned|backed|founded|launched|listed|controlled|"
    r"known|focused|specialising|specializing|formed|created|established|de|du|des|del|della|di|do|dos|das|que|qui|"
    r"che|som|basée|basé|fondée|créée|которая|который)\b)"
)
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})$")
_LAST_WORD = re.compile(r"([\w-]+)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+([\w-]+)")
_POSSESSIVE_NAME = re.compile(rf"['’]s[ \t]+{_UP}")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str  # role | by | which; "postposed" while a role noun is read after its name
    lang: str = ""
    compound: bool = False  # may end a longer word
    stem: bool = False  # the pattern is a stem that takes an inflection
    person: bool = False  # a person may be named after it
    initial: bool = False  # a capitalised form: counts only at the start of a sentence
    tail: int = 0  # characters matched after the word: a delimiter, or " by "
    postposed: bool = False  # may also follow the name


# The pass matches a cue word with the character after it, so "United" is no hit for "Unit".
_DELIMITERS = (" ", ",", ".")


def _cues() -> dict[str, _Cue]:
    """Every pattern of the Aho-Corasick pass, with what a match of it means."""
    table: dict[str, _Cue] = {}

    def add(word: str, cue: _Cue) -> None:
        if cue.stem:
            table.setdefault(word, cue)
        elif cue.kind == "by":  # "developed by ", "drivs av "
            for by in _BY_WORDS[cue.lang].split("|"):
                table.setdefault(f"{word} {by} ", replace(cue, tail=len(by) + 2))
        else:
            for delimiter in _DELIMITERS:
                table.setdefault(word + delimiter, replace(cue, tail=1))

    for kind, lists in (("role", ROLE_NOUNS), ("by", BY_VERBS)):
        for lang, words in lists.items():
            for raw in words:
                word = raw.lstrip("-").rstrip("*")
                cue = _Cue(kind, lang, raw.startswith("-"), raw.endswith("*"), kind == "by" or raw in PERSON_ROLES,
                           postposed=raw in POSTPOSED_ROLES)
                add(word, cue)
                if word[:1].islower() and lang != "de":
                    add(word[0].upper() + word[1:], replace(cue, compound=False, initial=True))
    for word in HYPHEN_ROLES:
        add(word, _Cue("role", "en", compound=True, person=True))
    for clause in WHICH_CLAUSES:
        table[clause] = _Cue("which", compound=True)
    return table


_ROLE_WORDS = frozenset(w.lstrip("-").rstrip("*").lower() for words in ROLE_NOUNS.values() for w in words)


class ContextFinder:
    """Organizations named next to a role noun, an appositive or "by" (see above)."""

    def __init__(self, not_names: Iterable[str] = (), not_prefixes: Iterable[str] = ()) -> None:
        table = _cues()
        self._cues = list(table.values())
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(table), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA,
        )
        # Countries, demonyms, capitals and leaders (compared case-folded; prefixes for inflected forms).
        self.not_names = frozenset(n.casefold().rstrip(".") for n in not_names)
        self.not_prefixes = tuple(sorted({p.casefold() for p in not_prefixes if len(p) >= 4}))

    @classmethod
    def for_lexicon(cls, cues: Iterable[Cue]) -> ContextFinder:
        """A finder that knows the country and leader names of a lexicon's cues, and each word of
        a leader's name ("controlled by Xi")."""
        cues = [c for c in cues if c.kind in ("country", "leader")]
        names = {c.pattern for c in cues if not c.prefix}
        names |= {w for c in cues if c.kind == "leader" for w in c.pattern.split() if len(w) > 1}
        return cls(names, (c.pattern for c in cues if c.prefix))

    def find(self, text: str, known: Spans | None = None) -> list[FoundName]:
        """Names told by their context, in text order, none overlapping another or a `known` span."""
        known = known or Spans([])
        found: dict[tuple[int, int], FoundName] = {}
        cues = self._cues
        for k, s, e in self._automaton.find_matches_as_indexes(text):
            for name in self._read(text, cues[k], s, e, known):
                found.setdefault((name.start, name.end), name)
        out: list[FoundName] = []
        for (s, _e), name in sorted(found.items()):
            if not out or s >= out[-1].end:
                out.append(name)
        return out

    def _read(self, text: str, cue: _Cue, s: int, e: int, known: Spans) -> list[FoundName]:
        """The names that the cue found at [s, e) points at."""
        if (not cue.compound and s and _WORD_CHAR.match(text, s - 1)) or (cue.initial and not _sentence_start(text, s)):
            return []
        if cue.kind == "which":
            return self._name_before(text, s, cue, known)
        if cue.stem:
            while e < len(text) and text[e].isalnum():
                e += 1
        if cue.kind == "by":
            after = _AFTER_BY[cue.lang] if cue.stem else _AFTER_BY_NAME
            return self._names_after(text, after.match(text, e), cue, known)
        e -= cue.tail
        names = self._names_after_role(text, e, cue, known)
        if not names and cue.postposed and (the := text.rfind("he ", max(0, s - 80), s)) > 0:
            m = _NAME_BEFORE_ROLE.match(text, the - 1, s)  # "the DarkSide ransomware group"
            names = self._names_after(text, m, replace(cue, kind="postposed"), known, in_list=False)
        if names:
            return names
        comma = text.rfind(",", max(0, s - 60), s)  # an appositive: "Absolics, a unit of ..."
        if comma < 0 or not _APPOSITIVE_END.match(text, e) or not _APPOSITIVE.fullmatch(text, comma, s):
            return []
        return self._name_before(text, comma, cue, known)

    def _names_after_role(self, text: str, end: int, cue: _Cue, known: Spans) -> list[FoundName]:
        """Names after a role noun: "chipmaker Absolics", "la estatal Codelco", "firms such as X and Y", "the regulator, X,"."""
        if end >= len(text) or text[end] not in " \t,":
            return []
        if cue.lang not in _ROMANCE and text[end + 1:end + 2].islower() and not text.startswith(_MARKER_WORDS, end + 1):
            return []  # cheap: a lower-case word after the role noun, and no "such as"
        if text[end] == ",":
            names = self._names_after(text, _AFTER_ROLE_COMMA.match(text, end), cue, known)
            enclosed = _AFTER_ROLE_ENCLOSED.match(text, end)
            return names or self._names_after(text, enclosed, replace(cue, person=True), known, in_list=False)
        after = _AFTER_ROLE_ROMANCE if cue.lang in _ROMANCE else _AFTER_ROLE
        return self._names_after(text, after.match(text, end), cue, known)

    def _names_after(self, text: str, m: re.Match[str] | None, cue: _Cue, known: Spans,
                     in_list: bool = True) -> list[FoundName]:
        """The name that `m` read, and those of a list that goes on after it ("TSMC, Samsung and Intel")."""
        if m is None:
            return []
        quoted = m.groupdict().get("quoted") is not None
        start, end = m.span("quoted" if quoted else "name")
        strict = cue.person
        names: list[FoundName] = []
        while True:
            if not known.overlaps(start, end):
                name = self._accept(text, start, end, cue, strict, quoted)
                if name is None:
                    return names
                names.append(name)
                if name.end != end:  # trimmed: whatever follows is not part of the list
                    return names
            if quoted or not in_list or (n := _NEXT_IN_LIST.match(text, end)) is None:
                return names
            start, end = n.span("name")
            strict = True  # later items of a list may be people: "Apple and Tim Cook"

    def _name_before(self, text: str, comma: int, cue: _Cue, known: Spans) -> list[FoundName]:
        """The name that ends at the comma of an appositive: "Absolics, a unit of ...", "X, which makes"."""
        end = comma
        while end and text[end - 1] in " \t":
            end -= 1
        word = end
        while word and (text[word - 1].isalnum() or text[word - 1] in "&-."):
            word -= 1
        if word == end or not text[word].isupper():  # cheap: most words before a comma are not names
            return []
        m = _NAME_BEFORE.search(text, max(0, word - 60), end)
        if m is None or known.overlaps(*m.span("name")):
            return []
        name = self._accept(text, *m.span("name"), cue, cue.person, leading=True)
        return [name] if name is not None else []

    def _accept(self, text: str, start: int, end: int, cue: _Cue, strict: bool, quoted: bool = False,
                leading: bool = False) -> FoundName | None:
        """The name at [start, end), trimmed, or None when it does not look like an organization's.

        `leading`: words before the name may have been read with it ("In January Absolics, ...").
        """
        if not quoted:
            start, end = self._trim(text, start, end, leading)
        name = text[start:end]
        if len(name) < 2 or name != name.strip() or not name[0].isupper() or self._not_a_name(name) \
                or _headline(text, start):
            return None
        if not quoted and not self._name_like(text, start, end, cue, strict):
            return None
        return FoundName(start, end, name, "context")

    def _trim(self, text: str, start: int, end: int, leading: bool) -> tuple[int, int]:
        """Drop leading non-names (when `leading`); stop before a title or weekday ("Nvidia Chief ...").

        A name with a country or a leader's name after its first word is dropped: "rival Kamala Harris".
        """
        words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
        while leading and len(words) > 1 and text[slice(*words[0])] in _NOT_FIRST:
            words.pop(0)
        for i in range(1, len(words)):
            word = text[slice(*words[i])]
            if word in _NOT_FIRST:
                words = words[:i]
                break
            if word.casefold().rstrip(".") in self.not_names:
                return start, start
        return (words[0][0], words[-1][1]) if words else (start, start)

    def _not_a_name(self, name: str) -> bool:
        """Countries, demonyms, leaders, and words that name nothing by themselves or start no name."""
        if name in _NOT_ALONE or name.split(None, 1)[0] in _NOT_FIRST:
            return True
        folded = name.casefold().rstrip(".")
        return folded in self.not_names or (" " not in folded and folded.startswith(self.not_prefixes))

    def _name_like(self, text: str, start: int, end: int, cue: _Cue, strict: bool) -> bool:
        """Checks that need the text around the name."""
        if _POSSESSIVE_NAME.match(text, end):
            return False  # part of a longer name: "the People's Republic of China"
        nxt = _NEXT_WORD.match(text, end)
        if nxt and (nxt.group(1) in _RELATIVE_VERBS or (cue.kind != "postposed" and nxt.group(1) in _ROLE_WORDS)):
            return False  # "the company Musk founded"; "state-backed DRAM maker ...": a modifier, not a name
        name = text[start:end]
        if " " not in name and name[1:].islower() and name.isalpha():  # one plain word: "Absolics", not "SKC"
            if cue.kind == "which":
                return False  # places take these clauses too: "Texas, which produces ..."
            lo = max(0, start - _NEAR)  # "elsewhere in the text": within a window, so long texts stay linear
            near = text[lo:end + _NEAR]
            if _sentence_start(text, start) and (name.endswith("ly") or _has_word(near, name.lower())):
                return False  # a common word that starts a sentence
            if cue.lang == "de" and name.endswith(_GERMAN_NOUN_ENDINGS):
                return False
            return not _surname(near, name, end - lo)
        if strict:  # "John Smith" where people are often named
            words = name.split()
            plain = all(w[0].isupper() and w[1:].islower() and w.replace("-", "").isalpha() for w in words)
            return not plain or any(w in CORPORATE_WORDS for w in words)
        return True


def _sentence_start(text: str, start: int) -> bool:
    """True when only quotes, brackets or a sentence end come before `start` on its line."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘«([":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n|—–-•·*"


_NEAR = 5000  # characters on each side searched for another mention of a name


def _has_word(text: str, word: str) -> bool:
    """True when `word` occurs in `text` as a whole word."""
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if (not i or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            return True
        i = text.find(word, i + 1)
    return False


def _surname(text: str, name: str, end: int) -> bool:
    """True when `name` follows a capitalised first name elsewhere: "Elon Musk ... owned by Musk"."""
    i = text.find(name)
    while i >= 0:
        j = i + len(name)
        if j != end and (j == len(text) or not text[j].isalnum()):
            m = _LAST_WORD.search(text, max(0, i - 30), i)
            if m and m.group(1)[0].isupper() and m.group(1) not in _NOT_FIRST and m.group(1).lower() not in _ROLE_WORDS:
                return True
        i = text.find(name, i + 1)
    return False


def _headline(text: str, pos: int) -> bool:
    """True inside a line written in Title Case, where capitals say nothing about names."""
    a = text.rfind("\n", max(0, pos - 301), pos) + 1
    if pos - a > 300 or (a == 0 and pos > 300):
        return False
    b = text.find("\n", pos, pos + 301)
    b = len(text) if b < 0 and len(text) - pos <= 300 else b
    if b < 0 or b - a > 300:
        return False
    words = [w for w in text[a:b].split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
