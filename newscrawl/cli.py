"""The ``newscrawl`` command: extract saved pages, crawl a site, list sites.

    newscrawl extract page.html [--url URL] [--site NAME]
    newscrawl crawl hnr [--since 2026-11-01] [--max-articles 100] [-o out.jsonl]
    newscrawl crawl generic --start-url https://www.example.cn/
    newscrawl sites
    newscrawl runs [SITE]
    newscrawl schedule hnr --every 1h

Each sub-command lives in ``newscrawl/commands/<name>.py``. Bad input (unknown site, unreadable file,
bad URL, bad option: any ``newscrawl.errors.BadInputError``) gets one line on stderr and exit code 2; a
reader that stops reading (``| head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newscrawl.commands import COMMANDS, EXIT_OK, EXIT_USAGE, ArgumentParser, silence_stdout
from newscrawl.errors import BadInputError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = ArgumentParser(prog="newscrawl", description="Crawl local news portals into clean JSONL.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    for name in COMMANDS:
        module = importlib.import_module(f"newscrawl.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` command."""
    try:
        args = build_parser().parse_args(argv)
        module = importlib.import_module(f"newscrawl.commands.{args.command}")
        return int(module.run(args))
    except BadInputError as exc:
        print(f"newscrawl: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `newscrawl ... | head`: the reader has all it wanted
        silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        print("newscrawl: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
