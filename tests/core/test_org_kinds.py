"""Organizations by kind: bare names of EU bodies and national governments, the European Council
told apart from the Council of the EU, committees and groups of the European Parliament, national
parties; and a bare body name that is only part of another name. Texts are our own."""

from __future__ import annotations

import pytest

from core.evaluate import org_hit
from core.tagging.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def tagged(tagger: Tagger, text: str, title: str = "") -> set[str]:
    return {o.value for o in tagger.tag(text, title).orgs if o.tagged}


@pytest.mark.parametrize(("text", "present", "absent"), [
    # the article form "do Conselho" yields to the longer name that starts inside it
    ("Tendo em conta as conclusões do Conselho Europeu de março, a União Europeia reforça a defesa.",
     {"eu-european-council"}, {"eu-council"}),
    ("Vu les conclusions du Conseil européen, l'Union européenne adopte sa position.",
     {"eu-european-council"}, {"eu-council"}),
    ("In zijn conclusies veroordeelde de Europese Raad de aanval; de Europese Unie reageerde.",
     {"eu-european-council"}, set()),
    # bare names in EU texts
    ("The informal deal reached by Parliament and Council on Tuesday still needs a vote, said the "
     "MEP who led the talks on the European Union's new data rules.", {"eu-parliament", "eu-council"}, set()),
    ("Das Parlament stimmte zu; der Rat muss die Verordnung der Europäischen Union noch annehmen.",
     {"eu-council"}, set()),
    # a bare name that ends or opens another name is not the EU body
    ("The UN Human Rights Council met in Geneva; the European Union spoke.", set(), {"eu-council"}),
    ("Brazil raised the waiver at the WTO TRIPS Council, and the European Union objected.", set(), {"eu-council"}),
    ("La Comisión de Asuntos Exteriores del Senado debatió la política de la Unión Europea.",
     set(), {"eu-commission"}),
    # ... unless what follows is one of the body's acts or offices
    ("Commission Implementing Regulation (EU) 2024/1 sets duties on imports into the European Union.",
     {"eu-commission"}, set()),
])
def test_bare_eu_bodies(tagger: Tagger, text: str, present: set[str], absent: set[str]) -> None:
    got = tagged(tagger, text)
    assert present <= got
    assert not absent & got


@pytest.mark.parametrize(("text", "expected"), [
    ("Le rapport, au nom de la commission du commerce international, a été débattu au Parlement européen.",
     "eu-ep-inta"),
    ("De Commissie industrie, onderzoek en energie van het Europees Parlement stemde over de tekst.", "eu-ep-itre"),
    ("La commissione per le petizioni del Parlamento europeo ha esaminato la denuncia.", "eu-ep-peti"),
    ("Au nom du groupe ECR, le député a critiqué la proposition au Parlement européen.", "eu-group-ecr"),
    ("Em nome do Grupo Verts/ALE, a deputada pediu mais transparência no Parlamento Europeu.",
     "eu-group-greens-efa"),
    ("MEPs from the S&D group backed the text in the European Parliament.", "eu-group-sd"),
])
def test_european_parliament_committees_and_groups(tagger: Tagger, text: str, expected: str) -> None:
    assert expected in tagged(tagger, text)


def test_parties_of_a_national_parliament_need_its_context(tagger: Tagger) -> None:
    debate = ("Na reunião plenária da Assembleia da República, o PSD e o PCP votaram contra, o BE absteve-se "
              "e o Chega apresentou uma proposta.")
    assert {"pt-psd", "pt-pcp", "pt-be", "pt-chega"} <= tagged(tagger, debate)
    # the same short names elsewhere name no party
    assert not {"pt-psd", "pt-be", "pt-chega"} & tagged(tagger, "Romania's PSD won; BE and FR exports rose. Chega!")


@pytest.mark.parametrize(("text", "expected"), [
    ("Il Governo ha presentato il decreto-legge alla Camera dei deputati per tutelare le imprese italiane.",
     "it-government"),
    ("El Gobierno aprobó el Real Decreto que crea la agencia de supervisión en España.", "es-government"),
    ("Het kabinet stuurt de brief over chipexport naar de Tweede Kamer.", "nl-government"),
    ("My Lords, the agreement before the House of Lords deserves scrutiny, said the Baroness.", "gb-parliament"),
    ("The Albanese Government will put the bill to Parliament next week, the Australian Government said.",
     "au-parliament"),
])
def test_national_governments_and_chambers_by_their_bare_names(tagger: Tagger, text: str, expected: str) -> None:
    assert expected in tagged(tagger, text)


def test_a_gold_name_without_its_article_matches_the_mention_with_it(tagger: Tagger) -> None:
    result = tagger.tag("The European Union's rules were agreed; the Commission will now propose guidance.")
    assert org_hit("Commission", result, tagger)
    assert not org_hit("Council", result, tagger)
    spanish = tagger.tag("La ley de 2023 autoriza al Gobierno a crear la agencia; lo publica el BOE en España.")
    assert org_hit("Gobierno", spanish, tagger)


def countries(tagger: Tagger, text: str, title: str = "") -> set[str]:
    return {c.value for c in tagger.tag(text, title).countries if c.tagged}


