"""A loopback portal that misbehaves on purpose: one fault scenario per server.

Every scenario has the same five good articles (``/news/1001.html`` … ``1005.html``) linked from its
home page, plus the pages of its fault (some of which are good articles too, reachable only through the
fault: a 503 that answers on the retry, a page behind a same-site redirect, an article listed only in a
"billion laughs" sitemap …). ``SCENARIOS`` says, per scenario, which article paths a correct crawl
writes.

The server is bounded: it answers at most ``MAX_REQUESTS`` requests (then 503 without a body), slow
handlers give up after at most ``HOLD_SECONDS`` or as soon as the server stops, and it stops with the
test. Nothing leaves 127.0.0.0/8 (the off-site redirect points at a second loopback address).
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from demo.sitekit import SENTENCES

MAX_REQUESTS = 600
HOLD_SECONDS = 15.0
GOOD = tuple(range(1001, 1006))
MAXSIZE = 1024 * 1024  # DOWNLOAD_MAXSIZE of the fault crawls
_SENTENCES = SENTENCES[:6]  # the first six only: the same random choices give the same pages as ever


def article_path(number: int) -> str:
    """``/news/<number>.html``."""
    return f"/news/{number}.html"


def title_of(number: int) -> str:
    """The headline of article ``number``."""
    return f"示例市第{number}号民生工程顺利完工"


def article_html(number: int, *, charset: str = "utf-8", filler: int = 0) -> str:
    """A plain article page (``filler`` adds that many bytes of comment, for oversized pages)."""
    rng = random.Random(number)
    paragraphs = "".join(f"<p>{''.join(rng.choice(_SENTENCES) for _ in range(3))}</p>" for _ in range(5))
    pad = f"<!-- {'x' * filler} -->" if filler else ""
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="{charset}">'
        f"<title>{title_of(number)}_示例新闻网</title></head><body>{pad}"
        '<div class="top"><a href="/">首页</a></div>'
        f'<div class="article"><h1>{title_of(number)}</h1>'
        f'<div class="info">2026-11-{1 + number % 20:02d} 09:30 来源：示例日报 记者 王明</div>'
        f'<div class="content">{paragraphs}</div><div class="editor">责任编辑：李华</div></div>'
        '<div class="footer">示例新闻网 版权所有</div></body></html>'
    )


def malformed_html(number: int) -> str:
    """An article page as broken as real ones get: unclosed and stray tags, no </body>, bad nesting."""
    rng = random.Random(number)
    paragraphs = "".join(f"<p>{''.join(rng.choice(_SENTENCES) for _ in range(3))}" for _ in range(5))
    return (
        f"<html><head><title>{title_of(number)}_示例新闻网</title><meta charset=utf-8></head>"
        f'<body><div class="top"><a href="/">首页</a></td></tr></table>'
        f'<div class="article"><h1>{title_of(number)}</h2><font><b>'
        f'<div class="info">2026-11-02 09:30 来源：示例日报 记者 王明</span>'
        f'<div class="content">{paragraphs}</div></div></div></div></i>'
        '<div class="editor">责任编辑：李华<div class="footer">示例新闻网 版权所有'
    )


@dataclass(frozen=True)
class Scenario:
    """One fault: the extra links on the home page, and the article paths a correct crawl writes."""

    name: str
    links: tuple[str, ...] = ()
    extra_articles: tuple[int, ...] = ()
    sitemap: bool = False
    settings: tuple[str, ...] = ()

    @property
    def expected(self) -> set[str]:
        return {article_path(n) for n in (*GOOD, *self.extra_articles)}


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        # 500 and 502 always; 503 on the first request only (the retry gets the article).
        Scenario("http_5xx", ("/news/2001.html", "/news/2002.html", "/news/2003.html"), (2003,)),
        # 429 with Retry-After: 1 on the first request, then the article.
        Scenario("http_429", ("/news/2004.html",), (2004,)),
        # The connection is reset: always for 2005, on the first request only for 2006.
        Scenario("reset", ("/news/2005.html", "/news/2006.html"), (2006,)),
        # No answer at all (DOWNLOAD_TIMEOUT ends it).
        Scenario("timeout", ("/news/2007.html",)),
        # A body dripping a byte at a time, past the timeout; 2009 drips fast enough to arrive.
        Scenario("slow_drip", ("/news/2008.html", "/news/2009.html"), (2009,)),
        # Chunked body cut off mid-way.
        Scenario("truncated", ("/news/2010.html",)),
        # Content-Length promises twice the bytes sent.
        Scenario("content_length", ("/news/2011.html",)),
        # /loop/a ↔ /loop/b, a chain of 20 hops, and a good 301 to an article.
        Scenario("redirect_loop", ("/loop/a", "/hop/1", "/moved/2012.html"), (2012,)),
        # A redirect to another host (127.0.0.2): must not be followed.
        Scenario("redirect_offsite", ("/out/1",)),
        # An endless calendar (every day links the day before and after).
        Scenario("trap_calendar", ("/cal/2026-11-26.html",)),
        # An endless "next page" (pages of a listing are no step deeper): the pagination cap ends it.
        Scenario("trap_pagination", ("/list/1.html",), settings=("NEWSCRAWL_MAX_LISTING_PAGES=15",)),
        # 3 MB pages over a 1 MB DOWNLOAD_MAXSIZE: announced by Content-Length (2013) or not (2014).
        Scenario("maxsize", ("/news/2013.html", "/news/2014.html")),
        # 64 MB of zeros, gzip-compressed to ~64 KB.
        Scenario("gzip_bomb", ("/news/2015.html",)),
        # A "billion laughs" sitemap that also lists a real article found nowhere else.
        Scenario("xml_bomb", (), (2016,), sitemap=True),
        # GBK bytes declared UTF-8 (header and meta), UTF-8 bytes declared GBK.
        Scenario("charset", ("/news/2017.html", "/news/2018.html"), (2017, 2018)),
        Scenario("malformed", ("/news/2019.html",), (2019,)),
        # Control characters (a \x01 in an attribute name, a \x0b after a script) that lxml may refuse.
        Scenario("control_characters", ("/news/2022.html",), (2022,)),
        # A PNG and random bytes served as text/html.
        Scenario("binary", ("/news/2020.html", "/news/2021.html")),
    )
}


def _bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()


def _xml_bomb(base_url: str) -> bytes:
    entities = "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "lol") * 10}">' for i in range(1, 10)
    )
    urls = "".join(f"<url><loc>{base_url}{article_path(n)}</loc></url>" for n in (*GOOD, 2016))
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
        "<url><loc>&lol9;</loc></url></urlset>"
    ).encode()


_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


class FaultServer(ThreadingHTTPServer):
    """The loopback server of one scenario; ``hits`` counts requests by path."""

    daemon_threads = True

    def __init__(self, scenario: Scenario, address: tuple[str, int] = ("127.0.0.1", 0)) -> None:
        super().__init__(address, _Handler)
        self.scenario = scenario
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.offsite_url = ""

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: resets and clients giving up are the point here."""

    def hit(self, path: str) -> int:
        """Count a request; returns how many times this path was asked for (this one included)."""
        with self.lock:
            self.hits[path] += 1
            return self.hits[path]


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0] if not self.path.startswith("/list/") else self.path
        nth = self.server.hit(path)
        if sum(self.server.hits.values()) > MAX_REQUESTS:
            self._send(503, b"", "text/plain")
            return
        handler = self._route(path)
        if handler is None:
            self._send(404, b"<html><body>404</body></html>")
        else:
            handler(nth)

    # --- plumbing ----------------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _html(self, text: str) -> None:
        self._send(200, text.encode("utf-8"))

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, b"", headers={"Location": location})

    def _reset(self) -> None:
        # SO_LINGER 0: close() sends a TCP RST instead of a FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _hold(self, seconds: float) -> None:
        self.server.stopping.wait(seconds)

    # --- routes ------------------------------------------------------------------------------------

    def _route(self, path: str) -> Callable[[int], None] | None:
        scenario = self.server.scenario
        if path == "/":
            return self._home
        if path == "/robots.txt":
            robots = f"Sitemap: {self.server.base_url}/sitemap.xml\n" if scenario.sitemap else ""
            return lambda _: self._send(200, robots.encode(), "text/plain")
        if path == "/sitemap.xml" and scenario.sitemap:
            return lambda _: self._send(200, _xml_bomb(self.server.base_url), "application/xml")
        if path in {article_path(n) for n in GOOD}:
            return lambda _: self._html(article_html(int(path[6:10])))
        special = _SPECIAL.get(path)
        if special is not None and (path in scenario.links or int(path[6:10]) in scenario.extra_articles):
            return lambda nth: special(self, nth)
        if scenario.name == "redirect_loop" and path.startswith(("/loop/", "/hop/", "/moved/")):
            return self._redirects
        if scenario.name == "redirect_offsite" and path == "/out/1":
            return lambda _: self._redirect(self.server.offsite_url)
        if scenario.name == "trap_calendar" and path.startswith("/cal/"):
            return self._calendar
        if scenario.name == "trap_pagination" and path.startswith("/list/"):
            return self._listing
        return None

    def _home(self, _: int) -> None:
        links = [article_path(n) for n in GOOD] + list(self.server.scenario.links)
        items = "".join(f'<li><a href="{href}">新闻 {i}</a></li>' for i, href in enumerate(links))
        self._html(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>示例新闻网</title></head>'
            f'<body><ul class="list">{items}</ul></body></html>'
        )

    def _redirects(self, _: int) -> None:
        path = self.path
        if path == "/loop/a":
            self._redirect("/loop/b")
        elif path == "/loop/b":
            self._redirect("/loop/a")
        elif path.startswith("/hop/"):
            self._redirect(f"/hop/{int(path[5:]) + 1}")
        else:
            self._redirect(f"/news/{path[7:]}", 301)

    def _calendar(self, _: int) -> None:
        day = self.path[5:15]
        year, month, dom = (int(x) for x in day.split("-"))
        today = date(year, month, dom)
        links = "".join(
            f'<a href="/cal/{d.isoformat()}.html">{d.isoformat()}</a> '
            for d in (today - timedelta(days=1), today + timedelta(days=1))
        )
        self._html(f"<html><head><title>{day} 日历</title></head><body><p>{day}</p>{links}</body></html>")

    def _listing(self, _: int) -> None:
        page = int(self.path.rsplit("/", 1)[1].split(".")[0])
        items = "".join(f'<li><a href="{article_path(n)}">{title_of(n)}</a></li>' for n in GOOD)
        self._html(
            f"<html><head><title>列表 第{page}页</title></head><body><ul>{items}</ul>"
            f'<div class="pager"><a href="/list/{page + 1}.html">下一页</a></div></body></html>'
        )


