"""Deterministic ids from raw input, so re-ingesting never duplicates."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_for_id(value: str) -> str:
    """Collapse case and whitespace so cosmetic differences give the same id."""
    text = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(text.split())


def make_id(*parts: object, prefix: str = "") -> str:
    """A 16-hex-digit id from the normalized parts (None parts count as empty)."""
    raw = "\x1f".join(normalize_for_id("" if p is None else str(p)) for p in parts)
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]
    return f"{prefix}{digest}"


def article_id(url: str | None, published: object, text: str) -> str:
    """Id of an article: from its URL when it has one, else from its date and text."""
    if url:
        return make_id("url", url.strip())
    return make_id("text", published, text)
