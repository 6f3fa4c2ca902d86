"""Provenance: every raw response of a crawl saved to a WARC file next to the run's JSONL.

``output/<site>/<run>.jsonl`` gets ``output/<site>/<run>.warc.gz`` (``-o out.jsonl`` gets
``out.warc.gz``): gzip-compressed WARC/1.0, one gzip member per record (zlib level 6), written with
warcio. A run appends, in order:

- one ``warcinfo`` record: newscrawl's version, the run id, the robots.txt policy and User-Agent, the
  extractor version, the spider and its site profile (for the generic spider: the start URLs, domains,
  time zone and language it was given) and ``--since`` — what ``newscrawl reextract`` needs to rebuild
  the records with no network;
- for every response (articles, listings, feeds, sitemaps, robots.txt, redirects, errors) a ``request``
  and a ``response`` record, the body exactly as it came off the wire (still gzip-compressed when the
  server compressed it; only the chunked transfer coding is undone). ``WARC-Date`` is the download time,
  to the second: the article's ``fetched_at`` is that same time. ``Newscrawl-Callback`` names the
  spider method the response went to and ``Newscrawl-Link`` what kind of link led to it;
- for every article written to the JSONL a ``metadata`` record (``application/json``: ``version``,
  ``key``, ``content_hash``) whose ``WARC-Refers-To`` is the response the article came from.

The records are compressed and written by a thread of their own, in order; ``WarcOrderMiddleware`` (a
spider middleware) lets a page's articles go on to the JSONL only once the page is in the file.

``NEWSCRAWL_WARC = False`` (``newscrawl crawl --no-warc``) turns the file off; the download time is still
what ``fetched_at`` says. The middleware sits next to the downloader (priority 950), so it sees each
response before redirects are followed and bodies decompressed.
"""

from __future__ import annotations

import json
import logging
import uuid
import weakref
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any, NamedTuple, Self
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl import __version__
from newscrawl.discovery import META_LINK
from newscrawl.errors import BadInputError
from newscrawl.extensions.run import DEFAULT_OUTPUT, RunExtension, spider_site
from newscrawl.items import EXTRACTOR_VERSION
from newscrawl.pipelines.dedup import record_keys
from newscrawl.runs import format_output, run_id_of, warc_path_for
from newscrawl.site import Site

logger = logging.getLogger(__name__)

META_FETCHED_AT = "newscrawl_fetched_at"
"""ISO time (UTC, seconds) the response was downloaded: the record's ``fetched_at`` and ``WARC-Date``."""
META_WARC_ID = "newscrawl_warc_id"
"""``WARC-Record-ID`` of the response record of the response a request got."""
CALLBACK_HEADER = "Newscrawl-Callback"
LINK_HEADER = "Newscrawl-Link"
# Hop-by-hop: the body is stored de-chunked, so saying it is chunked would make readers fail.
_DROPPED_HEADERS = frozenset({b"transfer-encoding"})
# zlib's and gzip's default. warcio's own gzip writer is fixed at 9, which on news pages (~200 KB) takes
# 1.6× as long for files 0.6 % smaller: on the reactor thread, longer than extracting the page
# (docs/PERFORMANCE.md).
GZIP_LEVEL = 6
# Exchanges handed to the writer thread and not yet written, beyond which the reactor waits for it: a
# slow disk holds back the crawl instead of piling response bodies up in memory.
MAX_QUEUED = 64
_BY_CRAWLER: weakref.WeakKeyDictionary[Crawler, WarcMiddleware] = weakref.WeakKeyDictionary()


