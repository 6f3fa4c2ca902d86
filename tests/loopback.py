"""Serve saved pages for real portal URLs from 127.0.0.1, so a site spider can crawl them offline.

``PageServer`` is a loopback HTTP server holding ``{absolute URL: (bytes, content type)}`` (or, to be
crawled directly, ``{request path: …}``).
``LoopbackDownloadHandler`` is a Scrapy download handler (enabled through ``DOWNLOAD_HANDLERS`` in
tests only) that sends every request to that server instead of the real host and gives the response
back under the original URL — the spider, its domain checks, robots.txt handling, the middlewares and
pipelines all run exactly as in production; only the socket goes to loopback.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import quote, unquote

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response

HANDLER = "tests.loopback.LoopbackDownloadHandler"
"""Import path of :class:`LoopbackDownloadHandler` for ``DOWNLOAD_HANDLERS``."""


class PageServer:
    """A threaded loopback server for a fixed set of pages keyed by their real URLs.

    With ``by_path`` the pages are keyed by request path instead (the server is the portal itself, as
    in a ``crawl generic`` of ``base_url``). A request for anything else gets ``default`` (status, body,
    content type), or a 404. ``hits`` lists the keys asked for, ``requests`` (path, User-Agent) pairs.
    """

    def __init__(
        self,
        pages: dict[str, tuple[bytes, str]],
        *,
        by_path: bool = False,
        default: tuple[int, bytes, str] | None = None,
    ) -> None:
        self.pages = pages
        self.hits: list[str] = []
        self.requests: list[tuple[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                key = self.path if by_path else unquote(self.path.lstrip("/"))
                outer.hits.append(key)
                outer.requests.append((self.path, self.headers.get("User-Agent", "")))
                page = outer.pages.get(key)
                if page is not None:
                    self._send(200, *page)
                elif default is not None:
                    self._send(*default)
                else:
                    self.send_error(404)

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        """host:port of the server."""
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the server."""
        return f"http://{self.address}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def loopback_settings(server: PageServer) -> list[str]:
    """``-s`` options sending every http(s) request of a crawl to ``server`` (real URLs kept)."""
    handlers = json.dumps({"http": HANDLER, "https": HANDLER})
    return ["-s", f"DOWNLOAD_HANDLERS={handlers}", "-s", f"LOOPBACK_ADDRESS={server.address}"]


class LoopbackDownloadHandler(HTTP11DownloadHandler):
    """Download every http(s) URL from the ``LOOPBACK_ADDRESS`` server, keeping the original URL."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.address = crawler.settings.get("LOOPBACK_ADDRESS")
        if not self.address:
            raise ValueError("LoopbackDownloadHandler needs the LOOPBACK_ADDRESS setting")

    async def download_request(self, request: Request) -> Response:
        """Fetch ``request.url`` from loopback; the response carries the original URL."""
        proxied = request.replace(url=f"http://{self.address}/{quote(request.url, safe='')}")
        response = await super().download_request(proxied)
        return response.replace(url=request.url)
