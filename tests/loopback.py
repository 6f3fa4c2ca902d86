"""Serve saved pages for real portal URLs from 127.0.0.1, so a site spider can crawl them offline.

``PageServer`` is a loopback HTTP server holding ``{absolute URL: (bytes, content type)}``.
``LoopbackDownloadHandler`` is a Scrapy download handler (enabled through ``DOWNLOAD_HANDLERS`` in
tests only) that sends every request to that server instead of the real host and gives the response
back under the original URL — the spider, its domain checks, robots.txt handling, the middlewares and
pipelines all run exactly as in production; only the socket goes to loopback.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import quote, unquote

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response


class PageServer:
    """A threaded loopback server for a fixed set of pages keyed by their real URLs."""

    def __init__(self, pages: dict[str, tuple[bytes, str]]) -> None:
        self.pages = pages
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = unquote(self.path.lstrip("/"))
                outer.hits.append(url)
                page = outer.pages.get(url)
                if page is None:
                    self.send_error(404)
                    return
                body, ctype = page
                self.send_response(200)
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

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


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