def warc_date(when: datetime) -> str:
    """``WARC-Date`` of a time: UTC, to the second."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fetched_at_of(response: Response) -> datetime:
    """When a response was downloaded (stamped by ``WarcMiddleware``); now when it was not stamped."""
    try:
        stamp = response.meta.get(META_FETCHED_AT)
    except AttributeError:  # a response built by hand, with no request
        stamp = None
    return datetime.fromisoformat(stamp) if stamp else datetime.now(UTC).replace(microsecond=0)


def site_info(
    site: Site, spider_name: str, since: str | None, settings: Any = None, run_id: str | None = None
) -> dict[str, Any]:
    """What the ``warcinfo`` record says about the crawl (enough to extract its pages again)."""
    crawl: dict[str, str] = {}
    if settings is not None:
        crawl = {
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": str(settings.get("USER_AGENT") or ""),
        }
    return {
        "software": f"newscrawl/{__version__}",
        "format": "WARC File Format 1.0",
        **crawl,
        "newscrawl-run": run_id or "",
        "extractor-version": EXTRACTOR_VERSION,
        "newscrawl-spider": spider_name,
        "newscrawl-site": json.dumps(
            {
                "name": site.name,
                "domains": list(site.domains),
                "start_urls": list(site.start_urls),
                "timezone": site.timezone,
                "languages": list(site.languages),
            },
            ensure_ascii=False,
        ),
        "newscrawl-since": since or "",
    }


def _headers(headers: Any) -> list[tuple[str, str]]:
    """Scrapy headers as (name, value) text pairs, one per value."""
    pairs = []
    for name, values in headers.items():
        if name.lower() in _DROPPED_HEADERS:
            continue
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def _callback_name(request: Request) -> str:
    callback = request.callback
    if callback is None:
        return ""
    return callback if isinstance(callback, str) else getattr(callback, "__name__", "")


class GzipMembers:
    """A binary file that gzips what is written to it, one gzip member per ``flush()``.

    warcio flushes once at the end of each record, so handed to ``WARCWriter(..., gzip=False)`` this
    writes the usual ``.warc.gz`` (each record its own member, as readers expect), at ``level``. A
    record is compressed in one call when it ends: warcio writes it in 16 KB pieces, and on the writer
    thread each piece would have to win the GIL back from the crawl.
    """

    def __init__(self, raw: IO[bytes], level: int = GZIP_LEVEL) -> None:
        self.raw = raw
        self.level = level
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        """Add ``data`` to the current member."""
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Compress and write the current member, if any, and flush the file."""
        if self._parts:
            data = b"".join(self._parts)
            self._parts = []
            self.raw.write(zlib.compress(data, self.level, wbits=zlib.MAX_WBITS + 16))
        self.raw.flush()


class _Record(NamedTuple):
    """What the writer thread makes one WARC record of."""

    uri: str
    kind: str
    body: bytes
    headers: dict[str, str]
    http: StatusAndHeaders | None
    content_type: str = ""  # warcio's default: from the record type


