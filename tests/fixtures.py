"""A small event store built by code, for store, AppTest and browser tests.

The articles are short texts written for these tests; they are not real news.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.ingest.records import make_article
from core.models import Article
from core.normalize import normalize
from core.store import Store
from core.tagging.tagger import Tagger

XSS_TITLE = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> **bold** :red[alert]"

ARTICLES: list[dict] = [
    {
        "date": "2024-04-01",
        "title": "OpenAI opens its first Asian office in Tokyo",
        "text": "OpenAI said it will open an office in Tokyo, its first in Asia, to work with Japanese companies and "
                "the government on artificial intelligence. The move follows talks between the US and Japan on AI "
                "and semiconductors. Nvidia and Arm executives welcomed the plan.",
        "url": "https://example.org/news/openai-tokyo",
        "source": "Example Wire",
    },
    {
        "date": "2023-10-17",
        "title": "Commerce tightens export controls on advanced chips to China",
        "text": "The U.S. Department of Commerce's Bureau of Industry and Security updated its export controls on "
                "advanced computing chips and chipmaking equipment destined for China. The rules add licence "
                "requirements and extend the entity list.",
        "url": "https://example.org/news/bis-rule",
        "source": "Example Wire",
    },
    {
        "date": "2023-07-03",
        "title": "China to control exports of gallium and germanium",
        "text": "China's Ministry of Commerce announced export controls on gallium and germanium, two critical "
                "minerals used in chipmaking, taking effect on August 1.",
        "url": "https://example.org/news/gallium",
        "source": "Example Wire",
    },
    {
        "date": "2023-11-01",
        "title": "Leaders sign declaration on frontier AI safety at Bletchley Park",
        "text": "Britain hosted a summit where the United States, China and the European Union signed a declaration "
                "on the risks of frontier AI models and agreed to cooperate on AI safety research.",
        "url": "https://example.org/news/bletchley",
        "source": "Example Wire",
    },
    {
        "date": "2024-02-10",
        "title": XSS_TITLE,
        "text": "A test article about 5G telecom networks in Sweden. <img src=x onerror=alert(1)> "
                "[click](javascript:alert(1)) <script>alert('x')</script>",
        "url": "javascript:alert(1)",
        "source": "<b>Injected</b>",
    },
]


def fixture_articles() -> list[Article]:
    return [
        make_article(a["text"], dt.date.fromisoformat(a["date"]), title=a["title"], url=a["url"], source=a["source"])
        for a in ARTICLES
    ]


def build_store(path: Path) -> Store:
    """A store holding the fixture articles as events."""
    tagger = Tagger()
    store = Store(path)
    store.upsert([normalize(a, tagger) for a in fixture_articles()])
    return store
