"""Sub-commands of ``newscrawl``: one module each, with ``register(subparsers)`` and ``run(args)``.

Adding a command is a new module here plus its name in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn
from urllib.parse import urlsplit

from newscrawl.errors import BadInputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2  # the crawl's other exit codes: newscrawl.runs
COMMANDS = (
    "extract",
    "crawl",
    "sites",
    "runs",
    "schedule",
    "export",
    "reextract",
    "report",
    "new_site",
    "check_site",
)


class UsageError(BadInputError):
    """A user mistake: reported as one line, exit code 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with errors raised as UsageError (one line, exit code 2) instead of printed usage."""

    def error(self, message: str) -> NoReturn:
        """Raise instead of exiting."""
        raise UsageError(message)


def check_url(url: str) -> str:
    """The URL itself, or a UsageError when it is not an absolute http(s)/file URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or not (parts.hostname or parts.scheme == "file"):
        raise UsageError(f"not a valid URL: {url!r}")
    return url


def resolve_site_arg(name: str | None, url: str) -> Any:
    """The site profile for a ``--site`` value (or by the URL's domain); importing the registry is
    deferred because it imports Scrapy."""
    from newscrawl.registry import resolve_site  # noqa: PLC0415

    return resolve_site(name, url)


def output_file(value: str) -> Path:
    """An ``-o`` value as a path; a UsageError when it names a directory."""
    path = Path(value)
    if path.is_dir():
        raise UsageError(f"-o must be a file path, not a directory: {value}")
    return path


@contextmanager
def open_output(path: Path | None, *, binary: bool = False, newline: str | None = "\n") -> Iterator[IO[Any]]:
    """A stream for a command's output: ``path`` or, when None, standard output as UTF-8.

    A file is written as ``.<name>.partial`` next to it and renamed when the block succeeds, so its
    name holds the finished output or nothing; on any error the partial file is deleted. A write that
    fails (disk full, no such folder) is a UsageError; a reader that closed the pipe (``| head``) ends
    the block with BrokenPipeError, which ``newscrawl`` treats as success."""
    if path is None:
        with _stdout(binary, newline) as stream:
            yield stream
        return
    path = output_file(str(path))
    tmp = path.with_name(f".{path.name}.partial")
    try:
        stream = tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with stream:
            yield stream
        tmp.replace(path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


@contextmanager
def _stdout(binary: bool, newline: str | None) -> Iterator[IO[Any]]:
    sys.stdout.flush()  # what was printed before goes first
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # replaced by a text-only stream (tests)
        if binary:
            raise UsageError("binary output needs a file: -o PATH")
        yield sys.stdout
        sys.stdout.flush()
        return
    stream: IO[Any] = (
        buffer if binary else io.TextIOWrapper(buffer, encoding="utf-8", newline=newline, write_through=True)
    )
    try:
        yield stream
        stream.flush()
    except BrokenPipeError:
        silence_stdout()
        raise
    except OSError as exc:
        raise UsageError(f"cannot write to standard output: {exc.strerror or exc}") from None
    finally:
        if stream is not buffer:
            _detach(stream)


def _detach(stream: IO[Any]) -> None:
    """Let go of a wrapper of standard output without closing it (a wrapper that is collected still
    attached would close it)."""
    try:
        stream.detach()
    except BrokenPipeError:  # the final flush: the reader is gone
        silence_stdout()
        stream.detach()


def silence_stdout() -> None:
    """Point standard output at /dev/null: its reader is gone, and the flush at exit must not fail."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
