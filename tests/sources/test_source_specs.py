"""The sources list: every default source parses; a user file extends and overrides; errors name file and field."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.errors import InputError
from core.sources.runner import CRAWLERS
from core.sources.spec import DEFAULT_SOURCES, load_sources, read_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my_sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_default_source_parses() -> None:
    raw = tomllib.loads(DEFAULT_SOURCES.read_text(encoding="utf-8"))["source"]
    specs = load_sources()
    assert len(specs) == len(raw) >= 5
    assert all(s.kind in CRAWLERS for s in specs)
    assert len({s.name for s in specs}) == len(specs)
    kinds = {s.kind for s in specs}
    assert {"gdelt_doc", "federal_register", "rss"} <= kinds


def test_defaults_cover_the_four_agencies_and_the_tech_policy_queries() -> None:
    specs = load_sources()
    [fr] = [s for s in specs if s.kind == "federal_register"]
    assert set(fr.agencies) == {"industry-and-security-bureau", "foreign-assets-control-office",
                                "trade-representative-office-of-united-states", "federal-communications-commission"}
    queries = " ".join(s.query or "" for s in specs if s.kind == "gdelt_doc")
    assert '"export controls"' in queries and '"rare earth"' in queries and '"artificial intelligence"' in queries


def test_a_user_file_adds_overrides_and_switches_off(tmp_path: Path) -> None:
    defaults = load_sources()
    path = write(tmp_path, f"""
[[source]]
name = "My CSV"
kind = "csv"
url = "https://example.org/events.csv"
cadence_minutes = 1440

[[source]]
name = "{defaults[0].name}"
kind = "gdelt_doc"
query = '"quantum computing"'

[[source]]
name = "{defaults[1].name}"
kind = "gdelt_doc"
query = "x"
enabled = false
""")
    specs = {s.name: s for s in load_sources(path)}
    assert specs["My CSV"].cadence_minutes == 1440 and specs["My CSV"].expected_min == 0
    assert specs[defaults[0].name].query == '"quantum computing"'
    assert defaults[1].name not in specs
    assert len(specs) == len(defaults)


@pytest.mark.parametrize(("body", "expected"), [
    ('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://e.org/f"\ncolour = "red"\n', "source #1 ('a'): field `colour`: Extra inputs"),
    ('[[source]]\nname = "a"\nkind = "gdelt_doc"\n', "source #1 ('a'): a gdelt_doc source needs `query`"),
    ('[[source]]\nname = "a"\nkind = "federal_register"\n', "a federal_register source needs `agencies`"),
    ('[[source]]\nname = "a"\nkind = "rss"\nurl = "ftp://e.org/f"\n', "field `url`: must be an http(s) URL"),
    ('[[source]]\nname = "a"\nkind = "web"\nurl = "https://e.org/f"\n', "field `kind`: Input should be"),
    ('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://e.org/f"\ncadence_minutes = 0\n', "field `cadence_minutes`"),
    ('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://e.org/f"\nexpected_min = 5\nexpected_max = 2\n',
     "`expected_max` is less than `expected_min`"),
    ('[[source]]\nkind = "rss"\nurl = "https://e.org/f"\n', "source #1: field `name`: missing"),
    ('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://e.org/f"\n[[source]]\nname = "a"\nkind = "rss"\nurl = "https://e.org/g"\n',
     "source #2 ('a'): field `name`: 'a' is used twice"),
    ('sources = 1\n', "unknown top-level keys ['sources']"),
    ('source = "x"\n', "`source` must be an array of tables"),
    ('[[source]\nname = "a"\n', "invalid TOML"),
])
def test_errors_name_the_file_and_the_field(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(InputError) as caught:
        read_sources(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_a_missing_user_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the sources file"):
        load_sources(tmp_path / "absent.toml")