class WarcMiddleware:
    """Downloader middleware: stamp each response's download time; save it to the run's WARC file.

    The records are compressed and written by one thread of their own, in the order they were handed
    over (zlib and hashlib let go of the GIL: on news pages of ~200 KB this was a fifth of the crawl's
    time on the reactor thread). ``WarcOrderMiddleware`` holds a page's articles back until the page is
    in the file, so the file is never behind the JSONL.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("NEWSCRAWL_WARC", True)
        self.path: Path | None = None
        self.file: IO[bytes] | None = None
        self.writer: WARCWriter | None = None
        self.records = 0
        """Records written (by the writer thread)."""
        self.failed = False
        self._error: Exception | None = None  # set by the writer thread, reported by the reactor's
        self._thread: ThreadPoolExecutor | None = None
        self._queued: dict[str, Future[None]] = {}  # WARC-Record-ID → its write, oldest first

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        middleware = cls(crawler)
        if middleware.enabled:
            crawler.signals.connect(middleware.item_scraped, signal=signals.item_scraped)
            crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
            _BY_CRAWLER[crawler] = middleware
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        """Stamp the download time on the request; hand the request and response records over."""
        when = datetime.now(UTC).replace(microsecond=0)
        request.meta[META_FETCHED_AT] = when.isoformat()
        self._check()
        if self.enabled and not self.failed:
            try:
                request.meta[META_WARC_ID] = self._write_exchange(request, response, when)
            except OSError as exc:
                self._fail(exc)
        return response

    def wait_written(self, response: Response) -> None:
        """Return once the records of ``response`` are in the file (or the file has failed)."""
        key = response.meta.get(META_WARC_ID) if response.request is not None else None
        queued = self._queued.get(key) if key else None
        if queued is not None:
            queued.result()  # the writer thread catches its own errors: this only waits
        self._check()

    # --- writing -----------------------------------------------------------------------------------

    def _open(self) -> WARCWriter:
        run = self.crawler.get_extension(RunExtension)
        session = run.session if run is not None else None
        spider = self.crawler.spider
        site = spider_site(spider)
        if session is not None:
            jsonl = session.output
        else:
            template = self.crawler.settings.get("NEWSCRAWL_OUTPUT") or DEFAULT_OUTPUT
            jsonl = format_output(template, site.name, run_id_of(datetime.now(UTC)))
        self.path = warc_path_for(jsonl)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("ab")
        self.writer = WARCWriter(GzipMembers(self.file), gzip=False)
        since = self.crawler.settings.get("NEWSCRAWL_SINCE")
        info = site_info(
            site,
            getattr(spider, "name", site.name),
            str(since)[:10] if since else None,
            self.crawler.settings,
            session.run_id if session is not None else None,
        )
        self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, info))
        self.records += 1
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newscrawl-warc")
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("newscrawl/warc", str(self.path))
        return self.writer

    def _write_exchange(self, request: Request, response: Response, when: datetime) -> str:
        if self.writer is None:
            self._open()
        date = warc_date(when)
        response_id = f"<urn:uuid:{uuid.uuid4()}>"
        status = response.status
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        protocol = response.protocol or "HTTP/1.1"
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), _headers(response.headers), protocol)
        extra = {
            "WARC-Record-ID": response_id,
            "WARC-Date": date,
            CALLBACK_HEADER: _callback_name(request),
            LINK_HEADER: str(request.meta.get(META_LINK) or ""),
        }
        if response.ip_address is not None:
            extra["WARC-IP-Address"] = str(response.ip_address)
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc), *_headers(request.headers)]
        self._hand_over(
            response_id,
            [
                _Record(
                    response.url,
                    "response",
                    response.body,
                    {k: v for k, v in extra.items() if v},
                    http_headers,
                ),
                _Record(
                    request.url,
                    "request",
                    request.body,
                    {"WARC-Date": date, "WARC-Concurrent-To": response_id},
                    StatusAndHeaders(f"{request.method} {target} HTTP/1.1", request_headers),
                ),
            ],
        )
        return response_id

    def item_scraped(self, item: Any, response: Response, spider: Any) -> None:
        """An article reached the JSONL: link it to the response it came from."""
        if self.writer is None or self.failed:
            return
        refers_to = response.meta.get(META_WARC_ID) if response.request is not None else None
        if not refers_to:
            return
        adapter = ItemAdapter(item)
        key, _ = record_keys(adapter)
        payload = json.dumps(
            {
                "written": True,
                "version": int(adapter.get("version") or 1),
                "key": key,
                "url": adapter.get("url"),
                "content_hash": adapter.get("content_hash"),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        headers = {"WARC-Record-ID": record_id, "WARC-Refers-To": refers_to}
        self._hand_over(
            record_id, [_Record(adapter.get("url"), "metadata", payload, headers, None, "application/json")]
        )

    def spider_closed(self, spider: Any) -> None:
        """Let the writer thread finish, then close the file."""
        if self._thread is not None:
            self._thread.shutdown(wait=True)
            self._thread = None
            self._queued.clear()
            self._check()
        if self.file is not None:
            self.file.close()
            self.file = None
            if self.crawler.stats is not None:
                self.crawler.stats.set_value("newscrawl/warc/records", self.records)
            logger.info("Saved %d WARC records to %s", self.records, self.path)

    # --- the writer thread ----------------------------------------------------------------------------

    def _hand_over(self, key: str, records: list[_Record]) -> None:
        """Queue records for the writer thread under their WARC-Record-ID ``key``; forget finished writes;
        wait when the writer is far behind."""
        self._check()
        if self.failed or self._thread is None:
            return
        self._queued[key] = self._thread.submit(self._write_records, records)
        while self._queued:
            oldest = next(iter(self._queued))
            if not self._queued[oldest].done() and len(self._queued) <= MAX_QUEUED:
                break
            self._queued.pop(oldest).result()

    def _write_records(self, records: list[_Record]) -> None:
        # On the writer thread: nothing here touches Scrapy (stats and logs are the reactor's, _check).
        if self._error is not None:
            return
        writer = self.writer
        assert writer is not None
        try:
            for r in records:
                # Made here too, not on the reactor: making a record hashes its payload.
                record = writer.create_warc_record(
                    r.uri,
                    r.kind,
                    payload=BytesIO(r.body),
                    length=len(r.body),
                    warc_content_type=r.content_type,
                    warc_headers_dict=r.headers,
                    http_headers=r.http,
                )
                writer.write_record(record)  # one gzip member each, flushed to the OS
                self.records += 1
        except Exception as exc:  # noqa: BLE001 — reported on the reactor thread, whatever it is
            self._error = exc

    def _check(self) -> None:
        """Report a failure of the writer thread, once."""
        if self._error is not None and not self.failed:
            self._fail(self._error)

    def _fail(self, exc: Exception) -> None:
        # Losing provenance must not lose the crawl: say so once, count it, go on without.
        self.failed = True
        self._inc("warc/errors")
        logger.error("Cannot write the WARC file %s: %s; going on without it", self.path, exc)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawl/{key}", count)


class WarcOrderMiddleware:
    """Spider middleware: a page's articles go on to the pipelines (and the JSONL file) only once the
    page itself is in the WARC file. A crawl killed at any moment then leaves no article that
    ``newscrawl reextract`` could not rebuild. The wait is usually nil: the writer thread compresses the
    page while the spider extracts it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        """Pass everything on; an item only once its page is written."""
        for obj in result:
            if not isinstance(obj, Request):
                self._wait(response)
            yield obj

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """The same for asynchronous callbacks."""
        async for obj in result:
            if not isinstance(obj, Request):
                self._wait(response)
            yield obj

    def _wait(self, response: Response) -> None:
        warc = _BY_CRAWLER.get(self.crawler)
        if warc is not None:
            warc.wait_written(response)


