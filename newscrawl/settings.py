"""Scrapy settings for newscrawl: polite defaults for unattended runs against small local portals.

Every value can be overridden per run (``newscrawl crawl … -s NAME=VALUE``, ``scrapy crawl … -s``) or per
site (a spider's ``custom_settings``). Environment: ``NEWSCRAWL_CONTACT`` sets the contact URL in the
User-Agent.
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

CONTACT = os.environ.get("NEWSCRAWL_CONTACT", "https://github.com/newscrawl/newscrawl")
USER_AGENT = f"newscrawl/{__version__} (+{CONTACT})"
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
NEWSCRAWL_OUTPUT = "output/{site}/{run}.jsonl"
NEWSCRAWL_MAX_ARTICLES = 0
NEWSCRAWL_SINCE = None

FEED_EXPORT_ENCODING = "utf-8"
