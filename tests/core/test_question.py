"""Plain-language questions to filters: a table of questions in several languages and phrasings and
the filters each must become (every listed field exactly; fields not listed must stay empty)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.question import understand

TODAY = dt.date(2026, 12, 7)
D = dt.date
FIELDS = ("themes", "countries", "orgs", "actors", "targets", "rels", "stages", "start", "end", "q")

CASES: list[tuple[str, dict[str, object]]] = [
    ("Dutch chip export controls on China since 2023",
     {"themes": {"semiconductors", "export_controls"}, "actors": {"NL"}, "targets": {"CN"}, "rels": {"restriction"},
      "start": D(2023, 1, 1)}),
    ("EU AI rules 2024", {"themes": {"ai"}, "countries": {"EU"}, "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("What export controls did the US impose on China in 2023?",
     {"themes": {"export_controls"}, "actors": {"US"}, "targets": {"CN"}, "rels": {"restriction"},
      "start": D(2023, 1, 1), "end": D(2023, 12, 31)}),
    ("US restrictions on China in 2023", {"actors": {"US"}, "targets": {"CN"}, "rels": {"restriction"},
                                         "start": D(2023, 1, 1), "end": D(2023, 12, 31)}),
    ("export controls on China by the Netherlands",
     {"themes": {"export_controls"}, "actors": {"NL"}, "targets": {"CN"}, "rels": {"restriction"}}),
    ("rare earth restrictions by China", {"themes": {"critical_minerals"}, "actors": {"CN"}, "rels": {"restriction"}}),
    ("sanctions on Russia for cyberattacks", {"themes": {"cybersecurity"}, "targets": {"RU"}, "rels": {"restriction"}}),
    ("US tariffs on Chinese EVs between 2023 and 2025",
     {"themes": {"trade", "energy"}, "actors": {"US"}, "targets": {"CN"}, "rels": {"restriction"},
      "start": D(2023, 1, 1), "end": D(2025, 12, 31)}),
    ("Korea Japan cooperation on chips", {"themes": {"semiconductors"}, "actors": {"KR"}, "targets": {"JP"}, "rels": {"cooperation"}}),
    ("partnership between India and the United States on critical minerals",
     {"themes": {"critical_minerals"}, "actors": {"IN"}, "targets": {"US"}, "rels": {"cooperation"}}),
    ("Japanese subsidies for semiconductors", {"themes": {"investment", "semiconductors"}, "countries": {"JP"}}),
    ("Nvidia China", {"countries": {"CN"}, "orgs": {"Nvidia"}}),
    ("TikTok", {"themes": {"data_governance"}, "orgs": {"TikTok"}}),
    ("AI Act in force", {"themes": {"ai"}, "stages": {"in_force"}}),
    ("suspended rare earth controls", {"themes": {"critical_minerals", "export_controls"}, "stages": {"suspended"}}),
    ("rescinded AI chip rules", {"themes": {"ai", "semiconductors"}, "stages": {"rescinded"}}),
    ("proposed quantum export controls", {"themes": {"quantum", "export_controls"}, "stages": {"proposed"}}),
    ("gallium and germanium", {"themes": {"critical_minerals"}}),
    ("quantum last year", {"themes": {"quantum"}, "start": D(2025, 1, 1), "end": D(2025, 12, 31)}),
    ("AI this year", {"themes": {"ai"}, "start": D(2026, 1, 1), "end": TODAY}),
    ("data privacy fines in the last 6 months", {"themes": {"data_governance"}, "start": D(2026, 6, 1), "end": TODAY, "q": "fines"}),
    ("space policy before 2020", {"themes": {"space"}, "end": D(2019, 12, 31)}),
    ("5G decisions after 2019", {"themes": {"telecom"}, "start": D(2019, 1, 1), "q": "decisions"}),
    ("climate rules in March 2024", {"themes": {"climate"}, "start": D(2024, 3, 1), "end": D(2024, 3, 31)}),
    ("biotech security 2018-2021", {"themes": {"biotech"}, "start": D(2018, 1, 1), "end": D(2021, 12, 31), "q": "security"}),
    ("drones and defence exports from Türkiye", {"themes": {"defense"}, "countries": {"TR"}, "q": "exports"}),
    ("Huawei 5G bans in Europe", {"themes": {"telecom"}, "orgs": {"Huawei"}, "q": "Europe"}),
    ("chips act", {"themes": {"semiconductors"}}),
    ("show me the latest news on undersea cables", {"themes": {"telecom"}}),
    ("investment screening in Germany", {"themes": {"investment"}, "countries": {"DE"}}),
    ("outbound investment rules", {"themes": {"investment"}}),
    ("CBAM", {"themes": {"climate"}}),
    ("entity list additions", {"themes": {"export_controls"}, "q": "additions"}),
    # other languages
    ("contrôles à l'exportation de la Chine", {"themes": {"export_controls"}, "countries": {"CN"}}),
    ("日本 半導体 輸出規制", {"themes": {"export_controls", "semiconductors"}, "countries": {"JP"}}),
    ("Exportkontrollen für Halbleiter in Deutschland", {"themes": {"export_controls", "semiconductors"}, "countries": {"DE"}}),
    ("inteligencia artificial en España", {"themes": {"ai"}, "countries": {"ES"}}),
    ("санкции против России", {"targets": {"RU"}, "rels": {"restriction"}}),
    ("中国 稀土 出口管制", {"themes": {"critical_minerals", "export_controls"}, "countries": {"CN"}}),
    ("반도체 수출 규제 한국", {"themes": {"semiconductors", "export_controls"}, "countries": {"KR"}}),
    ("intelligenza artificiale Italia 2025", {"themes": {"ai"}, "countries": {"IT"}, "start": D(2025, 1, 1), "end": D(2025, 12, 31)}),
    ("semicondutores no Brasil", {"themes": {"semiconductors"}, "countries": {"BR"}}),
]


@pytest.mark.parametrize(("question", "expected"), CASES, ids=[q for q, _ in CASES])
def test_a_question_becomes_its_filters(question: str, expected: dict[str, object]) -> None:
    f = understand(question, TODAY).filters
    for field in FIELDS:
        got = getattr(f, field)
        want = expected.get(field, "" if field == "q" else None if field in ("start", "end") else set())
        assert (set(got) if isinstance(got, tuple) else got) == want, f"{field}: {got!r}"


def test_each_filter_keeps_the_words_that_produced_it() -> None:
    reading = understand("Dutch chip export controls on China since 2023", TODAY)
    words = {(u.param, u.value): u.words for u in reading.understood}
    assert words[("actor", "NL")] == "Dutch" and words[("target", "CN")] == "China"
    assert words[("dates", "2023-01-01..")] == "since 2023"


def test_there_are_enough_questions() -> None:
    assert len(CASES) >= 40
