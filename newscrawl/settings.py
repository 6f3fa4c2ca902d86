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
SPIDER_MIDDLEWARES = {"newscrawl.middlewares.SeenFilterMiddleware": 950}
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

# Scheduled runs: the seen-store, refetching, failure thresholds (README, "Scheduled runs").
NEWSCRAWL_STATE_DIR = os.environ.get("NEWSCRAWL_STATE_DIR", "state")
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
# Test only (newscrawl.faults): block at a named point so crash tests can kill the crawl there.
NEWSCRAWL_TEST_HOLD = None
NEWSCRAWL_TEST_HOLD_MARKER = None

FEED_EXPORT_ENCODING = "utf-8"
