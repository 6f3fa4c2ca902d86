"""Scrapy's scheduler with the pending requests on disk, so a long crawl's memory stays flat.

A portal's articles link to each other ("相关阅读"), so a crawl finds URLs much faster than it fetches
them: held in memory, the queue grows with the portal (about 1.7 KB per waiting request). Scrapy keeps
its queue on disk only with ``JOBDIR``, which also makes the next run *resume* that queue and reload a
dupefilter file; a newscrawl run does not resume a queue (the seen-store makes the next run skip what
this one wrote). So each run gets a fresh folder ``<NEWSCRAWL_STATE_DIR>/queue/<pid>-<random>/``, removed
when the crawl closes; a folder left by a killed run is removed by the next run that starts.

``NEWSCRAWL_DISK_QUEUE = False`` keeps the queue in memory; a ``JOBDIR`` of the user's wins (Scrapy's own
behaviour). Distributed crawls (``--redis``) use scrapy-redis's scheduler instead of this one.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Self

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_STATE_DIR = "state"


class DiskQueueScheduler(Scheduler):
    """``scrapy.core.scheduler.Scheduler`` whose disk queue lives in a per-run folder (see the module)."""

    run_folder: Path | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build Scrapy's scheduler, then point its disk queue at a fresh folder of this run."""
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        if scheduler.dqdir is None and settings.getbool("NEWSCRAWL_DISK_QUEUE", True):
            base = Path(settings.get("NEWSCRAWL_STATE_DIR") or DEFAULT_STATE_DIR) / "queue"
            try:
                base.mkdir(parents=True, exist_ok=True)
                remove_stale_folders(base)
                folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=base))
            except OSError as exc:  # a read-only state folder: crawl on with the queue in memory
                logger.warning("Request queue kept in memory: cannot use %s (%s)", base, exc.strerror or exc)
            else:
                scheduler.run_folder = folder
                scheduler.dqdir = str(folder)
        return scheduler

    def close(self, reason: str) -> Any:
        """Close the queues as Scrapy does, then remove this run's queue folder."""
        result = super().close(reason)
        if self.run_folder is not None:
            shutil.rmtree(self.run_folder, ignore_errors=True)
        return result


def remove_stale_folders(base: Path) -> list[Path]:
    """Remove the queue folders of runs whose process is gone (killed runs); returns what went."""
    removed = []
    for folder in base.iterdir():
        pid = folder.name.partition("-")[0]
        if not folder.is_dir() or not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
