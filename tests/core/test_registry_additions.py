"""Organizations added to the registry: found in context, and their short names stay quiet in ordinary prose."""

from __future__ import annotations

import pytest

from core.tagging.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def found(tagger: Tagger, text: str) -> set[str]:
    """Every registry organization the tagger found, tagged or passing."""
    return {o.value for o in tagger.tag(text).orgs}


@pytest.mark.parametrize(("text", "expected"), [
    ("Infrastructure Australia and Export Finance Australia backed the port; NAIF lent to the Northern Australian "
     "project, and Sport Integrity Australia was consulted.",
     {"au-infrastructure-australia", "au-efa", "au-naif", "au-sport-integrity"}),
    ("A reunião da Comunità Politica Europea contou com o Serviço Geológico do Brasil (SGB).", {"int-epc", "br-sgb"}),
    ("The UAE government welcomed the Independent International Scientific Panel on AI.",
     {"ae-government", "int-un-ai-panel"}),
    ("Health Canada, Public Safety Canada and the RCMP will run the campaign with Veterans Affairs Canada.",
     {"ca-health-canada", "ca-public-safety", "ca-rcmp", "ca-veterans-affairs"}),
    ("La Linksfraktion und die VVD lehnten ab; GroenLinks stimmte zu.", {"de-linke", "nl-vvd", "nl-groenlinks"}),
    ("自民党は半導体支援を提言した。인공지능안전연구소가 보고서를 냈다.", {"jp-ldp", "kr-aisi"}),
    ("Iliad's Free Mobile and Orange cut prices; the telecom operator Iliad SA gained subscribers.", {"fr-iliad"}),
    ("Le Chat de Mistral est un modèle d'IA français.", {"mistral"}),
    ("General Electric said its jet engines would be exempt from the tariffs, and GE shares rose.", {"ge"}),
    ("GE Vernova and Tianqi Lithium signed a deal with Bharti Airtel.", {"ge-vernova", "tianqi", "bharti-airtel"}),
    ("Johnson & Johnson and Merck & Co. face new drug pricing rules; MSD's Keytruda is exposed.",
     {"johnson-johnson", "merck-co"}),
    ("Merck KGaA will expand its semiconductor materials plant in Taiwan.", {"merck-kgaa"}),
    ("Telegram founder Pavel Durov was detained in France.", {"telegram"}),
    ("Hamas, Hezbollah and the Houthis were discussed at the summit.", {"hamas", "hezbollah", "houthis"}),
    ("CK Hutchison agreed to sell its Panama ports to a BlackRock consortium.", {"ck-hutchison"}),
    ("Vodafone and CK Hutchison merged Vodafone UK and Three UK.", {"three-uk"}),
    ("Ford said it would license CATL battery technology for a Michigan plant building EVs.", {"ford"}),
    ("GM and Honda scrapped their affordable EV program.", {"general-motors", "honda"}),
    ("Quanta is expanding AI server assembly in Mexico.", {"quanta"}),
    ("Honor launched a foldable smartphone in Europe.", {"honor"}),
    ("Visa and Mastercard suspended operations in Russia.", {"visa", "mastercard"}),
    ("Russian banks were disconnected from SWIFT.", {"swift"}),
    ("The SPD, CDU and CSU agreed a coalition; the Greens and the AfD objected.",
     {"de-spd", "de-cdu", "de-csu", "de-greens", "de-afd"}),
    ("Amazon's Project Kuiper launched 27 satellites; Kuiper aims to rival Starlink.", {"project-kuiper"}),
    ("Nio and XPeng cut prices as Li Auto reported record EV deliveries.", {"nio", "xpeng", "li-auto"}),
    ("LockBit, Cl0p, ALPHV and Scattered Spider hit hospitals with ransomware.",
     {"lockbit", "clop", "alphv", "scattered-spider"}),
    ("Bank of China and Agricultural Bank of China cut lending rates.", {"bank-of-china", "abc-china"}),
    ("The IOC suspended the Russian Olympic Committee before the Olympics.", {"ioc"}),
    ("滴滴出行和蔚来汽车在中国市场竞争。", {"didi", "nio"}),
    ("美国制裁了中科曙光和浪潮集团。", {"sugon", "inspur"}),
])
def test_additions_are_found(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert expected <= found(tagger, text)


@pytest.mark.parametrize("text", [
    "China pledged to honor the agreement, and Honor and duty guided the veterans, the minister said.",
    "The new rules make a visa for workers harder to get. Visa applications rose 20 percent.",
    "The reliance on China for rare earths worries Europe.",
    "Lucid dreams and a coherent policy were the subject of the lecture. Coherent optical links are improving.",
    "Three UK ministers resigned over the trade deal.",
    "The Greens won seats in the Australian Senate.",
    "Quanta of light carry energy, physicists say.",
    "Ford the river, the guide said; the bridge was closed.",
    "Swift action on sanctions is needed, the minister said.",
    "Researchers shared IOC lists for the malware campaign.",
    "The Kuiper Belt object was photographed by the telescope.",
    "Tether the boat to the dock before the storm.",
    "A joint venture global in scope was announced, with complete genomics data.",
    "The CSU campus in Fresno opened a new laboratory.",
    "Honda said nothing about the weather.",
    "The engine is rated at 300 HP, a lucid explanation showed.",
    "中国银行业监管机构发布新规。",
    "加强生产安全是首要任务。",
    "经纬创投领投了这轮融资。",
    "推广达到了预期目标。",
    "The ferry from Santander to Plymouth was cancelled; Homer's Iliad was read aloud.",
    "¡Chega! gritaron los manifestantes en la plaza.",
])
def test_ordinary_words_name_no_organization(tagger: Tagger, text: str) -> None:
    assert found(tagger, text) == set()
