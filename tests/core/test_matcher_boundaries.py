"""Word boundaries where Latin names meet scripts written without spaces, and case endings of
Cyrillic names: short invented texts."""

from __future__ import annotations

import pytest

from core.tagging.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


@pytest.mark.parametrize(("text", "org"), [
    ("ラピダスは米IBMと技術提携している。", "ibm"),
    ("삼성전자는 IBM과 양자 컴퓨터 협력을 발표했다.", "ibm"),
    ("华为与Nvidia在人工智能芯片市场竞争。", "nvidia"),
    ("米OpenAIは新しいモデルを公開した。", "openai"),
])
def test_a_latin_name_touching_cjk_or_hangul_is_found(tagger: Tagger, text: str, org: str) -> None:
    assert org in {t.value for t in tagger.tag(text).orgs if t.tagged}


def test_a_latin_name_inside_a_longer_latin_word_is_not(tagger: Tagger) -> None:
    # The CJK neighbours give a boundary; the Latin letters around "IBM" do not.
    assert "ibm" not in {t.value for t in tagger.tag("米国のXIBMYは新製品を発表した。").orgs}


def test_spans_of_names_found_next_to_cjk_point_at_the_name(tagger: Tagger) -> None:
    text = "中国企业华为与Nvidia竞争。"
    result = tagger.tag(text)
    ev = next(e for t in result.orgs if t.value == "nvidia" for e in t.evidence)
    assert text[ev.start:ev.end] == "Nvidia"


@pytest.mark.parametrize(("text", "org"), [
    ("Специалисты Роскомнадзора начали ограничивать звонки в мессенджерах.", "ru-roskomnadzor"),
    ("Акции Газпрома упали после решения правительства.", "gazprom"),
    ("Голова Росатому заявив про нові контракти.", "ru-rosatom"),
])
def test_a_one_word_russian_or_ukrainian_name_takes_case_endings(tagger: Tagger, text: str, org: str) -> None:
    assert org in {t.value for t in tagger.tag(text).orgs if t.tagged}
