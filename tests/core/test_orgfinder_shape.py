"""Organizations outside the registry, found by the shape of their names: short invented texts."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tagging.orgfinder import find_names
from core.tagging.tagger import Tagger


@pytest.mark.parametrize(("text", "name"), [
    ("The rules cover Hong Kong and Macau. The Office of Investment Security will run the programme.",
     "Office of Investment Security"),
    ("Exports went to Lagos. Northern Lights Energy said it would appeal.", "Northern Lights Energy"),
    ("The Eastern Theater Command of the People's Liberation Army began drills on Monday.", "Eastern Theater Command"),
    ("Prosecutors in the National Security Division charged two engineers.", "National Security Division"),
    ("The head of U.S. Space Command spoke in Colorado.", "Space Command"),
    ("Acme Corp. Holdings said on Friday that it would list in Tokyo.", "Acme Corp. Holdings"),
])
def test_a_name_stays_inside_its_sentence(text: str, name: str) -> None:
    assert name in [n.name for n in find_names(text)]


def test_a_sentence_end_is_not_part_of_a_name() -> None:
    names = [n.name for n in find_names("Talks ended in Macau. The Office said nothing. Seoul Semiconductor Bank agreed.")]
    assert not any("Macau" in n or "nothing" in n for n in names), names


@pytest.mark.parametrize(("text", "org"), [
    ("The Ministry of Foreign Affairs of the PRC said the landing was a success.", "Ministry of Foreign Affairs of China"),
    ("The Government of the Russian Federation approved the quantum roadmap.", "Government of Russia"),
])
def test_registry_names_also_match_with_the_official_country_name(text: str, org: str) -> None:
    assert org in [t.label for t in Tagger().tag(text).orgs if t.tagged]


@pytest.mark.parametrize(("text", "name"), [
    ("Britain's Competition and Markets Authority cleared the merger.", "Competition and Markets Authority"),
    ("South Korea's Ministry of Science and ICT said on Tuesday it would fund chips.", "Ministry of Science and ICT"),
    ("The National People's Congress Standing Committee passed the law.", "National People's Congress Standing Committee"),
    ("The rule was issued by the Federal Trade Commission on Thursday.", "Federal Trade Commission"),
    ("Exports need a licence from the Department of Commerce.", "Department of Commerce"),
    ("The European Data Protection Board issued guidance.", "European Data Protection Board"),
    ("Shares rose on the Ghana Stock Exchange.", "Ghana Stock Exchange"),
])
def test_a_name_without_its_owner_day_or_full_stop(text: str, name: str) -> None:
    assert name in [n.name for n in find_names(text)]


@pytest.mark.parametrize(("text", "name"), [
    ("El Consejo de Ministros aprobó el plan de chips el martes.", "Consejo de Ministros"),
    ("O Ministério da Ciência anunciou um novo fundo para semicondutores.", "Ministério da Ciência"),
    ("El Instituto Nacional de Técnica Aeroespacial lanzó un satélite.", "Instituto Nacional de Técnica Aeroespacial"),
    ("L'Autorità per le Garanzie nelle Comunicazioni ha multato l'operatore.", "Autorità per le Garanzie nelle Comunicazioni"),
])
def test_romance_institution_names_head_first(text: str, name: str) -> None:
    assert name in [n.name for n in find_names(text)]


def test_romance_heads_need_a_capitalised_name_after_the_link() -> None:
    assert find_names("La Corte de apelaciones falló ayer y el Banco de datos cerró.") == []


@pytest.mark.parametrize(("text", "name"), [
    ("The deal gives Atlantic Lithium a partner for its Ghana project.", "Atlantic Lithium"),
    ("A lunar lander built by Intuitive Machines touched down on Thursday.", "Intuitive Machines"),
    ("Savannah Resources said the mine would open in 2027.", "Savannah Resources"),
])
def test_an_industry_word_ends_a_company_name(text: str, name: str) -> None:
    assert name in [n.name for n in find_names(text)]


def test_an_industry_word_before_another_capitalised_word_is_not_a_name_end() -> None:
    assert find_names("Chile unveiled its National Lithium Strategy on Thursday.") == []


@pytest.mark.parametrize(("text", "name"), [
    ("Министерство обороны России заявило о новых испытаниях.", "Министерство обороны России"),
    ("Міністерство цифрової трансформації оголосило конкурс.", "Міністерство цифрової трансформації"),
    ("Федеральная служба по техническому и экспортному контролю обновила список.",
     "Федеральная служба по техническому и экспортному контролю"),
    ("Фонд развития промышленности выделил средства заводу.", "Фонд развития промышленности"),
    ("Ministerstwo Obrony Narodowej podpisało umowę na czołgi.", "Ministerstwo Obrony Narodowej"),
    ("Rada Ministrów przyjęła projekt ustawy.", "Rada Ministrów"),
])
def test_slavic_institution_names_head_first(text: str, name: str) -> None:
    assert name in [n.name for n in find_names(text)]


def test_a_slavic_name_ends_before_a_verb_or_after_the_country() -> None:
    assert [n.name for n in find_names("Міністерство оборони України має намір закупити дрони.")] == [
        "Міністерство оборони України"]
    assert [n.name for n in find_names("Министерство финансов сообщило, что бюджет вырос.")] == ["Министерство финансов"]


_PIECES = st.sampled_from(["Министерство ", "обороны ", "России ", "и ", "заявило ", "Ministerstwo ", "Obrony ",
                           "Rada Ministrów ", "The ", "Office ", "of ", "Security", ". ", ", ", "Macau. ", "Lithium ",
                           "National ", "Corp. ", "Britain's ", "on Thursday ", "\n", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_shape_names_are_ordered_trimmed_slices_of_the_text(text: str) -> None:
    names = find_names(text)
    assert all(n.name.strip() == n.name and n.name for n in names)
    assert all(n.name == text[n.start:n.end] or n.name.startswith("Ministry ") for n in names)
    assert all(a.end <= b.start for a, b in pairwise(names))


@pytest.mark.parametrize(("text", "names"), [
    ("今回、北斗電子株式会社と一般社団法人量子産業協議会が共同で実証を行った。", ["北斗電子株式会社", "一般社団法人量子産業協議会"]),
    ("株式会社 Blue Orbit は衛星の打ち上げを発表した。", ["株式会社 Blue Orbit"]),
    ("協賛:青葉マテリアル(株)、国立大学法人北海道大学", ["青葉マテリアル(株)", "国立大学法人北海道大学"]),
])
def test_a_japanese_legal_form_marks_a_name(text: str, names: list[str]) -> None:
    assert [n.name for n in find_names(text)] == names


def test_a_legal_form_alone_or_after_a_verb_is_no_name() -> None:
    assert find_names("彼らは新たに設立した株式会社を売却した。") == []


@pytest.mark.parametrize(("text", "name"), [
    ("In seiner Sitzung am Mittwoch informierte sich der Verkehrsausschuss über die Halbleiterpläne.", "Verkehrsausschuss"),
    ("Betänkandet lämnades av Näringsutskottets ledamöter i går.", "Näringsutskottet"),
    ("The Subcommittee on Advanced Materials met on Tuesday.", "Subcommittee on Advanced Materials"),
])
def test_a_committee_named_in_one_word_or_a_subcommittee(text: str, name: str) -> None:
    assert name in [n.name for n in find_names(text)]
