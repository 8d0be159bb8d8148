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


def test_a_place_or_a_speaker_country_in_parentheses_is_passing(tagger: Tagger) -> None:
    text = ("The committee adopted its report on satellite licensing. The talks held in Nairobi (Kenya) last year "
            "were recalled by the chair, Ana Ruiz (Uruguay), who thanked the secretariat. Canada's agency will "
            "publish the new licensing rules, and Canada will consult operators first.")
    assert countries(tagger, text) == {"CA"}
    # an abbreviation in parentheses names the actor itself
    assert "EU" in countries(tagger, "Regulation (EU) 2023/2854 sets rules on access to data held by connected products.")


def test_a_share_in_a_table_of_figures_is_passing(tagger: Tagger) -> None:
    text = ("Korea's exports of memory chips rose again in the third quarter, the trade ministry said. Korea's largest "
            "buyers were Vietnam (21 %) and Mexico (9 %), while sales to other markets were flat.")
    assert countries(tagger, text) == {"KR"}


def test_a_day_before_a_shorthand_is_a_day(tagger: Tagger) -> None:
    # "近日印发" is "recently issued"; "21日中国" is a date followed by China
    assert countries(tagger, "国务院近日印发关于促进集成电路产业发展的若干政策。") == {"CN"}  # the State Council's
    assert countries(tagger, "10月21日中国商务部宣布对部分物项实施出口管制。") == {"CN"}
    assert countries(tagger, "日中両国の外相は本日、東京で会談した。") == {"CN", "JP"}


def test_a_national_council_is_not_the_eu_council(tagger: Tagger) -> None:
    text = ("Il Consiglio dei Ministri si è riunito a Palazzo Chigi e ha approvato un disegno di legge sulla sicurezza "
            "delle reti 5G. Il Consiglio ha inoltre deliberato nomine. Il testo recepisce una direttiva europea.")
    assert "EU" not in countries(tagger, text)
    assert "EU" in countries(tagger, "Il Consiglio ha adottato oggi la posizione dell'Unione europea sul regolamento chip.")


def test_a_country_in_a_cjk_parenthesis_is_a_venue(tagger: Tagger) -> None:
    text = "経済産業省は半導体の輸出管理を強化すると発表した。昨年、G7貿易大臣会合(英国)が開催された。"
    assert "GB" not in countries(tagger, text)


def test_an_import_ban_and_eu_restrictive_measures_are_trade(tagger: Tagger) -> None:
    assert "trade" in themes(tagger, "The order bans the import of crude oil and coal from the sanctioned country, "
                                     "effective at once, the Treasury said.")
    assert "trade" in themes(tagger, "De Raad heeft vandaag nieuwe beperkende maatregelen tegen Rusland vastgesteld, "
                                     "waaronder een uitvoerverbod voor bepaalde goederen.")


def test_the_military_in_a_sentence_about_an_export_control_is_its_reason(tagger: Tagger) -> None:
    text = ("The Commission updated the EU list of dual-use items subject to export controls. The export controls "
            "cover goods with civilian and military applications, such as parts of missiles and weapons. "
            "Exporters need an export licence for the listed items from 1 July.")
    assert themes(tagger, text) >= {"export_controls"} and "defense" not in themes(tagger, text)
    assert "defense" in themes(tagger, "The ministry signed a contract for 40 new fighter jets and air defense "
                                       "missiles to equip the air force by 2030.")