def _status_once(
    status: int, number: int, headers: dict[str, str] | None = None
) -> Callable[[Any, int], None]:
    def respond(handler: _Handler, nth: int) -> None:
        if nth == 1:
            handler._send(status, b"<html><body>busy</body></html>", headers=headers)
        else:
            handler._html(article_html(number))

    return respond


def _always(status: int) -> Callable[[Any, int], None]:
    return lambda handler, _: handler._send(status, b"<html><body>error</body></html>")


def _reset_always(handler: _Handler, _: int) -> None:
    handler._reset()


def _reset_once(handler: _Handler, nth: int) -> None:
    if nth == 1:
        handler._reset()
    else:
        handler._html(article_html(2006))


def _no_answer(handler: _Handler, _: int) -> None:
    handler._hold(HOLD_SECONDS)
    handler.close_connection = True


def _drip(number: int, pause: float, pieces: int | None) -> Callable[[Any, int], None]:
    """Send the article in ``pieces`` parts (a byte at a time when None), ``pause`` seconds apart."""

    def respond(handler: _Handler, _: int) -> None:
        body = article_html(number).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        size = -(-len(body) // pieces) if pieces else 1
        try:
            for start in range(0, len(body), size):
                handler.wfile.write(body[start : start + size])
                handler.wfile.flush()
                if handler.server.stopping.wait(pause):
                    return
        except OSError:
            return  # the crawler gave up

    return respond


def _truncated(handler: _Handler, _: int) -> None:
    body = article_html(2010).encode("utf-8")
    handler.protocol_version = "HTTP/1.1"
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.send_header("Connection", "close")
    handler.end_headers()
    half = body[: len(body) // 2]
    handler.wfile.write(b"%x\r\n%s\r\n" % (len(body), half))  # a chunk announced whole, sent half
    handler.wfile.flush()
    handler.close_connection = True


def _short(handler: _Handler, _: int) -> None:
    body = article_html(2011).encode("utf-8")
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body) * 2))
    handler.end_headers()
    handler.wfile.write(body)
    handler.close_connection = True


