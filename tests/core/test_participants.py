"""Participant or passing: the kinds of mentions that name a country, an organization or a theme
without making it part of the story (texts written for these tests, in several languages)."""

from __future__ import annotations

import pytest

from core.tagging.tagger import COUNTRY_RULES, Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def countries(tagger: Tagger, text: str, title: str = "") -> set[str]:
    return set(tagger.tag(text, title, None).values("country"))


def themes(tagger: Tagger, text: str, title: str = "") -> set[str]:
    return set(tagger.tag(text, title, None).values("theme"))


def orgs(tagger: Tagger, text: str) -> set[str]:
    return set(tagger.tag(text, "", None).labels("org"))


def test_the_rules_are_a_named_table() -> None:
    names = [rule.name for stage in COUNTRY_RULES.values() for rule in stage]
    assert len(names) == len(set(names)) >= 10
    assert {"a language in a language menu", "one of a long list of countries", "a comparison"} <= set(names)


def test_a_language_menu_names_no_country(tagger: Tagger) -> None:
    text = ("Chile's senate approved the lithium bill on Tuesday after a long debate.\n"
            "• de - Deutsch\n• fr - français\n• es - español\n• it - italiano\n• sv - svenska")
    assert countries(tagger, text) == {"CL"}


def test_a_country_inside_a_company_name_is_its_home(tagger: Tagger) -> None:
    result = tagger.tag("The regulator fined Streamly Ireland Limited for moving user data abroad without consent.", "", None)
    assert "IE" not in result.values("country") and "IE" in result.values("org_country")


def test_a_city_where_someone_stays_is_not_a_participant(tagger: Tagger) -> None:
    text = ("The minister thanked the delegation for two productive weeks in Paris. "
            "Brazil will now present its plan for battery minerals to its own parliament.")
    assert countries(tagger, text) == {"BR"}


@pytest.mark.parametrize(("text", "want"), [
    ("Korea's new chip subsidy is larger than Japan's. Seoul will fund three fabs this year.", {"KR"}),
    ("Anders als die USA will Kanada die Ausfuhr von Chips nach China nicht verbieten, sagte die Regierung in Ottawa.", {"CA", "CN"}),
])
def test_a_comparison_is_passing(tagger: Tagger, text: str, want: set[str]) -> None:
    assert countries(tagger, text) == want


def test_a_long_list_after_the_lede_is_background(tagger: Tagger) -> None:
    text = ("Norway opened its first rare-earth refinery on Monday. The operator said it hopes to supply "
            "carmakers across Europe. Similar plants run in Canada, Australia, Malaysia, Estonia and Vietnam.")
    assert countries(tagger, text) == {"NO"}


def test_a_list_in_the_lede_names_the_parties(tagger: Tagger) -> None:
    text = "Canada, Australia, Japan and Korea launched a joint fund for mineral processing on Monday."
    assert countries(tagger, text) == {"CA", "AU", "JP", "KR"}


def test_a_war_given_as_the_cause_is_context_even_in_the_lede(tagger: Tagger) -> None:
    text = "In response to Russia's invasion of Ukraine, Canada added 40 Russian firms to its export control list."
    assert "UA" not in countries(tagger, text) and "CA" in countries(tagger, text)


@pytest.mark.parametrize(("text", "absent"), [
    ("Det finns stora behov av nya investeringar i elnätet, skriver regeringen i Stockholm.", "FI"),
    ("As empresas irão investir em novas linhas de montagem no Vale do Jequitinhonha.", "IR"),
    ("Riunione del Consiglio dei ministri: approvato il decreto sulle imprese.", "RE"),
])
def test_common_words_that_are_also_country_names(tagger: Tagger, text: str, absent: str) -> None:
    assert absent not in countries(tagger, text)


def test_the_commission_and_the_council_in_an_eu_text(tagger: Tagger) -> None:
    text = ("The European Union wants more chips made at home. The Commission proposed new rules on Tuesday, "
            "and the Council will debate them next month.")
    assert {"European Commission", "Council of the EU"} <= orgs(tagger, text)
    assert "Council of the EU" not in orgs(tagger, "The city council in Leeds approved a new bus lane.")


def test_inflected_names_of_eu_bodies(tagger: Tagger) -> None:
    assert "European Commission" in orgs(tagger, "Der Vorschlag der Europäischen Kommission sieht neue Regeln für KI vor.")
    assert "Government of Sweden" in orgs(tagger, "Regeringen i Sverige vill stärka skyddet mot cyberattacker.")


def test_a_minor_theme_outside_the_lede_is_passing(tagger: Tagger) -> None:
    text = ("Japan approved a new subsidy of 500 billion yen for a chip plant in Kumamoto, the trade ministry said. "
            "The plant will make logic chips for cars and servers. Officials said the plan would create jobs and "
            "support the region's semiconductor suppliers. The site will use some solar power.")
    assert "energy" not in themes(tagger, text) and "semiconductors" in themes(tagger, text)


@pytest.mark.parametrize(("text", "absent"), [
    ("The Office of Science at the Department of Energy announced new quantum research centers at five labs.", "investment"),
    ("MPs debated benefit sanctions on claimants who miss appointments at the jobcentre, and the minister defended them.", "trade"),
])
def test_words_that_look_like_a_theme(tagger: Tagger, text: str, absent: str) -> None:
    assert absent not in themes(tagger, text)


@pytest.mark.parametrize(("text", "present"), [
    ("China hits back at Washington with new export curbs on rare earths.", {"CN", "US"}),
    ("The United States would like China to stop subsidising its chip industry.", {"US", "CN"}),
    ("The EU adopted sanctions against Russia over its war of aggression against Ukraine.", {"EU", "RU"}),
    ("Focus on: Chinese export restrictions on graphite start in December.", {"CN"}),
    ("Wie China reagiert, ist offen: Peking prüft Gegenmaßnahmen gegen die neuen Zölle.", {"CN"}),
])
def test_words_that_only_look_like_passing_markers(tagger: Tagger, text: str, present: set[str]) -> None:
    assert present <= countries(tagger, text)
