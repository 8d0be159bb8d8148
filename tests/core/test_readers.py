from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.ingest.readers import clean_body, read_jsonl, read_paths, read_seed
from core.ingest.records import Problem, derive_title, safe_url
from core.models import Article

ROOT = Path(__file__).resolve().parents[2]


def test_seed_files_parse_with_date_title_and_no_noise() -> None:
    items = list(read_paths([ROOT / "seeds" / "001_aa7340c525f89c9e.txt"]))
    assert len(items) == 1
    article = items[0]
    assert isinstance(article, Article)
    assert article.published == dt.date(2024, 3, 30)
    assert "Advertisment" not in article.text
    assert article.text.startswith("When Prime Minister Fumio Kishida")
    # A readable sentence that reaches into its main clause, not "... meet next…"
    assert article.title == ("When Prime Minister Fumio Kishida of Japan and President Joe Biden of the United States meet "
                             "next month, they are poised to announce a significant step forward in high-tech cooperation")
    assert article.source == "Seed article"  # a readable publisher name, not the file name


def test_seed_title_is_a_readable_headline() -> None:
    (article,) = read_seed(ROOT / "seeds" / "000_0b19bb38fb6ea48d.txt")
    assert isinstance(article, Article)
    assert article.title == "OpenAI is marking a significant milestone in its global expansion strategy"


def test_seed_format_accepts_leading_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("\n\n   date 2022-01-05 Body starts here. More text.\n\nAdvertisement\nEnd.", encoding="utf-8")
    (article,) = read_seed(path)
    assert isinstance(article, Article)
    assert article.published == dt.date(2022, 1, 5)
    assert article.text == "Body starts here. More text.\n\nEnd."


def test_clean_body_drops_noise_lines_only() -> None:
    assert clean_body("One.\nAdvertisment\nTwo advertisment words.") == "One.\nTwo advertisment words."


def test_title_never_stops_inside_an_opening_clause() -> None:
    text = ("When the trade ministers of the three largest economies gather in the coastal city next week, they will "
            "sign a pact on chip supply chains and on the minerals that go into them, officials in two of the capitals "
            "said on Monday. More text follows here.")
    title = derive_title(text)
    assert title.startswith("When the trade ministers") and title.endswith("and on the minerals that go into them")
    assert "…" not in title


def test_titles_are_capped_near_100_characters() -> None:
    title = derive_title("word " * 80 + ".")
    assert len(title) <= 101
    assert title.endswith("…")


def test_ids_are_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2022-01-05 Same body.", encoding="utf-8")
    (first,) = read_seed(path)
    (second,) = read_seed(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == second.id


def test_jsonl_bad_line_is_reported_and_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "Good one.", "date": "2024-01-02", "url": "https://example.org/a"}\n'
        '{"text": "no date"}\n'
        '{broken\n'
        '{"text": "bad date", "date": "2024-13-45"}\n'
        '{"text": "Good two.", "date": "2024-01-03", "title": "T"}\n',
        encoding="utf-8",
    )
    items = list(read_jsonl(path))
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, Problem)]
    assert [a.text for a in good] == ["Good one.", "Good two."]
    assert [(p.line, p.reason.split(" ")[0]) for p in bad] == [(2, "field"), (3, "invalid"), (4, "field")]
    assert "date" in bad[0].reason and "date" in bad[2].reason


def test_unsafe_urls_are_dropped() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("ftp://example.org") is None
    assert safe_url("https://example.org/x") == "https://example.org/x"


def test_folder_with_bad_files_reports_each_problem(tmp_path: Path) -> None:
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "binary.txt").write_bytes(b"date 2024-01-01 \x00\x00\x00")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "baddate.txt").write_text("date 2024-02-31 text", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("date 2024-01-01 caf\xe9".encode("latin-1"))
    (tmp_path / "mixed.jsonl").write_text('{"text": "Fine.", "date": "2024-01-01"}\n{"text": \n', encoding="utf-8")
    items = list(read_paths([tmp_path]))
    problems = {Path(p.source).name: p for p in items if isinstance(p, Problem)}
    assert set(problems) == {"binary.bin", "binary.txt", "empty.txt", "baddate.txt", "latin1.txt", "mixed.jsonl"}
    assert "UTF-8" in problems["latin1.txt"].reason
    assert "binary" in problems["binary.txt"].reason
    assert "empty" in problems["empty.txt"].reason
    assert "date" in problems["baddate.txt"].reason
    assert problems["mixed.jsonl"].line == 2
    assert [a.text for a in items if isinstance(a, Article)] == ["Fine."]
    assert all("\n" not in str(p) for p in problems.values())