def _oversized(announce: bool) -> Callable[[Any, int], None]:
    def respond(handler: _Handler, _: int) -> None:
        number = 2013 if announce else 2014
        body = article_html(number, filler=3 * MAXSIZE).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if announce:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for start in range(0, len(body), 65536):
                handler.wfile.write(body[start : start + 65536])
        except OSError:
            return
        handler.close_connection = True

    return respond


_BOMB: list[bytes] = []


def _gzip_bomb(handler: _Handler, _: int) -> None:
    if not _BOMB:
        _BOMB.append(_bomb())
    handler._send(200, _BOMB[0], headers={"Content-Encoding": "gzip"})


def _gbk_as_utf8(handler: _Handler, _: int) -> None:
    handler._send(200, article_html(2017, charset="utf-8").encode("gbk"), "text/html; charset=utf-8")


def _utf8_as_gbk(handler: _Handler, _: int) -> None:
    handler._send(200, article_html(2018, charset="gbk").encode("utf-8"), "text/html; charset=gbk")


def _malformed(handler: _Handler, _: int) -> None:
    handler._send(200, malformed_html(2019).encode("utf-8"))


def control_page() -> bytes:
    """Article 2022 with control characters where lxml has refused them: in an attribute name, and
    right after a script."""
    page = article_html(2022).replace("<title>", '<meta \x01name="robots" content="index"><title>', 1)
    return page.replace("</h1>", "</h1><script>var a = 1;</script>\x0b", 1).encode("utf-8")


