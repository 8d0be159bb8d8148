"""Traps of the taxonomy and of country names, on short texts written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from core.tagging.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def themes(tagger: Tagger, text: str, title: str = "", date: dt.date | None = None) -> set[str]:
    return set(tagger.tag(text, title, date).values("theme"))


def countries(tagger: Tagger, text: str, date: dt.date | None = None) -> set[str]:
    return set(tagger.tag(text, "", date).values("country"))


@pytest.mark.parametrize("text", [
    "The artist Ai Weiwei opened an exhibition of porcelain in Berlin last week, drawing large crowds.",
    "Amnesty International (AI) said the detained activists must be released at once.",
    "Air India added three daily flights between Delhi and London for the summer season.",
])
def test_ai_lookalikes_are_not_ai(tagger: Tagger, text: str) -> None:
    assert "ai" not in themes(tagger, text)


@pytest.mark.parametrize("text", [
    "Fans at the stadium munched potato chips and tortilla chips during the second half.",
    "Blue-chip stocks rallied on Wall Street as investors shrugged off inflation worries.",
    "The ceasefire became a bargaining chip in talks, and neighbours chipped in with food aid.",
])
def test_chips_without_semiconductor_context(tagger: Tagger, text: str) -> None:
    assert "semiconductors" not in themes(tagger, text)


def test_chips_with_semiconductor_context(tagger: Tagger) -> None:
    assert "semiconductors" in themes(tagger, "Nvidia said demand for its chips from data centres doubled; the chips are made by TSMC.")


def test_quantum_leap_is_not_quantum(tagger: Tagger) -> None:
    assert "quantum" not in themes(tagger, "The new stadium is a quantum leap for the club's fans and its finances.")


def test_breach_of_contract_is_not_cyber(tagger: Tagger) -> None:
    assert "cybersecurity" not in themes(tagger, "The supplier sued for breach of contract after the delivery was late.")


def test_defense_lawyer_and_football_are_not_defense(tagger: Tagger) -> None:
    text = "The defense attorney rested her case on Friday. Earlier, the Army-Navy game drew a record crowd."
    assert "defense" not in themes(tagger, text)


def test_electricity_tariff_is_not_trade(tagger: Tagger) -> None:
    assert "trade" not in themes(tagger, "The regulator raised the electricity tariff for households by four percent.")


def test_car_exports_are_not_export_controls(tagger: Tagger) -> None:
    text = "Car exports rose 5 percent in May as shipments of electric vehicles grew, the ministry said."
    assert "export_controls" not in themes(tagger, text)


def test_diplomatic_cable_and_clouds_are_not_telecom(tagger: Tagger) -> None:
    text = "A leaked diplomatic cable described the ambassador's view. Storm clouds gathered over the capital."
    assert "telecom" not in themes(tagger, text)


def test_space_race_metaphor_and_product_launch(tagger: Tagger) -> None:
    text = "The company's product launch was a hit, and rivals are in a space race for shelf space in supermarkets."
    assert "space" not in themes(tagger, text)


def test_sports_sanctions_are_not_trade(tagger: Tagger) -> None:
    text = "The league imposed sanctions on the club after fans invaded the pitch; NCAA sanctions followed."
    assert "trade" not in themes(tagger, text)


def test_bis_bank_is_not_export_controls(tagger: Tagger) -> None:
    text = "The BIS, the Bank for International Settlements in Basel, warned central banks about inflation."
    assert "export_controls" not in themes(tagger, text)


def test_bis_with_export_context_is_export_controls(tagger: Tagger) -> None:
    text = "BIS added 30 companies to the entity list and imposed new export licence requirements."
    assert "export_controls" in themes(tagger, text)


def test_new_mexico_is_not_mexico(tagger: Tagger) -> None:
    assert "MX" not in countries(tagger, "A battery plant will be built in New Mexico, the governor said.")


def test_georgia_state_is_not_the_country(tagger: Tagger) -> None:
    assert "GE" not in countries(tagger, "Hyundai's battery plant in Georgia will employ 8,000 people, the state's governor said.")


def test_georgia_the_country_with_context(tagger: Tagger) -> None:
    assert "GE" in countries(tagger, "Protests continued in Tbilisi as Georgia's parliament passed the law.")


def test_jordan_and_chad_as_first_names(tagger: Tagger) -> None:
    found = countries(tagger, "Jordan Smith and Chad Brown founded a start-up that makes drones for farmers.")
    assert not {"JO", "TD"} & found


def test_turkey_the_bird(tagger: Tagger) -> None:
    assert "TR" not in countries(tagger, "Families roasted a turkey for Thanksgiving dinner.")


def test_niger_is_not_nigeria(tagger: Tagger) -> None:
    assert countries(tagger, "Niger's junta suspended uranium exports.") & {"NE", "NG"} == {"NE"}
    assert countries(tagger, "Nigeria's central bank cut rates.") & {"NE", "NG"} == {"NG"}


def test_west_indies_is_not_india(tagger: Tagger) -> None:
    assert "IN" not in countries(tagger, "The West Indies won the cricket match by four wickets.")


def test_acronyms_and_demonyms(tagger: Tagger) -> None:
    found = countries(tagger, "USA and UK officials met Dutch and South Korean counterparts.")
    assert {"US", "GB", "NL", "KR"} <= found


def test_leader_counts_only_inside_tenure(tagger: Tagger) -> None:
    text = "Kishida said the cabinet would approve new subsidies."
    assert "JP" in countries(tagger, text, dt.date(2023, 5, 1))
    assert "JP" not in countries(tagger, text, dt.date(2025, 6, 1))


def test_company_country_goes_to_org_countries(tagger: Tagger) -> None:
    r = tagger.tag("TSMC reported record quarterly profit on strong demand.")
    assert "TW" not in r.values("country")
    assert "TW" in r.values("org_country")


def test_government_body_names_its_country(tagger: Tagger) -> None:
    assert "US" in countries(tagger, "The Bureau of Industry and Security published a new rule on Tuesday.")


def test_markets_and_brands_in_passing_are_not_participants(tagger: Tagger) -> None:
    assert "CN" not in countries(tagger, "Sales outside of China rose by a tenth.")
    assert not {"EU", "US", "CN"} & countries(tagger, "Exports to the EU, the U.S., and China fell in May.")
    assert "JP" not in countries(tagger, "Sales of Japanese-brand cars fell again.")
    assert {"EU", "CN"} <= countries(tagger, "The EU and China agreed to resume talks.")


def test_background_after_the_lede_is_context_not_a_participant(tagger: Tagger) -> None:
    body = ("Brazil's soybean harvest reached a record this season, the farm ministry said. "
            "Growers planted more land in the west. Prices fell amid the U.S.-China trade dispute.")
    result = tagger.tag(body, "", dt.date(2024, 3, 1))
    assert result.values("country") == ["BR"]
    passing = {t.value: t for t in result.countries if not t.tagged}
    assert {"US", "CN"} <= set(passing)  # kept as passing mentions, with their evidence
    assert passing["US"].evidence[0].cue == "U.S"
    # The same words in the lede name the story's subject.
    assert {"US", "CN"} <= countries(tagger, "Prices fell amid the U.S.-China trade dispute, traders said.")
    # Named again outside the background clause: a participant.
    assert "CN" in countries(tagger, body + " China bought less than a year before.")


def test_defense_named_as_the_reason_for_a_measure_is_passing(tagger: Tagger) -> None:
    text = ("The commerce ministry added twelve firms to its export blacklist on Monday. "
            "Officials said the rule is meant to stop them from obtaining processors that support weapons development.")
    result = tagger.tag(text, "New export curbs on chip buyers", dt.date(2024, 3, 1))
    assert "export_controls" in result.values("theme")
    defense = next(t for t in result.themes if t.value == "defense")
    assert not defense.tagged and "reason for a measure" in defense.reason
    # Without the rationale phrase, the same words are about weapons.
    assert "defense" in themes(tagger, "The ministry ordered new missiles and fighter jets for its air force.")


def test_a_theme_in_the_second_sentence_alone_is_not_the_subject(tagger: Tagger) -> None:
    text = ("The city council approved a new bus timetable on Monday. "
            "A councillor said riders could check times with an artificial intelligence assistant.")
    assert "ai" not in themes(tagger, text)
    assert "ai" in themes(tagger, "An artificial intelligence assistant now answers riders' questions, the council said.")


def test_export_destinations_are_subjects_of_a_control_but_markets_elsewhere(tagger: Tagger) -> None:
    control = ("The agency imposed export controls on gene sequencers. "
               "Licences will be required for exports to Iran, Belarus and other countries of concern.")
    assert {"IR", "BY"} <= countries(tagger, control)
    assert not {"IR", "BY"} & countries(tagger, "Tea exports to Iran, Belarus and Chile rose in June.")


def test_place_names_that_are_not_the_country(tagger: Tagger) -> None:
    assert "US" not in countries(tagger, "Data centres in central Washington use cheap hydropower from the river dams.")
    # Plain "Congo" in the news is the Democratic Republic of the Congo; the other Congo is named in full.
    assert countries(tagger, "Congo halted cobalt shipments for four months.") == {"CD"}
    assert countries(tagger, "The Republic of the Congo signed an oil deal.") == {"CG"}


def test_short_country_names_in_korean_and_chinese(tagger: Tagger) -> None:
    assert "CZ" in countries(tagger, "체코 정부는 새 원전 사업자를 선정했다.")
    assert "CL" in countries(tagger, "智利政府宣布新的锂矿政策。")


def test_a_theme_named_as_background_after_the_lede_is_passing(tagger: Tagger) -> None:
    text = ("Shipments of frozen fish from the port rose by a fifth in May, the harbour office said. "
            "Fishing crews blamed rough weather for a slow April. Prices fell amid the long-running tariff dispute.")
    trade = next(t for t in tagger.tag(text).themes if t.value == "trade")
    assert not trade.tagged and "background" in trade.reason
    assert "trade" in themes(tagger, "Prices fell amid the long-running tariff dispute, traders said.")


def test_a_demonym_that_describes_one_company_is_its_home(tagger: Tagger) -> None:
    result = tagger.tag("Britain told phone operators to strip out gear made by the Chinese firm within four years.")
    assert result.values("country") == ["GB"]
    assert result.values("org_country") == ["CN"]
    french = tagger.tag("La start-up française a levé 600 millions d'euros auprès d'un fonds de Londres.")
    assert "FR" not in french.values("country") and "FR" in french.values("org_country")
    # A country's companies as a class are a subject, and so is the government named by its demonym.
    assert "CN" in countries(tagger, "The rule covers American investments in Chinese companies that design chips.")
    assert "FR" in countries(tagger, "Le gouvernement français deviendra le premier actionnaire de l'opérateur.")


def test_a_war_named_as_backdrop_after_the_lede_is_context(tagger: Tagger) -> None:
    text = ("Poland signed a contract for 180 tanks and 200 howitzers on Friday. "
            "The first vehicles arrive next year. Orders have grown since Russia's full-scale invasion of Ukraine.")
    assert countries(tagger, text) == {"PL"}
    assert {"RU", "UA"} <= countries(tagger, "Russia's full-scale invasion of Ukraine entered its third year on Saturday.")


def test_the_bird_is_not_the_country(tagger: Tagger) -> None:
    assert "TR" not in set(tagger.tag("Shoppers paid less for the holiday bird this year.", "Turkey prices fall ahead of Thanksgiving")
                           .values("country"))
    assert "TR" in countries(tagger, "Turkey raised its tariffs on electric cars made abroad.")


@pytest.mark.parametrize(("text", "theme"), [
    ("L'avocat de la défense a plaidé la relaxe dans le procès pour fraude au vin.", "defense"),
    ("The developer has a pipeline of forty housing projects across the region.", "energy"),
    ("Constellation shares rose after the utility reported higher quarterly profit.", "telecom"),
])
def test_more_lookalikes_stay_untagged(tagger: Tagger, text: str, theme: str) -> None:
    assert theme not in themes(tagger, text)


def test_a_longer_cue_of_another_theme_does_not_hide_ai(tagger: Tagger) -> None:
    assert "ai" in themes(tagger, "国家网信办等七部门联合发布生成式人工智能服务管理暂行办法。")
    assert "telecom" in themes(tagger, "Starlink terminals kept front-line units online, the ministry said.")


def test_a_capital_as_a_venue_or_a_company_home_is_not_a_participant(tagger: Tagger) -> None:
    assert "AZ" not in countries(tagger, "Negotiators at the Baku talks agreed on a new climate finance goal for rich nations.")
    assert "NL" not in countries(tagger, "NATO allies agreed a new spending target at a summit in The Hague.")
    result = tagger.tag("Microsoft will invest $1.5 billion in the Abu Dhabi AI firm G42.")
    assert "AE" not in result.values("country") and "AE" in result.values("org_country")
    # The capital as its government stays a participant, even next to a company noun.
    assert "CN" in countries(tagger, "Beijing told the company to halt its share sale.")
    assert "JP" in countries(tagger, "A Japanese chip equipment maker said Tokyo ordered new export licences.")
    assert "SE" in set(tagger.tag("Eine schwedische Tochter des Konzerns wollte die Fabrik kaufen.").values("org_country"))


LEDE = "The agreement was signed on Monday. Officials said work starts next year. "


@pytest.mark.parametrize(("text", "home"), [
    (LEDE + "A gallium refinery will be built by Alcoa with Japan's Sojitz.", "JP"),
    ("新しい研究施設が公開された。政府は支援を続ける。量子コンピューターの開発では米国のIBMが先行している。", "US"),
    ("O leilão terminou ontem. Os lotes foram vendidos. O governo aceitou a participação da chinesa Huawei.", "CN"),
])
def test_a_country_right_before_its_own_company_is_the_company_home(tagger: Tagger, text: str, home: str) -> None:
    result = tagger.tag(text)
    assert home not in result.values("country") and home in result.values("org_country")


@pytest.mark.parametrize("text", [
    # In the title and lede the company's country is the event's own.
    "China's DeepSeek released a new reasoning model on Monday.",
    # The target of a measure: a restriction in the same sentence.
    LEDE + "The US added China's Huawei to its entity list on Friday.",
    # Huawei's home is China: "Germany's Huawei ban" keeps Germany as the subject.
    LEDE + "Germany's Huawei ban takes effect for core networks next year.",
])
def test_a_country_before_a_company_stays_a_participant_where_it_acts_or_is_targeted(tagger: Tagger, text: str) -> None:
    assert countries(tagger, text) & {"CN", "DE"}


@pytest.mark.parametrize(("text", "code"), [
    ("The case was brought by Austrian privacy activist Max Schrems against a social network.", "AT"),
    ("Its ransomware gang, a Russian-speaking group, claimed the attack on the payroll firm.", "RU"),
    ("O fundo recebeu promessas de cerca de US$ 6 bilhões na conferência do clima.", "US"),
    ("O acordo precisa ser aprovado pelos parlamentos do bloco sul-americano.", "US"),
])
def test_nationality_language_and_currency_are_not_participants(tagger: Tagger, text: str, code: str) -> None:
    assert code not in countries(tagger, text)


@pytest.mark.parametrize(("text", "code"), [
    ("我国量子计算原型机实现了新的突破。", "CN"),
    ("政府は我が国の半導体産業を支援する方針だ。", "JP"),
    ("우리나라 반도체 수출이 석 달 연속 늘었다.", "KR"),
])
def test_our_country_in_chinese_japanese_and_korean(tagger: Tagger, text: str, code: str) -> None:
    assert code in countries(tagger, text)


def test_a_preposition_glued_to_a_company_name_keeps_the_company(tagger: Tagger) -> None:
    result = tagger.tag("美国商务部对华为实施新的出口管制。")
    assert "huawei" in {t.value for t in result.orgs if t.tagged}
    micron = tagger.tag("审查办公室对美光公司在华销售的产品进行了网络安全审查。")
    assert "micron" in {t.value for t in micron.orgs if t.tagged} and "US" not in micron.values("country")


def test_a_joined_demonym_before_a_company_noun_is_a_home_but_x_based_is_not(tagger: Tagger) -> None:
    result = tagger.tag("Georgia's government picked a Chinese-Singaporean consortium to build the deep-sea port.")
    assert {"CN", "SG"} <= set(result.values("org_country"))
    assert "AU" in countries(tagger, "The plant will be run with its Australian-based parent company, the firm said.")


@pytest.mark.parametrize(("text", "home"), [
    ("The aluminium maker Norsk Hydro switched to manual operations after the attack.", "NO"),
    ("Die Deutsche Telekom baut das Glasfasernetz weiter aus.", "DE"),
])
def test_a_lower_case_demonym_capitalised_in_a_name_is_the_company_home(tagger: Tagger, text: str, home: str) -> None:
    result = tagger.tag(text)
    assert home not in result.values("country") and home in result.values("org_country")
    assert "DE" in countries(tagger, "Die deutsche Regierung plant neue Regeln für Chips.")


@pytest.mark.parametrize(("text", "code"), [
    ("The Togo-flagged tanker was detained after the cable was cut.", "TG"),
    ("The London-bound flight crashed shortly after take-off.", "GB"),
])
def test_a_flag_or_a_destination_is_not_a_participant(tagger: Tagger, text: str, code: str) -> None:
    assert code not in countries(tagger, text)


@pytest.mark.parametrize(("text", "theme"), [
    ("Passengers on Air India flight AI 183 waited for hours without air conditioning.", "ai"),
    ("The agency published ML-DSA and SLH-DSA as standards for digital signatures.", "data_governance"),
    ("Google unveiled its Willow quantum computing chip on Monday.", "semiconductors"),
])
def test_flight_codes_signature_algorithms_and_quantum_chips(tagger: Tagger, text: str, theme: str) -> None:
    assert theme not in themes(tagger, text)


def test_a_car_brand_is_not_space_and_a_quantum_chip_is_not_semiconductors(tagger: Tagger) -> None:
    assert "space" not in themes(tagger, "Jaguar Land Rover halted production after the attack.", "Land Rover plants idle")
    assert "semiconductors" not in themes(tagger, "研究团队发布了新一代量子芯片。", "量子芯片发布")
    assert "cybersecurity" in themes(tagger, "The retailer confirmed the hack on Friday.", "Retailer hit by hack")
    assert "investment" in themes(tagger, "The government will take a 10% stake in the chipmaker.", "Government takes stake in Intel")