# --- reading ---------------------------------------------------------------------------------------


class WarcError(BadInputError):
    """A file that is not a readable WARC."""


@dataclass
class Exchange:
    """One HTTP response of a WARC file, as indexed for re-extraction."""

    offset: int
    record_id: str
    url: str
    date: str
    status: int
    callback: str | None
    """The spider method it went to (None in WARC files not written by newscrawl)."""


@dataclass
class Segment:
    """The records of one crawl run in a WARC file (everything after one ``warcinfo``)."""

    info: dict[str, str] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)
    written: list[tuple[str, int]] = field(default_factory=list)
    """(response record id, version) of every article the crawl wrote, in the order it wrote them."""
    torn: bool = False


def _warc_fields(payload: bytes) -> dict[str, str]:
    info: dict[str, str] = {}
    for line in payload.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            info[name.strip()] = value.strip()
    return info


def _complete(record: Any) -> bool:
    """Read the rest of a record's block; False when the file ends before its Content-Length (a crawl
    killed while writing it)."""
    stream = record.raw_stream
    while stream.read(1 << 20):
        pass
    return not getattr(stream, "limit", 0)


def index_warc(path: Path) -> list[Segment]:
    """The runs in a WARC file with the offsets of their responses (a torn last record is noted and
    skipped: a killed crawl leaves one)."""
    segments: list[Segment] = []
    current = Segment()
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            try:
                for record in records:
                    kind = record.rec_type
                    headers = record.rec_headers
                    payload = record.content_stream().read() if kind in ("warcinfo", "metadata") else None
                    offset = records.get_record_offset()  # reads to the record's end: after the payload
                    if kind is None or not _complete(record):
                        raise EOFError("the record ends before its Content-Length")
                    if kind == "warcinfo":
                        if current.exchanges or current.written or current.info:
                            segments.append(current)
                        current = Segment(info=_warc_fields(payload or b""))
                    elif kind == "response" and record.http_headers is not None:
                        status = record.http_headers.get_statuscode()
                        current.exchanges.append(
                            Exchange(
                                offset=offset,
                                record_id=headers.get_header("WARC-Record-ID") or "",
                                url=headers.get_header("WARC-Target-URI") or "",
                                date=headers.get_header("WARC-Date") or "",
                                status=int(status) if str(status).isdigit() else 0,
                                callback=headers.get_header(CALLBACK_HEADER),
                            )
                        )
                    elif kind == "metadata" and headers.get_header("Content-Type") == "application/json":
                        refers = headers.get_header("WARC-Refers-To")
                        try:
                            data = json.loads(payload or b"")
                        except ValueError:
                            continue
                        if refers and isinstance(data, dict) and data.get("written"):
                            current.written.append((refers, int(data.get("version") or 1)))
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
                if not current.exchanges and not segments and not current.info:
                    raise WarcError(f"{path} is not a WARC file ({exc})") from None
                current.torn = True
                logger.warning("%s: the last record is torn (%s); the records before it are used", path, exc)
    except OSError as exc:
        raise WarcError(f"cannot read {path}: {exc.strerror or exc}") from None
    if current.exchanges or current.written or current.info:
        segments.append(current)
    return segments


@dataclass(frozen=True)
class RawResponse:
    """A response read back from a WARC file: what the spider would have seen."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    """Decoded: transfer and content codings undone, as Scrapy's middlewares hand it to the spider."""
    date: str


def read_response(stream: IO[bytes], offset: int) -> RawResponse:
    """The response record at ``offset`` of an open WARC file (WarcError when its body cannot be
    decoded)."""
    stream.seek(offset)
    record = next(iter(ArchiveIterator(stream)))
    headers = record.http_headers
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    coding = (headers.get_header("Content-Encoding") or "").strip().lower()
    if coding not in ("", "identity") and coding not in BufferedReader.get_supported_decompressors():
        raise WarcError(f"{url}: cannot undo the content coding {coding!r}")
    body = record.content_stream().read()
    return RawResponse(
        url=url,
        status=int(headers.get_statuscode()),
        headers=[
            (k, v) for k, v in headers.headers if k.lower() not in ("content-encoding", "content-length")
        ],
        body=body,
        date=record.rec_headers.get_header("WARC-Date") or "",
    )


def iter_responses(path: Path) -> Iterator[tuple[Exchange, RawResponse]]:
    """Every response of a WARC file, in order (for tools; re-extraction goes through ``index_warc``)."""
    segments = index_warc(path)
    with path.open("rb") as stream:
        for segment in segments:
            for exchange in segment.exchanges:
                yield exchange, read_response(stream, exchange.offset)
