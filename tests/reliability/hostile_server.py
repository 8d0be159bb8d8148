"""A hostile HTTP server on 127.0.0.1 for the reliability tests: huge bodies, gzip and zip bombs,
a drip feed, redirects to `javascript:` and to other hosts, JSON nested 100,000 deep, oversized CSV
fields. Threads, bounded: each response stops on its own, and the server stops with the test."""

from __future__ import annotations

import gzip
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

MB = 1024 * 1024
GOOD_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Good feed</title>
<item><title>Japan tightens chip export controls</title><link>https://example.org/a</link>
<description>Japan added chipmaking tools to its export control list.</description>
<pubDate>Mon, 01 Apr 2024 10:00:00 GMT</pubDate></item></channel></rss>"""


def _gzip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        block = b"\0" * MB
        for _ in range(size // MB):
            gz.write(block)
    return out.getvalue()


def _zip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("20240101000000.export.CSV", "w", force_zip64=True) as member:
        block = b"a\t" * (MB // 2)
        for _ in range(size // MB):
            member.write(block)
    return out.getvalue()


class Handler(BaseHTTPRequestHandler):
    bombs: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/octet-stream", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # the http.server API names it
        path = self.path.split("?")[0]
        port = self.server.server_address[1]
        try:
            if path == "/good.xml":
                self._send(200, GOOD_FEED, "application/rss+xml")
            elif path == "/huge":  # 100 MB streamed without a length
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                chunk = b"<rss>" + b"x" * (MB - 5)
                for _ in range(100):
                    self.wfile.write(chunk)
            elif path == "/gzip-bomb":
                self._send(200, self.bombs["gzip"], "application/json", Content_Encoding="gzip")
            elif path == "/zip-bomb":
                self._send(200, self.bombs["zip"], "application/zip")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                for _ in range(60):  # one byte every 0.25 s, 15 s at most
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.25)
            elif path == "/redirect-js":
                self._send(302, b"", Location="javascript:alert(1)")
            elif path == "/redirect-loop":
                self._send(302, b"", Location="/redirect-loop")
            elif path == "/deep.json":
                self._send(200, b"[" * 100_000 + b"]" * 100_000, "application/json")
            elif path == "/big-field.csv":
                body = ("date,title,summary,url,themes,countries\n"
                        f"2024-01-02,Huge,\"{'x' * 200_000}\",https://example.org/h,ai,US\n"
                        "2024-01-03,Good row,The EU adopted chip rules.,https://example.org/g,semiconductors,EU\n")
                self._send(200, body.encode(), "text/csv")
            elif path == "/fr-next-elsewhere.json":
                body = ('{"count": 1, "total_pages": 2, "results": [], "next_page_url": '
                        f'"http://127.0.0.2:{port}/secret"}}')
                self._send(200, body.encode(), "application/json")
            elif path == "/elsewhere/lastupdate.txt":
                self._send(200, b"1 abc http://10.0.0.1/20240101000000.export.CSV.zip\n", "text/plain")
            else:
                self._send(404, b"not here", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@contextmanager
def hostile_server() -> Iterator[str]:
    """The server's base URL while the block runs."""
    Handler.bombs = {"gzip": _gzip_bomb(256 * MB), "zip": _zip_bomb(256 * MB)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
