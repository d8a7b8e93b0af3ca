"""`venuewire demo` (what `make demo` runs): the command-line side of venuewire.demo."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from venuewire.cli.common import (
    Commands,
    add_command,
    levels,
    positive_seconds,
    quiet_logging,
    unknown_venue,
    without_cli_extras,
)
from venuewire.cli.venues import ALIASES, KEYS, TOOLS

DEMO_UNREACHABLE_ENV = "VENUEWIRE_DEMO_UNREACHABLE"
"""Test hook: comma-separated venues whose demo client is pointed at a closed 127.0.0.1 port."""


def _run_demo(args: argparse.Namespace) -> int:
    if args.venue is not None and args.venue not in KEYS:
        print(f"venuewire demo: {unknown_venue(args.venue, KEYS, ALIASES)}", file=sys.stderr)
        return 2
    if without_cli_extras("demo"):
        return 1

    from venuewire.demo import DemoOptions, run_demo
    from venuewire.render import make_console

    venues = [args.venue] if args.venue else list(KEYS)
    unreachable = frozenset(v.strip() for v in os.environ.get(DEMO_UNREACHABLE_ENV, "").split(",") if v.strip())
    options = DemoOptions(seconds=args.seconds, levels=args.levels, capture=args.capture, unreachable=unreachable)
    console = make_console()

    def error(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        with quiet_logging(args.verbose):
            failures = asyncio.run(run_demo(venues, console, options, error))
    except KeyboardInterrupt:
        print("venuewire demo: interrupted", file=sys.stderr)
        return 130
    return 1 if failures else 0


def add_demo(group: Commands) -> None:
    sections = "; ".join(f"{tool.key}: {tool.demo_shows}" for tool in TOOLS)
    command = add_command(
        group,
        "demo",
        "Start the embedded simulators on 127.0.0.1 (free ports) and run each typed client against "
        f"its own ({sections}). One summary line per venue (messages, decode errors, gaps, round-trip "
        "percentiles). Every client records its wire into one capture; the last section replays a part "
        "of it (BitMart depth, an Infoway REST call) and prints its drift report. Exits 0, or 1 with one "
        "line per failed venue on stderr. In a pipe or a CI log the tables print as plain text.",
        "venuewire demo --venue futu --seconds 2",
        _run_demo,
        summary="Run every typed client against its embedded simulator and show what it gets (make demo).",
    )
    command.add_argument("--venue", metavar="VENUE", help=f"run only this venue: {', '.join(KEYS)} (default: all)")
    command.add_argument(
        "--seconds",
        type=positive_seconds,
        default=3.0,
        metavar="N",
        help="how long each live section runs (default: %(default)g)",
    )
    command.add_argument(
        "--capture",
        metavar="PATH",
        help="keep the session's capture at PATH (a new file beside it when PATH exists; default: a temporary file)",
    )
    command.add_argument("--levels", type=levels, default=10, metavar="N", help="book levels shown (default: 10)")
    command.add_argument("-v", "--verbose", action="store_true", help="log the clients' and simulators' warnings")