def test_a_country_named_once_in_a_long_text_about_others_is_passing(tagger: Tagger) -> None:
    body = ("Chile's government presented its national lithium strategy to the Senate on Monday. " * 3
            + "The strategy gives the state a majority in new projects in the salt flats and keeps private partners. "
            + "Officials said the plan followed years of debate in Chile about royalties, water use and the rights of "
              "communities near the mines. " * 4
            + "A comparison with the rules of Argentina came up once during the hearing. "
            + "Chile will open talks with the companies already operating in the Atacama before the end of the year, "
              "and the ministry will publish the list of salt flats reserved for state companies. " * 3)
    assert len(body) >= 1500
    assert countries(tagger, body) == {"CL"}
    short = "Chile's senate approved the lithium plan; a comparison with the rules of Argentina came up once."
    assert countries(tagger, short) == {"CL", "AR"}
    # named once, but as the party of an act between countries: a participant
    acted = body.replace("A comparison with the rules of Argentina came up once during the hearing. ",
                         "Chile also banned exports of lithium technology to Argentina. ")
    assert countries(tagger, acted) == {"CL", "AR"}
    # a head of government acts: named once, still a participant
    led = body.replace("A comparison with the rules of Argentina came up once during the hearing. ",
                       "Emmanuel Macron called the plan a model for Europe during a visit. ")
    assert countries(tagger, led) == {"CL", "FR"}
    # a government body of the registry acts: named once, still a party
    body_acts = body.replace("A comparison with the rules of Argentina came up once during the hearing. ",
                             "The French government will co-finance a lithium carbonate refinery under the plan. ")
    assert len(body_acts) >= 1500 and countries(tagger, body_acts) == {"CL", "FR"}


def test_critical_raw_materials_by_other_names(tagger: Tagger) -> None:
    assert "critical_minerals" in themes(tagger, "Regeringen har gett utredningen nya direktiv om en säker försörjning av "
                                                 "innovationskritiska metaller och mineral.")
    assert "critical_minerals" in themes(tagger, "El reglamento establece un marco para garantizar un suministro seguro de "
                                                 "materias primas fundamentales en la Unión.")


def test_what_minerals_are_for_is_not_an_energy_story(tagger: Tagger) -> None:
    text = ("The government named twelve critical minerals projects for fast-track permits. Lithium, nickel and "
            "graphite from the projects are needed for batteries, solar panels and wind turbines. The minerals "
            "ministry will review the permits within six months.")
    assert "critical_minerals" in themes(tagger, text) and "energy" not in themes(tagger, text)


@pytest.mark.parametrize(("text", "theme"), [
    ("De Tweede Kamer besprak de verordening over cyberweerbaarheid van producten met digitale elementen.", "cybersecurity"),
    ("Sejm przyjął ustawę o krajowym systemie cyberbezpieczeństwa i nowych obowiązkach operatorów.", "cybersecurity"),
    ("Rozporządzenie określa zasady dostępu do danych z urządzeń podłączonych do sieci.", "data_governance"),
    ("The programme funds secure connectivity for government users through a new satellite constellation.", "telecom"),
])
def test_theme_words_of_official_texts_in_more_languages(tagger: Tagger, text: str, theme: str) -> None:
    assert theme in themes(tagger, text)


def test_climate_as_the_reason_of_a_minerals_text_is_passing(tagger: Tagger) -> None:
    text = ("The ministry published a plan to secure supplies of lithium, cobalt and rare earths for domestic "
            "refining. Critical minerals will get a faster permit procedure and a state offtake fund. "
            "Officials said the metals are needed for batteries and wind turbines. "
            "The country is in the middle of a climate transition, and the net zero target depends on new mines. "
            "Greenhouse gas emissions must fall by half within the decade, the minister said.")
    assert "critical_minerals" in themes(tagger, text) and "climate" not in themes(tagger, text)
    # named in the title, the climate is a subject of the text too
    assert "climate" in themes(tagger, text, title="Net zero plan: critical minerals and the climate transition")
    # a purpose phrase: the theme is what a measure is for
    purpose = ("The bill funds research on clean energy to fight the climate crisis at the national labs. "
               "It also expands grants for new laboratories and fellowships.")
    assert "climate" not in themes(tagger, purpose)


def test_spd_is_germany_s_party_only_in_a_german_context(tagger: Tagger) -> None:
    assert "Social Democratic Party of Germany" not in orgs(
        tagger, "The White House issued Space Policy Directive-2 (SPD-2) to simplify launch licensing.")
    assert "Social Democratic Party of Germany" in orgs(tagger, "Im Bundestag stimmten SPD und Grüne für das Gesetz.")


