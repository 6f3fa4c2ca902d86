"""Crawl speed and memory: newscrawl (full extraction, all pipelines) against a bare Scrapy spider.

usage: python -m bench.crawl_speed [--articles 20000] [--memory 5000,50000] [--concurrency 16] [--rounds 2]
                                  [--pages synthetic|corpus]

A synthetic portal (listing pages of 50 links with pagination, article pages of ~8 KB with related
links) is written to a temp folder and served on 127.0.0.1 by nginx (Debian's nginx-light; a Python
server stands in when nginx is missing, which makes the server the bottleneck and says so). Then, one
after the other in this command:

  (a) a bare Scrapy spider that only follows links (no extraction, no pipelines);
  (b) ``newscrawl crawl generic`` with its default extraction and pipelines, politeness off as in (a).

The two crawls alternate --rounds times and the best rate of each counts (as in bench.extract_speed):
bare Scrapy's rate alone moves by a quarter from run to run on this 2-core machine. It prints pages/s
of every run and the ratio b/a of the best rates (target ≥ 0.6), and the peak RSS of each process. With
--memory A,B it also crawls portals of A and B articles with newscrawl and prints the peak-RSS ratio
(target ≤ 1.3×). Each crawl runs in its own process; peak RSS comes from os.wait4.

--pages corpus serves real saved news pages as the articles instead (the 300 pages of bench.extract_speed,
~200 KB each, cycled; read from ../shared/corpus, never copied into the repository): what a crawl of real
portals costs per page, where extraction and the WARC file weigh far more than on 8 KB pages. A
``<base href>`` to an unreachable host is put into each page so that neither crawler follows its own links.
The targets are set on the synthetic portal; this mode is for information.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import scrapy
from scrapy.linkextractors import LinkExtractor

from demo.serve import free_port
from demo.sitekit import SENTENCES

REPO = Path(__file__).resolve().parents[1]
PER_LISTING = 50
SPEED_TARGET = 0.6
MEMORY_TARGET = 1.3


class BareSpider(scrapy.Spider):
    """Follows every link inside the start URL's host; extracts nothing (the baseline)."""

    name = "bare"

    def __init__(self, start_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.origin = start_url.rstrip("/")
        self.links = LinkExtractor()

    def parse(self, response: Any) -> Iterator[scrapy.Request]:
        """Request every link on the page that stays on the portal."""
        for link in self.links.extract_links(response):
            if link.url.startswith(self.origin):
                yield scrapy.Request(link.url, callback=self.parse)

    def closed(self, reason: str) -> None:
        """Report the page count where the benchmark can read it."""
        count = self.crawler.stats.get_value("response_received_count", 0)
        sys.stdout.write(f"bare: {count} pages\n")


def _article(i: int, n: int, rng: random.Random) -> str:
    day = 1 + i % 28
    paragraphs = "".join(
        f"<p>{''.join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))}</p>" for _ in range(6)
    )
    related = "".join(f'<li><a href="/a/{(i * 7 + k) % n}.html">相关报道 {k}</a></li>' for k in range(1, 6))
    listing = 1 + i // PER_LISTING
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>第{i}号新闻标题_示例新闻网</title>
<meta name="keywords" content="示例,新闻"></head><body>
<div class="top"><a href="/">首页</a> <a href="/list/1.html">本地</a> <a href="/list/{listing}.html">返回列表</a></div>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/list/1.html">本地</a> &gt; 正文</div>
<h1>第{i}号新闻标题：示例市推进重点项目建设</h1>
<p class="info">2026-10-{day:02d} {8 + i % 12:02d}:{i % 60:02d}:00 来源：示例日报 作者：王{i % 97}明</p>
<div id="text_content"><p>示例新闻网讯（记者 张三 通讯员 李四）{rng.choice(SENTENCES)}</p>{paragraphs}</div>
<div class="keywords">文章关键词：项目,建设 责编：赵六</div>
<div class="related"><h3>相关阅读</h3><ul>{related}</ul></div>
<div class="footer">Copyright © 2012-2026 示例新闻网</div></body></html>"""


def _listing(k: int, pages: int, n: int) -> str:
    items = "".join(
        f'<li><a href="/a/{i}.html">第{i}号新闻标题：示例市推进重点项目建设</a> <span>2026-10-{1 + i % 28:02d}</span></li>'
        for i in range((k - 1) * PER_LISTING, min(k * PER_LISTING, n))
    )
    nxt = f'<a href="/list/{k + 1}.html">下一页</a>' if k < pages else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>本地_示例新闻网</title></head><body>
<div class="top"><a href="/">首页</a> <a href="/list/1.html">本地</a></div><ul class="list">{items}</ul>
<div class="page"><a href="/list/1.html">首页</a> {nxt}</div></body></html>"""


_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)
_BASE = b'<base href="http://corpus.invalid/">'


