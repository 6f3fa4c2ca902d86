"""``newscrawl schedule``: intervals, the cron line and the systemd units — and the cron command works."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.commands import UsageError
from newscrawl.commands.schedule import Interval, cron_line, offset_minute, on_calendar, parse_every
from tests.crawls import FAST, env, manifests, newscrawl, served_portal


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("15m", Interval(15, "m")),
        ("30 min", Interval(30, "m")),
        ("60m", Interval(1, "h")),
        ("1h", Interval(1, "h")),
        ("6 hours", Interval(6, "h")),
        ("24h", Interval(1, "d")),
        ("2d", Interval(2, "d")),
    ],
)
def test_parse_every(text: str, interval: Interval) -> None:
    assert parse_every(text) == interval


@pytest.mark.parametrize(
    ("text", "message"), [("7m", "divide"), ("5h", "divide"), ("2m", "polite"), ("hourly", "30m")]
)
def test_bad_intervals(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_every(text)


def test_cron_and_calendar_expressions() -> None:
    assert cron_line(Interval(15, "m"), "CMD", 37) == "7-59/15 * * * * CMD"
    assert cron_line(Interval(1, "h"), "CMD", 37) == "37 * * * * CMD"
    assert cron_line(Interval(6, "h"), "CMD", 5) == "5 */6 * * * CMD"
    assert cron_line(Interval(1, "d"), "CMD", 5) == "5 3 * * * CMD"
    assert on_calendar(Interval(15, "m"), 37) == "*-*-* *:07/15:00"
    assert on_calendar(Interval(1, "h"), 37) == "*-*-* 00/1:37:00"
    assert on_calendar(Interval(1, "d"), 5) == "*-*-* 03:05:00"
    assert 0 <= offset_minute("hnr") < 60
    assert offset_minute("hnr") == offset_minute("hnr")


def test_schedule_prints_cron_and_systemd_with_absolute_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["schedule", "hnr", "--every", "1h", "--workdir", str(tmp_path), "--contact", "https://x.org/"])
        == 0
    )
    out = capsys.readouterr().out
    cron = next(
        line for line in out.splitlines() if line and not line.startswith("#") and "newscrawl" in line
    )
    fields = cron.split(" ", 5)
    assert re.fullmatch(r"\d{1,2}", fields[0])
    assert fields[1:5] == ["*", "*", "*", "*"]
    executable = next(
        part for part in shlex.split(fields[5]) if part.endswith(("newscrawl", "python", "python3"))
    )
    assert Path(executable).is_absolute()
    assert Path(executable).exists()
    assert f"--state-dir {tmp_path / 'state'}" in cron
    assert f"cd {tmp_path} " in cron
    service = out.split(".service\n", 1)[1].split("\n\n# systemd")[0]
    assert "Type=oneshot" in service
    assert f"WorkingDirectory={tmp_path}" in service
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    assert shlex.split(exec_start.removeprefix("ExecStart="))[0] == executable
    assert exec_start.endswith(f"crawl hnr --contact=https://x.org/ --state-dir {tmp_path / 'state'}")
    timer = out.split(".timer, then:", 1)[1]
    assert "OnCalendar=*-*-* 00/1:" in timer
    assert "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "hnr", "--every", "15m", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    service = out.split(".service\n", 1)[1].split("\n\n# systemd")[0]
    timer = out.split("systemctl enable --now newscrawl-hnr.timer\n", 1)[1]
    (tmp_path / "newscrawl-hnr.service").write_text(service + "\n", encoding="utf-8")
    (tmp_path / "newscrawl-hnr.timer").write_text(timer, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", "./newscrawl-hnr.service", "./newscrawl-hnr.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_cron_command_runs_a_crawl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The printed cron command, run by a shell as cron would, crawls and logs where it says."""
    work = tmp_path / "work"
    work.mkdir()
    with served_portal(tmp_path / "portal") as portal:
        settings = [f"--set={s}" for s in FAST]
        code = main(
            [
                "schedule",
                "generic",
                "--every",
                "30m",
                "--workdir",
                str(work),
                "--start-url",
                f"{portal.base_url}/",
                *settings,
            ]
        )
        assert code == 0
        cron = next(line for line in capsys.readouterr().out.splitlines() if line and line[0].isdigit())
        command = cron.split(" ", 5)[5]
        result = subprocess.run(
            ["sh", "-c", command], env=env(), capture_output=True, text=True, timeout=300, check=False
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # nothing for cron to mail on success
    log = (work / "output" / "generic.cron.log").read_text(encoding="utf-8")
    assert "newscrawl: 11 articles" in log
    assert [m["status"] for m in manifests(work)] == ["ok"]
    assert (work / "state" / "newscrawl.sqlite3").is_file()


def test_schedule_checks_the_crawl_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "generic", "--every", "1h"]) == 2
    assert "needs --start-url" in capsys.readouterr().err
    assert main(["schedule", "nope", "--every", "1h"]) == 2
    assert "unknown site 'nope'" in capsys.readouterr().err


def test_schedule_from_a_real_process() -> None:
    result = newscrawl(Path.cwd(), "schedule", "hnr", "--every", "6h", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "*/6 * * *" in result.stdout
    assert "[Timer]" in result.stdout
