"""Organizations outside the registry, told by their context: short invented texts.

A role noun before the name, an appositive after it, or "by" after a verb of making or
owning says that a capitalised word is an organization's name; sentence-initial words,
countries, people, weekdays and headlines in Title Case stay out.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tagging.orgcontext import ContextFinder
from core.tagging.orgfinder import Spans
from core.tagging.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def context_orgs(tagger: Tagger, text: str, title: str = "") -> set[str]:
    """Labels of the organizations found by context (not by the registry or by name shape)."""
    result = tagger.tag(text, title)
    return {t.label for t in result.orgs if t.tagged and any(ev.layer == "name context" for ev in t.evidence)}


@pytest.mark.parametrize(("text", "names"), [
    # English: role noun before the name
    ("Regulators cleared the sale after chipmaker Quorvex agreed to keep its plant open.", {"Quorvex"}),
    ("Investors put another $30 million into start-up Lumivane last spring.", {"Lumivane"}),
    ("The grid is run day to day by the operator Zentra Grid, officials said.", {"Zentra Grid"}),
    ("Oslo-based Fjordlink signed the cable contract on Friday.", {"Fjordlink"}),
    ("The state-owned Varkos works will assemble the turbines.", {"Varkos"}),
    # English: lists after a plural role noun
    ("Buyers included operators such as Norvane, Keltonet and SBR Fibra.", {"Norvane", "Keltonet", "SBR Fibra"}),
    # English: appositive after the name, and "by" after a verb
    ("Quorvex, a unit of the industrial group Halden, will build the line.", {"Quorvex", "Halden"}),
    ("Tallbridge, the Canadian maker of battery casings, opened a plant in Ohio.", {"Tallbridge"}),
    ("The new mine will be developed by Tallbridge Minerals under a 20-year licence.", {"Tallbridge Minerals"}),
    ("Police blamed the Grimlock ransomware group for the outage at the port.", {"Grimlock"}),
    ("The market watchdog, KARVEX, said prices had fallen for a third month.", {"KARVEX"}),
    # Spanish, French, German, Italian, Portuguese, Swedish, Russian
    ("El acuerdo lo firmó la estatal Minerva Litio en Santiago.", {"Minerva Litio"}),
    ("El cohete fue desarrollado por la empresa valenciana Orbitalia.", {"Orbitalia"}),
    ("Le fonds Brume Invest a mené le tour de table.", {"Brume Invest"}),
    ("La société bretonne Kerlys a été rachetée en mars.", {"Kerlys"}),
    ("Der Chiphersteller Veltronik baut ein Werk in Sachsen.", {"Veltronik"}),
    ("La società Brenta Robotica ha presentato il nuovo braccio.", {"Brenta Robotica"}),
    ("A mineradora Serra Azul anunciou lucro recorde.", {"Serra Azul"}),
    ("Telebolaget Nordtel tecknade ett nytt avtal i går.", {"Nordtel"}),
    ("Госкорпорация «Росгеолпром» объявила о новом контракте.", {"Росгеолпром"}),
])
def test_names_told_by_context(tagger: Tagger, text: str, names: set[str]) -> None:
    assert context_orgs(tagger, text) == names


@pytest.mark.parametrize("text", [
    # a common word that starts a sentence
    "Meanwhile, a unit of the ministry said exports fell.",
    "Overall, the company that makes the parts expects slower growth.",
    # the role noun with no name after it
    "The company said on Tuesday it would hire 300 engineers.",
    "The group Tuesday said it would appeal the ruling.",
    # a country or a demonym where a name could be
    "The largest solar panel maker China raised output again.",
    "The plant was built by Chinese workers over two years.",
    # people
    "His rival Peter Novak won the vote by a wide margin.",
    "The start-up is backed by Marta Olsen, a former banker.",
    "Elon Musk bought the network in 2022; it has been owned by Musk since then.",
    "The company Marta Olsen founded in 2015 now employs 40 people.",
    # a modifier of the role noun, not a name
    "Exports by state-backed DRAM makers rose sharply.",
    # a capitalised German common noun
    "Weil der Hersteller Probleme hat, sinkt der Kurs.",
])
def test_no_name_without_a_name(tagger: Tagger, text: str) -> None:
    assert context_orgs(tagger, text) == set()


def test_a_title_case_headline_says_nothing_about_names(tagger: Tagger) -> None:
    assert context_orgs(tagger, "The plant opens next year.", "Chipmaker Quorvex Wins Big Grant For New Plant") == set()
    assert context_orgs(tagger, "The plant opens next year.", "Chipmaker Quorvex wins a big grant for a new plant") == {"Quorvex"}


def test_registry_names_are_not_found_twice(tagger: Tagger) -> None:
    result = tagger.tag("The chipmaker Nvidia and the start-up Lumivane signed a supply deal.")
    assert [t.value for t in result.orgs if t.label == "Nvidia"] != []
    assert context_orgs(tagger, "The chipmaker Nvidia and the start-up Lumivane signed a supply deal.") == {"Lumivane"}


def test_context_names_carry_their_evidence_and_reason(tagger: Tagger) -> None:
    text = "Regulators cleared the sale after chipmaker Quorvex agreed to keep its plant open."
    (tag,) = [t for t in tagger.tag(text).orgs if t.label == "Quorvex"]
    assert tag.value == "x:quorvex"
    assert "by context" in tag.why
    (ev,) = tag.evidence
    assert text[ev.start:ev.end] == ev.cue == "Quorvex"


def test_known_spans_are_skipped() -> None:
    finder = ContextFinder()
    text = "The chipmaker Quorvex and the start-up Lumivane signed a deal."
    assert [n.name for n in finder.find(text)] == ["Quorvex", "Lumivane"]
    start = text.index("Quorvex")
    assert [n.name for n in finder.find(text, Spans([(start, start + 7)]))] == ["Lumivane"]


PIECES = st.sampled_from([
    "chipmaker ", "Chipmaker ", "the company ", ", a unit of ", "developed by ", "desarrollado por ", "rymdbolaget ",
    "компанией ", "Hangzhou-based ", " such as ", " and ", ", ", ". ", "\n", "«", "»", "“", "’s ", "Absolics", "SKC",
    "Quorvex Power", "Elon Musk", "China", "Monday", "İ", "ß", "中", "😀", "\u00a0", "-", "&",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join)
FINDER = ContextFinder()


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_found_names_are_ordered_slices_of_the_text(text: str) -> None:
    names = FINDER.find(text)
    assert all(n.name == text[n.start:n.end] and n.name.strip() == n.name for n in names)
    assert all(a.end <= b.start for a, b in pairwise(names))
