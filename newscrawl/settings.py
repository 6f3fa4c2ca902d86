"""Scrapy settings for newscrawl: polite defaults for unattended runs against small local portals.

Every value can be overridden per run (``newscrawl crawl … -s NAME=VALUE``, ``scrapy crawl … -s``) or per
site (the ``settings`` of its ``Site`` profile, or a spider's ``custom_settings``). Environment:
``NEWSCRAWL_CONTACT`` sets the contact URL in the User-Agent, ``NEWSCRAWL_STATE_DIR`` the seen-store's
folder.
"""

from __future__ import annotations

import os

from newscrawl import __version__
from newscrawl.pipelines import ITEM_PIPELINES as _PIPELINES

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
# A broken site file is reported (see `newscrawl sites`) without stopping the crawls of the other sites.
SPIDER_LOADER_WARN_ONLY = True
NEWSPIDER_MODULE = "newscrawl.spiders"

NEWSCRAWL_CONTACT = os.environ.get("NEWSCRAWL_CONTACT", "https://github.com/newscrawl/newscrawl")
# Rebuilt from NEWSCRAWL_CONTACT (setting or --contact) when a crawl starts, unless USER_AGENT is set per
# site or per run (see PortalSpider.update_settings).
USER_AGENT = f"newscrawl/{__version__} (+{NEWSCRAWL_CONTACT})"
ROBOTSTXT_OBEY = True

# Politeness: local portals are small servers.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# Scrapy starts this many asyncio tasks for every response's output, used or not. A page yields at most one
# article and the pipelines are synchronous, so Scrapy's 100 only cost time: 16 crawls ~20 % faster
# (docs/PERFORMANCE.md).
CONCURRENT_ITEMS = 16

# Bounded runs: nothing may hang an unattended crawl.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 8
MEMUSAGE_LIMIT_MB = 2048
CLOSESPIDER_ERRORCOUNT = 500

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "newscrawl.logformatter.LogFormatter"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

ITEM_PIPELINES = dict(_PIPELINES)
SPIDER_MIDDLEWARES = {
    "newscrawl.middlewares.SeenFilterMiddleware": 950,
    # An article waits for its page to be in the WARC file (written by a thread of its own).
    "newscrawl.warc.WarcOrderMiddleware": 960,
    # Faults (newscrawl.resilience): Scrapy's own middlewares, with traps, loops and bombs counted.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "newscrawl.resilience.ListingDepthMiddleware": 900,
}
# Next to the downloader: sees every response as it came off the wire (newscrawl.warc).
DOWNLOADER_MIDDLEWARES = {
    "newscrawl.warc.WarcMiddleware": 950,
    "newscrawl.resilience.RetryAfterMiddleware": 560,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.resilience.RedirectGuardMiddleware": 600,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.resilience.BoundedDecompressionMiddleware": 590,
    "newscrawl.resilience.ContentGuardMiddleware": 575,
}
EXTENSIONS = {
    "scrapy.extensions.logstats.LogStats": None,
    "newscrawl.extensions.progress.RunLogStats": 0,
    "newscrawl.extensions.progress.StatusLine": 10,
    "newscrawl.extensions.run.RunExtension": 100,
}
LOGSTATS_INTERVAL = 60.0

NEWSCRAWL_OUTPUT = "output/{site}/{run}.jsonl"
NEWSCRAWL_MAX_ARTICLES = 0
NEWSCRAWL_SINCE = None
NEWSCRAWL_WARC = True  # every raw response to output/{site}/{run}.warc.gz (crawl --no-warc turns it off)

# Scheduled runs: the seen-store, refetching, failure thresholds (README, "Scheduled runs").
NEWSCRAWL_STATE_DIR = os.environ.get("NEWSCRAWL_STATE_DIR", "state")
# Pending requests on disk in a per-run folder <state>/queue/ (newscrawl.scheduler): memory stays flat
# however many links a crawl has found but not fetched yet. False keeps them in memory.
SCHEDULER = "newscrawl.scheduler.DiskQueueScheduler"
NEWSCRAWL_DISK_QUEUE = True
NEWSCRAWL_REFRESH = False  # fetch known articles again (still only new and changed ones are written)
NEWSCRAWL_RESUME = (
    False  # walk every listing page even if the last run finished (known articles still skipped)
)
NEWSCRAWL_MAX_ERROR_RATE = 0.5  # errors per request above which the run fails (exit 4)
NEWSCRAWL_COVERAGE_FLOOR: dict[
    str, float
] = {}  # per-run override of the site's floor, e.g. {"published": 0.5}
NEWSCRAWL_COVERAGE_MIN_ARTICLES = 5  # fewer extracted articles than this: the floor is not checked
NEWSCRAWL_PROGRESS = None  # live status line: None = when stderr is a terminal; True / False to force
NEWSCRAWL_PROGRESS_INTERVAL = 1.0
NEWSCRAWL_MAX_LISTING_PAGES = 500  # pages of one listing's pagination (a "next page" trap ends there)
NEWSCRAWL_RETRY_AFTER_MAX = 120  # seconds: the longest Retry-After honoured (longer ones are cut to it)
# Distributed crawls (README, "Distributed crawls"; newscrawl.distributed): a Redis URL (crawl --redis URL)
# switches scheduler, dupefilter and seen-store to Redis. Off (None) by default.
NEWSCRAWL_REDIS_URL = None
NEWSCRAWL_REDIS_PREFIX = "newscrawl"  # of every Redis key
NEWSCRAWL_REDIS_WORKER_TTL = 60  # seconds without a heartbeat before a worker's requests are taken over
NEWSCRAWL_REDIS_CLAIM_TTL = 3600  # seconds a killed worker's claim blocks its article if nobody reconciles
MAX_IDLE_TIME_BEFORE_CLOSE = 30  # scrapy-redis: a worker closes after this many idle seconds (0: never)
ADDONS = {"newscrawl.distributed.DistributedMode": 0}
# Test only (newscrawl.faults): block at a named point so crash tests can kill the crawl there.
NEWSCRAWL_TEST_HOLD = None
NEWSCRAWL_TEST_HOLD_MARKER = None

FEED_EXPORT_ENCODING = "utf-8"
