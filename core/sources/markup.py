"""HTML to plain text with the standard library's parser: tags dropped, entities decoded,
script and style content left out. Nothing is ever evaluated or rendered."""

from __future__ import annotations

from html.parser import HTMLParser

BLOCK_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "table", "hr"})
SKIP_TAGS = frozenset({"script", "style", "head"})


class _TextCollector(HTMLParser):
    """Collects text nodes; block tags become line breaks."""

    def __init__(self, keep_head: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = SKIP_TAGS - ({"head"} if keep_head else set())
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.skip:
            self.depth += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip:
            self.depth = max(self.depth - 1, 0)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def html_lines(markup: str, keep_head: bool = False) -> list[str]:
    """The non-empty text lines of an HTML fragment or page, whitespace collapsed."""
    parser = _TextCollector(keep_head)
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return [line for line in lines if line]


def strip_tags(markup: str) -> str:
    """Plain text of an HTML fragment, on one line (e.g. an RSS summary)."""
    return " ".join(html_lines(markup))