def test_a_chemical_named_after_hydrogen_is_not_energy(tagger: Tagger) -> None:
    text = ("The ministry will require licences for hydrogen fluoride and photoresists shipped abroad. "
            "Hydrogen fluoride etches wafers in chip plants.")
    assert "energy" not in themes(tagger, text)
    assert "energy" in themes(tagger, "The ministry opened a tender for green hydrogen plants and offshore wind "
                                      "farms to supply the grid with clean energy.")


def test_countries_only_in_the_backdrop_conflict_or_at_both_ends_of_a_link(tagger: Tagger) -> None:
    text = ("The Treasury imposed sanctions on banks in Russia and on exporters in Belarus, holding Moscow to account "
            "for its invasion of Ukraine. The assets of twelve companies in Russia and Belarus are frozen.")
    assert {"RU", "BY"} <= countries(tagger, text) and "UA" not in countries(tagger, text)
    # a text about the conflict itself names its parties outside the phrase too
    war = "Ukraine's army pushed back Russian troops near Kharkiv; Russia's war against Ukraine is in its fourth year."
    assert {"UA", "RU"} <= countries(tagger, war)
    # named once in a long text, but as one end of a link between two countries: a party
    body = ("Finland's coast guard boarded a tanker suspected of dragging its anchor across the Gulf of Finland. " * 4
            + "Finland and Estonia said the damaged power line would take weeks to repair. " * 5
            + "It was the latest of several incidents, after a data cable connecting Germany and Finland was cut. "
            + "Estonia asked the alliance for more patrols in the Baltic Sea, and Finland agreed to share its data. " * 7)
    assert len(body) >= 1500
    assert {"FI", "EE", "DE"} <= countries(tagger, body)
    passing = body.replace("a data cable connecting Germany and Finland was cut", "a report compared the case with Germany")
    assert "DE" not in countries(tagger, passing)


def test_a_body_that_acts_in_one_field_anchors_its_theme(tagger: Tagger) -> None:
    text = ("The Office of the United States Trade Representative held a public hearing on Tuesday. "
            "Ambassador Katherine Tai said the agency would publish its findings in March, after comments from "
            "trade groups, farm groups and unions on the trade record of the partner.")
    assert "trade" in themes(tagger, text)
    # the same weak words without the body: no theme
    assert "trade" not in themes(tagger, text.replace("The Office of the United States Trade Representative", "A committee"))