def _controls(handler: _Handler, _: int) -> None:
    handler._send(200, control_page())


def _png(handler: _Handler, _: int) -> None:
    handler._send(200, _PNG * 40, "text/html")


def _noise(handler: _Handler, _: int) -> None:
    handler._send(200, random.Random(2021).randbytes(20000), "text/html; charset=utf-8")


def _article(number: int) -> Callable[[Any, int], None]:
    """A plain, good article page (reachable only through its scenario's fault)."""
    return lambda handler, _: handler._html(article_html(number))


_SPECIAL: dict[str, Callable[[Any, int], None]] = {
    "/news/2001.html": _always(500),
    "/news/2002.html": _always(502),
    "/news/2003.html": _status_once(503, 2003),
    "/news/2004.html": _status_once(429, 2004, {"Retry-After": "1"}),
    "/news/2005.html": _reset_always,
    "/news/2006.html": _reset_once,
    "/news/2007.html": _no_answer,
    "/news/2008.html": _drip(2008, 0.25, None),
    "/news/2009.html": _drip(2009, 0.15, 4),
    "/news/2010.html": _truncated,
    "/news/2011.html": _short,
    "/news/2012.html": _article(2012),  # the target of a good redirect
    "/news/2013.html": _oversized(True),
    "/news/2014.html": _oversized(False),
    "/news/2015.html": _gzip_bomb,
    "/news/2016.html": _article(2016),  # listed only in the "billion laughs" sitemap
    "/news/2017.html": _gbk_as_utf8,
    "/news/2018.html": _utf8_as_gbk,
    "/news/2019.html": _malformed,
    "/news/2020.html": _png,
    "/news/2022.html": _controls,
    "/news/2021.html": _noise,
}


@dataclass
class Served:
    """A running fault server (and, for the off-site scenario, the second host it redirects to)."""

    server: FaultServer
    offsite: FaultServer | None = None

    @property
    def base_url(self) -> str:
        return self.server.base_url


def _start(server: FaultServer) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


@contextmanager
def serve_scenario(name: str) -> Iterator[Served]:
    """Serve one scenario on 127.0.0.1 for the duration of the block."""
    scenario = SCENARIOS[name]
    served = Served(FaultServer(scenario))
    if name == "redirect_offsite":
        served.offsite = FaultServer(scenario, ("127.0.0.2", 0))
        served.server.offsite_url = f"{served.offsite.base_url}/news/9999.html"
        _start(served.offsite)
    _start(served.server)
    try:
        yield served
    finally:
        for server in (served.server, served.offsite):
            if server is not None:
                server.stopping.set()
                server.shutdown()
                server.server_close()