@pytest.mark.parametrize("text", [
    "El Gobierno de España aprobó el real decreto que aplica en España el Reglamento (UE) 2024/1689 del "
    "Parlamento Europeo y del Consejo; la agencia española supervisará a las empresas españolas.",
    "Die Bundesregierung entscheidet in Deutschland über Ausfuhren nach dem Gemeinsamen Standpunkt "
    "2008/944/GASP des Rates der Europäischen Union; deutsche Firmen brauchen eine Genehmigung.",
    "El Ministerio español informó en Madrid sobre la Propuesta de Reglamento del Parlamento Europeo y del "
    "Consejo; España fijará sus propias sanciones.",
])
def test_the_authors_of_a_cited_eu_act_are_not_a_party(tagger: Tagger, text: str) -> None:
    got = countries(tagger, text)
    assert "EU" not in got
    assert got & {"ES", "DE"}


def test_the_eu_acting_is_still_a_party_beside_a_cited_act(tagger: Tagger) -> None:
    text = ("The European Commission proposed new rules and the Council of the EU agreed its position; the "
            "text amends Regulation (EU) 2019/452 of the European Parliament and of the Council.")
    assert "EU" in countries(tagger, text)


def test_public_bodies_named_in_japanese_korean_and_chinese() -> None:
    from core.tagging.orgfinder import find_names

    names = {n.name for n in find_names("交流会には在韓日本大使館と地方国際交流財団が参加し、同委員会も出席した。")}
    assert {"在韓日本大使館", "地方国際交流財団"} <= names
    assert "同委員会" not in names  # "the same committee": too short to be a name
    assert "한일의원연맹" in {n.name for n in find_names("이번 행사는 한일의원연맹 주최로 열렸다.")}
    # a name does not begin inside a particle ("に|よる")
    assert "新材料開発推進協議会" in {n.name for n in find_names("大学による新材料開発推進協議会が発足した。")}


def test_name_shapes_of_hubs_foundations_townships_and_first_nations() -> None:
    from core.tagging.orgfinder import find_names

    text = ("The grant goes to the Coastal Robotics Hub and the Foundation for Open Networks, with the Township of "
            "Elmvale and the Cedar Lake First Nation as partners.")
    names = {n.name for n in find_names(text)}
    assert {"Coastal Robotics Hub", "Foundation for Open Networks", "Township of Elmvale", "Cedar Lake First Nation"} <= names
    dutch = {n.name for n in find_names("De commissie J&V en de commissie EZK/LNV spraken; de commissie vergaderde.")}
    assert {"commissie J&V", "commissie EZK/LNV"} <= dutch


def test_a_name_wrapped_after_a_linking_word_is_read_whole(tagger: Tagger) -> None:
    text = "Mr. Smith moved to refer the bill to the Committee on \n     Foreign Trade Affairs, with instructions."
    labels = {o.label for o in tagger.tag(text).orgs}
    assert "Committee on Foreign Trade Affairs" in labels


@pytest.mark.parametrize(("text", "expected"), [
    ("量子技術イノベーション会議は新しい戦略を決定した。", "jp-quantum-innovation-council"),
    ("Заседание провёл Совет Безопасности; выступил секретарь.", "ru-security-council"),
])
def test_bodies_named_in_their_own_language(tagger: Tagger, text: str, expected: str) -> None:
    assert expected in {o.value for o in tagger.tag(text).orgs}


@pytest.mark.parametrize(("text", "expected"), [
    ("Secretary of State Marco Rubio said the sanctions would stay, the State Dept. added.", {"us-state"}),
    ("The consortium landed the 2Africa cable in Genoa; the C-Lion1 cable was cut in the Baltic.",
     {"cable-2africa", "cable-c-lion1"}),
    ("Le Commandement de l'espace et le COMCYBER ont mené l'exercice avec la Marine nationale.",
     {"fr-space-command", "fr-comcyber", "fr-navy"}),
    ("El Mando del Ciberespacio y el Ejército del Aire y del Espacio firmaron el acuerdo.",
     {"es-mcce", "es-air-space-force"}),
])
def test_department_titles_cable_systems_and_armed_forces(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert expected <= tagged(tagger, text)


def test_cable_names_that_are_ordinary_words_need_a_cable_context(tagger: Tagger) -> None:
    assert not {"cable-dunant", "cable-humboldt", "cable-marea"} & tagged(
        tagger, "Henri Dunant founded the Red Cross; Alexander von Humboldt sailed on the MAREA ship.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Der Bundesbeauftragte für den Datenschutz und die Informationsfreiheit prüft die App.", "de-bfdi"),
    ("Integritetsskyddsmyndigheten (IMY) granskar appen i Sverige.", "se-imy"),
    ("La CNPD luxembourgeoise a sanctionné la plateforme.", "lu-cnpd"),
    ("Datatilsynet i Danmark har forbudt tjenesten.", "dk-datatilsynet"),
    ("The Office of the Privacy Commissioner of Canada opened an investigation.", "ca-opc"),
])
def test_national_data_protection_authorities(tagger: Tagger, text: str, expected: str) -> None:
    assert expected in {o.value for o in tagger.tag(text).orgs}


def test_short_names_of_data_protection_authorities_need_their_country(tagger: Tagger) -> None:
    assert not {"se-imy", "be-apd", "lu-cnpd", "no-datatilsynet"} & tagged(tagger, "IMY, APD and CNPD were cited in the report.")
