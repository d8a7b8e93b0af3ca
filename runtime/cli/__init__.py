"""The `venuewire` command (also `python -m venuewire`).

One argparse tree: a top-level parser and a subcommand per area, each with its own `--help`
and an example in its epilog: `demo` (cli.demo), `book` (cli.book), `sim` (cli.sim),
`replay` (cli.replay), `check` (cli.check), `call` (cli.call), `schemas` and `decode` (cli.inspect). What they do
per venue comes from one table,
`venuewire.cli.venues.TOOLS`; venues are named by their registry key (`futu`, ...).

Exit codes: 0 success; 1 a venue, a connection or a simulator failed (one line on stderr,
no traceback); 2 a usage error or input that cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from venuewire.cli.book import add_book
from venuewire.cli.call import add_call
from venuewire.cli.check import add_check
from venuewire.cli.common import CLI_EXTRAS_HINT, Run, usage
from venuewire.cli.demo import DEMO_UNREACHABLE_ENV, add_demo
from venuewire.cli.inspect import add_decode, add_schemas, message_routes
from venuewire.cli.replay import add_replay
from venuewire.cli.sim import SIM_ALL, add_sim, unknown_simulator
from venuewire.cli.venues import infoway_market

__all__ = [
    "CLI_EXTRAS_HINT",
    "DEMO_UNREACHABLE_ENV",
    "SIM_ALL",
    "build_parser",
    "infoway_market",
    "main",
    "message_routes",
]


def _version() -> str:
    """The installed distribution's version (the package's own when run from a source tree)."""
    from importlib import metadata

    try:
        return metadata.version("venuewire")
    except metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="venuewire",
        description="Typed bindings for trading venues: tools and embedded simulators.",
        epilog="example:\n  venuewire sim futu --port 0",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"venuewire {_version()}")
    parser.set_defaults(run=lambda _args: usage(parser))
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (add_demo, add_book, add_call, add_sim, add_replay, add_check, add_schemas, add_decode):
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `venuewire` command with `argv` (default: sys.argv[1:]); returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    line = unknown_simulator(argv)
    if line is not None:  # e.g. `sim opend`: one line naming the right venue key
        print(line, file=sys.stderr)
        return 2
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # `call`'s ARGS may follow its options (`call futu X --sim a=1`); nothing else may
            if getattr(args, "args", None) is None or any(word.startswith("-") for word in extra):
                parser.error(f"unrecognized arguments: {' '.join(extra)}")
            args.args = [*args.args, *extra]
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    run: Run = args.run
    return run(args)