def test_org_themes_name_known_organizations_and_themes(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.errors import DataError
    from core.tagging import lexicon

    rows = {"org_themes.csv": [{"id": "no-such-body", "themes": "trade"}]}
    real = lexicon.read_csv
    monkeypatch.setattr(lexicon, "read_csv", lambda name: rows.get(name) or real(name))
    lex = lexicon.Lexicon()
    lexicon.org_cues(lex)
    with pytest.raises(DataError, match=r"org_themes\.csv:2: unknown organization id 'no-such-body'"):
        lexicon.org_theme_cues(lex)
    rows["org_themes.csv"] = [{"id": "us-ustr", "themes": "tariffs"}]
    with pytest.raises(DataError, match="unknown theme ids"):
        lexicon.org_theme_cues(lex)


def test_countries_given_as_examples_in_an_open_cjk_list_are_passing(tagger: Tagger) -> None:
    text = "総務省は量子暗号通信の実証を始めた。米国、欧州、中国などが国家戦略を策定している。"
    assert countries(tagger, text) == {"JP"}
    # a single partner named with など is not a list of examples
    assert "US" in countries(tagger, "経済産業省は米国などとの協力を強化すると発表した。")


def test_a_uk_parliamentary_record_names_its_parliament(tagger: Tagger) -> None:
    assert "GB" in countries(tagger, "HC Deb 14 March 1951 vol 485 cc2010-1W. Mr. Smith asked the Minister what "
                                     "allocation of steel had been made to the shipyards.")
    assert "GB" in countries(tagger, "Consideration of Lords amendments. Lords amendment 3 would add a duty to "
                                     "consult before a notice is given.")


def test_a_country_in_the_citation_of_an_earlier_document_is_passing(tagger: Tagger) -> None:
    text = ("The European Parliament,\n\n– having regard to its resolution of 5 May 2022 on Japan's semiconductor "
            "strategy,\n\n– having regard to the Commission communication on chips,\n\n1. Calls on the Commission "
            "to propose a European chips fund for the Union's own fabs;")
    assert "JP" not in countries(tagger, text) and "EU" in countries(tagger, text)
    assert "JP" in countries(tagger, "1. Calls on the Commission to open talks with Japan on a chips partnership;")


def test_gene_technology_and_health_data_by_their_names(tagger: Tagger) -> None:
    assert "biotech" in themes(tagger, "The Gene Technology Bill sets up a regulator for genetically modified "
                                       "organisms and field trials.")
    assert "biotech" in themes(tagger, "Il Parlamento si oppone all'autorizzazione del mais geneticamente modificato.")
    assert "data_governance" in themes(tagger, "The Council agreed its position on the European Health Data Space, "
                                               "which lets patients share their records across borders.")


def test_italy_s_golden_power_and_funding_amounts_are_investment(tagger: Tagger) -> None:
    assert "investment" in themes(tagger, "Il Consiglio dei Ministri ha deliberato di non esercitare il golden power "
                                          "sull'operazione, con prescrizioni per la rete.")
    assert "investment" in themes(tagger, "The minister said the programme provides up to $1.5 billion in funding "
                                          "for roads and power lines to new mines.")


def test_latin_american_bodies_name_their_country(tagger: Tagger) -> None:
    assert countries(tagger, "Conagua pidió a la población seguir las indicaciones por las lluvias.") == {"MX"}
    assert "BR" in countries(tagger, "O MCTI e o BNDES lançaram um edital para centros de dados.")
    assert "Ministry of Mining of Chile" in orgs(tagger, "El Ministerio de Minería de Chile presentó la estrategia del litio.")


def test_german_federal_ministries_in_german(tagger: Tagger) -> None:
    assert countries(tagger, "Der Bundesgesundheitsminister stellte die Digitalstrategie für Kliniken vor.") == {"DE"}
    assert "Federal Ministry of Health of Germany" in orgs(tagger, "Rede des Bundesministers für Gesundheit im Plenum.")
    assert "Federal Ministry of Finance of Germany" not in orgs(tagger, "BMF Group released its quarterly results.")


def test_a_body_s_theme_hit_is_not_an_item_of_a_list_of_sectors(tagger: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.tagging.lexicon import ORG_THEME_WEIGHT
    from core.tagging.tagger import LEDE_FACTOR

    text = "The levy covers energy, defence, trade and Ofcom."

    def telecom() -> float:
        return next(t.raw_score for t in tagger.tag(text).themes if t.value == "telecom")

    with_body = telecom()
    monkeypatch.setattr(tagger.lexicon, "org_themes", {})
    # the regulator's own theme hit keeps its full weight; only the cue "Ofcom" is a list item
    assert with_body - telecom() == pytest.approx(ORG_THEME_WEIGHT * LEDE_FACTOR)
    assert themes(tagger, "USTR") == set()  # a body alone, no theme cue: no error, no tag


def test_a_theme_word_inside_a_conflict_named_as_backdrop_is_passing(tagger: Tagger) -> None:
    text = ("Semiconductors matter to every American. Chips power everything from a smartphone to the weapons that "
            "we send to help Ukraine defeat Russian aggression, and the F-35 fighter. The CHIPS Act funds new fabs "
            "and chip research so that the chip supply chain is secure.")
    got = themes(tagger, text, "Semiconductors")
    assert "semiconductors" in got
    assert "defense" not in got
    # a story about the fighting itself stays defense
    assert "defense" in themes(tagger, "NATO allies pledged more air defence systems and artillery to Ukraine's armed "
                                       "forces after Russia's military aggression against Ukraine entered a new phase.")


def test_the_place_of_a_conference_is_not_a_party(tagger: Tagger) -> None:
    # a venue after a conference's name and a short complement, and a city's country after it
    text = ("EU ministers said the climate change conference in Doha, Qatar, ended with a deal on the Kyoto "
            "Protocol; the European Union will cut emissions further.")
    got = countries(tagger, text)
    assert "EU" in got
    assert "QA" not in got