def build_portal(root: Path, n: int, corpus: list[bytes] | None = None) -> None:
    """Write ``n`` article pages (synthetic, or the ``corpus`` pages cycled) and their listing pages."""
    rng = random.Random(n)
    (root / "a").mkdir(parents=True)
    (root / "list").mkdir()
    pages = (n + PER_LISTING - 1) // PER_LISTING
    if corpus:
        originals = root / "corpus"
        originals.mkdir()
        for k, html in enumerate(corpus):
            head = _HEAD.search(html)
            at = head.end() if head else 0
            (originals / f"{k}.html").write_bytes(html[:at] + _BASE + html[at:])
    for i in range(n):
        if corpus:
            (root / "a" / f"{i}.html").hardlink_to(root / "corpus" / f"{i % len(corpus)}.html")
        else:
            (root / "a" / f"{i}.html").write_text(_article(i, n, rng), encoding="utf-8")
    for k in range(1, pages + 1):
        (root / "list" / f"{k}.html").write_text(_listing(k, pages, n), encoding="utf-8")
    (root / "index.html").write_text(_listing(1, pages, n), encoding="utf-8")


@contextmanager
def serve(root: Path) -> Iterator[tuple[str, str]]:
    """Serve ``root`` on loopback; yields (base URL, server name)."""
    port = free_port()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        conf = root.parent / "nginx.conf"
        conf.write_text(
            f"daemon off; worker_processes 2; pid {root.parent}/nginx.pid; error_log /dev/null crit;\n"
            "events { worker_connections 1024; }\n"
            f"http {{ access_log off; default_type text/html; client_body_temp_path {root.parent}/tmp;"
            f" proxy_temp_path {root.parent}/tmp; keepalive_requests 100000;\n"
            f" server {{ listen 127.0.0.1:{port}; root {root}; }} }}\n",
            encoding="utf-8",
        )
        (root.parent / "tmp").mkdir(exist_ok=True)
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(root.parent)])
        name = "nginx"
    else:
        proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        name = "python http.server (nginx not found: the server is the bottleneck)"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(
                        f"bench.crawl_speed: the server exited ({proc.returncode}): {name}"
                    ) from None
                time.sleep(0.05)
        else:
            raise SystemExit(f"bench.crawl_speed: no answer on 127.0.0.1:{port} after 5 s: {name}")
        yield f"http://127.0.0.1:{port}", name
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _run(cmd: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run a crawl; (seconds, peak RSS in MB, stdout)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by os.wait4: Popen must not wait for it again
    if code != 0:
        raise SystemExit(f"crawl failed ({code}): {' '.join(cmd)}\n{out[-2000:]}")
    return seconds, usage.ru_maxrss // 1024, out


def _settings(concurrency: int) -> list[str]:
    values = {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "LOG_LEVEL": "ERROR",
        "DEPTH_LIMIT": 0,
        "TELNETCONSOLE_ENABLED": False,
    }
    return [arg for k, v in values.items() for arg in ("-s", f"{k}={v}")]


def crawl_bare(base: str, work: Path, concurrency: int) -> tuple[float, int, int]:
    """(seconds, peak MB, pages) of the bare spider."""
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(Path(__file__).resolve()),
        "-a",
        f"start_url={base}/",
        *_settings(concurrency),
    ]
    seconds, rss, out = _run(cmd, work)
    m = re.search(r"bare: (\d+) pages", out)
    return seconds, rss, int(m.group(1)) if m else 0


