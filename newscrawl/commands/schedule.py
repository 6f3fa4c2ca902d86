"""``newscrawl schedule SITE --every 1h [--workdir DIR] [--state-dir DIR] [--start-url URL]… [--contact URL]
[-s NAME=VALUE]…``: print a ready crontab line and a systemd service + timer pair that run ``newscrawl crawl SITE`` on that interval.

Nothing is installed: the text is for the operator to paste (``crontab -e``) or save
(``/etc/systemd/system/newscrawl-SITE.{service,timer}``). Paths are absolute: the newscrawl of this
environment, the working directory (where ``output/`` goes) and the state directory.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawl.commands import EXIT_OK, ArgumentParser, UsageError

_EVERY = re.compile(r"^\s*(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Interval:
    """A run interval: ``count`` minutes, hours or days (``unit`` is m, h or d)."""

    count: int
    unit: str

    @property
    def minutes(self) -> int:
        """The interval in minutes."""
        return self.count * {"m": 1, "h": 60, "d": 1440}[self.unit]


def parse_every(text: str) -> Interval:
    """``15m``, ``1h``, ``6h``, ``1d`` … (minutes dividing an hour, hours dividing a day, or whole days)."""
    m = _EVERY.match(text)
    if not m:
        raise UsageError(f"--every must look like 30m, 1h, 6h or 1d, not {text!r}")
    count, unit = int(m.group(1)), m.group(2)[0].lower()
    if unit == "m" and count % 60 == 0:
        count, unit = count // 60, "h"
    if unit == "h" and count % 24 == 0:
        count, unit = count // 24, "d"
    if count < 1 or (unit == "m" and 60 % count) or (unit == "h" and 24 % count):
        raise UsageError(f"--every {text}: use minutes that divide an hour, hours that divide a day, or days")
    if unit == "m" and count < 5:
        raise UsageError("--every: runs closer than 5 minutes apart are not polite to a portal")
    return Interval(count, unit)


def offset_minute(name: str) -> int:
    """A fixed minute for a site, so scheduled crawls of different sites do not all start at :00."""
    return zlib.crc32(name.encode()) % 60


def cron_line(interval: Interval, command: str, minute: int) -> str:
    """The five cron time fields plus the command."""
    if interval.unit == "m":
        fields = f"{minute % interval.count}-59/{interval.count} * * * *"
    elif interval.unit == "h":
        fields = f"{minute} */{interval.count} * * *" if interval.count > 1 else f"{minute} * * * *"
    else:
        fields = f"{minute} 3 */{interval.count} * *" if interval.count > 1 else f"{minute} 3 * * *"
    return f"{fields} {command}"


def on_calendar(interval: Interval, minute: int) -> str:
    """The systemd ``OnCalendar=`` expression for the interval."""
    if interval.unit == "m":
        return f"*-*-* *:{minute % interval.count:02d}/{interval.count}:00"
    if interval.unit == "h":
        return f"*-*-* 00/{interval.count}:{minute:02d}:00"
    return f"*-*-1/{interval.count} 03:{minute:02d}:00" if interval.count > 1 else f"*-*-* 03:{minute:02d}:00"


def newscrawl_executable() -> list[str]:
    """How to start this environment's newscrawl, as absolute paths."""
    script = Path(sys.executable).parent / "newscrawl"
    if script.is_file():
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "newscrawl.cli"]


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser("schedule", help="print a cron line and a systemd service + timer for a site")
    parser.add_argument("site", metavar="SITE", help="site name from 'newscrawl sites', or 'generic'")
    parser.add_argument("--every", required=True, help="interval: 30m, 1h, 6h, 1d …")
    parser.add_argument("--workdir", help="working directory of the runs (default: the current one)")
    parser.add_argument("--state-dir", help="seen-store folder (default: <workdir>/state)")
    parser.add_argument(
        "--start-url", action="append", default=[], help="generic only: start page (repeatable)"
    )
    parser.add_argument("--timezone", help="generic only: IANA zone of the portal's dates")
    parser.add_argument("--language", help="generic only: language code of the portal")
    parser.add_argument("--contact", metavar="URL", help="contact URL for the User-Agent")
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting for every run",
    )


def run(args: argparse.Namespace) -> int:
    """Print the cron line and the two systemd units."""
    from newscrawl.commands.crawl import crawl_options  # noqa: PLC0415
    from newscrawl.commands.crawl import register as register_crawl  # noqa: PLC0415

    interval = parse_every(args.every)
    workdir = Path(args.workdir).absolute() if args.workdir else Path.cwd()
    state_dir = Path(args.state_dir).absolute() if args.state_dir else workdir / "state"
    extra = [f"--start-url={u}" for u in args.start_url]
    extra += [
        f"--{name}={getattr(args, name)}"
        for name in ("timezone", "language", "contact")
        if getattr(args, name)
    ]
    for pair in args.set:
        extra += ["-s", pair]
    # The crawl options are checked now, so a typo fails here and not at 3 a.m.
    sub = ArgumentParser(prog="newscrawl").add_subparsers(parser_class=ArgumentParser)
    register_crawl(sub)
    crawl_options(sub.choices["crawl"].parse_args([args.site, *extra]))

    command = [*newscrawl_executable(), "crawl", args.site, *extra, "--state-dir", str(state_dir)]
    minute = offset_minute(args.site + " ".join(extra))
    unit = f"newscrawl-{re.sub(r'[^a-z0-9_-]+', '-', args.site.lower())}"
    log = workdir / "output" / f"{args.site}.cron.log"
    quoted = shlex.join(command)
    cron = cron_line(
        interval,
        f"cd {shlex.quote(str(workdir))} && mkdir -p output && {quoted} >>{shlex.quote(str(log))} 2>&1"
        f' || echo "newscrawl {args.site} failed with exit code $?, see {log}"',
        minute,
    )
    contact = os.environ.get("NEWSCRAWL_CONTACT")
    environment = [f"Environment=NEWSCRAWL_CONTACT={contact}"] if contact else []
    timeout = max(5, min(interval.minutes - 5, 6 * 60))  # a stuck run ends before the next one is due
    print(f"# cron (crontab -e): every {args.every}; output goes to the log, failures are mailed by cron")
    print(cron)
    print()
    print(f"# systemd: save as /etc/systemd/system/{unit}.service")
    print(
        "\n".join(
            [
                "[Unit]",
                f"Description=newscrawl: crawl {args.site}",
                "Wants=network-online.target",
                "After=network-online.target",
                "",
                "[Service]",
                "Type=oneshot",
                f"WorkingDirectory={workdir}",
                f"ExecStart={quoted}",
                *environment,
                f"TimeoutStartSec={timeout}min",
                "# SIGTERM lets the crawl stop cleanly (exit 130); what it wrote is kept.",
                "KillSignal=SIGTERM",
                "# 75: the previous run of this site is still going; this one did nothing.",
                "SuccessExitStatus=75",
            ]
        )
    )
    print()
    print(f"# systemd: save as /etc/systemd/system/{unit}.timer, then: systemctl enable --now {unit}.timer")
    print(
        "\n".join(
            [
                "[Unit]",
                f"Description=newscrawl: crawl {args.site} every {args.every}",
                "",
                "[Timer]",
                f"OnCalendar={on_calendar(interval, minute)}",
                "Persistent=true",
                "RandomizedDelaySec=60",
                "",
                "[Install]",
                "WantedBy=timers.target",
            ]
        )
    )
    return EXIT_OK