def crawl_newscrawl(base: str, work: Path, concurrency: int) -> tuple[float, int, int, int]:
    """(seconds, peak MB, pages, articles) of ``newscrawl crawl generic``."""
    cmd = [
        sys.executable,
        "-m",
        "newscrawl.cli",
        "crawl",
        "generic",
        "--start-url",
        f"{base}/",
        "-o",
        str(work / "out.jsonl"),
        *_settings(concurrency),
    ]
    seconds, rss, out = _run(cmd, work)
    m = re.search(r"(\d+) articles.*? from (\d+) pages", out)
    return seconds, rss, int(m.group(2)) if m else 0, int(m.group(1)) if m else 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench.crawl_speed", description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--memory", default="5000,50000", help="two portal sizes for the memory check, or ''")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="speed runs of each crawler (best counts)")
    parser.add_argument(
        "--pages", choices=("synthetic", "corpus"), default="synthetic", help="what the article pages are"
    )
    args = parser.parse_args(argv)
    corpus = None
    if args.pages == "corpus":
        from bench.extract_speed import CORPUS, corpus_pages  # noqa: PLC0415

        if not CORPUS.is_dir():
            print(f"bench.crawl_speed: skipped, {CORPUS} is absent")
            return 0
        corpus = [html for _, html in corpus_pages(300)]
    with tempfile.TemporaryDirectory(prefix="newscrawl-bench-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx workers drop to an unprivileged user and must read the pages
        site = work / f"site{args.articles}"
        build_portal(site, args.articles, corpus)
        with serve(site) as (base, server):
            kind = "corpus pages as" if corpus else "synthetic"
            print(
                f"bench.crawl_speed: {args.articles} {kind} articles served by {server}, "
                f"concurrency {args.concurrency}"
            )
            bare_rate = ours_rate = 0.0
            for round_no in range(1, args.rounds + 1):
                # Alternated, best of each: bare Scrapy's rate alone moves by a quarter between runs here.
                bare_s, bare_rss, bare_pages = crawl_bare(base, work, args.concurrency)
                run_dir = work / f"speed{round_no}"
                run_dir.mkdir()
                ours_s, ours_rss, ours_pages, articles = crawl_newscrawl(base, run_dir, args.concurrency)
                bare_rate = max(bare_rate, bare_pages / bare_s)
                ours_rate = max(ours_rate, ours_pages / ours_s)
                print(
                    f"  (a) bare Scrapy  {bare_pages:6d} pages in {bare_s:6.1f} s = {bare_pages / bare_s:7.1f} "
                    f"pages/s, peak RSS {bare_rss} MB"
                )
                print(
                    f"  (b) newscrawl    {ours_pages:6d} pages in {ours_s:6.1f} s = {ours_pages / ours_s:7.1f} "
                    f"pages/s, peak RSS {ours_rss} MB, {articles} articles written"
                )
        ratio = ours_rate / bare_rate if bare_rate else 0.0
        print(
            f"  b/a = {ratio:.2f} (best of {args.rounds}: {ours_rate:.1f} / {bare_rate:.1f} pages/s)  "
            f"target ≥ {SPEED_TARGET} {'✓' if ratio >= SPEED_TARGET else '✗'}"
        )
        if args.memory:
            small, large = (int(x) for x in args.memory.split(","))
            peaks = []
            for n in (small, large):
                portal = work / f"mem{n}"
                build_portal(portal, n, corpus)
                run_dir = work / f"run{n}"
                run_dir.mkdir()
                with serve(portal) as (base, _):
                    seconds, rss, _, articles = crawl_newscrawl(base, run_dir, args.concurrency)
                print(f"  memory: {n:6d} articles → {articles} written in {seconds:.0f} s, peak RSS {rss} MB")
                peaks.append(rss)
                shutil.rmtree(portal)
            growth = peaks[1] / peaks[0]
            print(
                f"  peak RSS {large} / {small} articles = {growth:.2f}×  target ≤ {MEMORY_TARGET}× "
                f"{'✓' if growth <= MEMORY_TARGET else '✗'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
