"""What every `venuewire` subcommand shares: building a subcommand with its help and
example, option types, the one-line failure, quiet logging, the rich hint and the venue-key
check ("did you mean ...?")."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeAlias

Run = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:  # not subscriptable at run time before Python 3.12... and private either way
    Commands = argparse._SubParsersAction

CLI_EXTRAS_HINT = "pip install 'venuewire[cli]'"


class CommandFailed(Exception):
    """One clear line on stderr and the exit code: 1 (a venue or a connection failed) or 2
    (input that cannot be used)."""

    def __init__(self, line: str, code: int = 1) -> None:
        self.line, self.code = line, code
        super().__init__(line)


def add_command(
    group: Commands,
    name: str,
    help_text: str,
    example: str,
    run: Run | None = None,
    *,
    summary: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand of `group` with `help_text` as its description and `example` in its epilog.
    `run` is what it does; without one it is a command group that prints its help (exit 2)."""
    parser = group.add_parser(
        name,
        help=summary or help_text,
        description=textwrap.fill(help_text, 88),
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run if run is not None else lambda _args, p=parser: usage(p))
    return parser


def usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def unknown_venue(name: str, known: Iterable[str], aliases: Mapping[str, str], what: str = "venues") -> str:
    """`unknown venue 'opend'; did you mean 'futu'? (venues: futu, ...)`: the alias a venue is
    also known by, else the closest key."""
    choices = list(known)
    guess = aliases.get(name.lower()) or next(iter(difflib.get_close_matches(name, choices, n=1)), None)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"unknown venue {name!r}{hint} ({what}: {', '.join(choices)})"


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 3600, got {text}")
    return value


def levels(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError(f"must be 1 to 50, got {text}")
    return value


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def without_cli_extras(command: str) -> bool:
    """True (after one line on stderr saying how to get them) when the command line's extras
    (rich, for tables and live views) are not installed: `pip install venuewire` alone is the
    library; `venuewire[cli]` adds them."""
    try:
        import rich  # noqa: F401
    except ImportError:
        print(f"venuewire {command}: needs the command line's extras (rich): {CLI_EXTRAS_HINT}", file=sys.stderr)
        return True
    return False


@contextlib.contextmanager
def quiet_logging(verbose: bool) -> Iterator[None]:
    """Warnings of the clients and simulators go to stderr only with --verbose; otherwise the
    summary lines count what matters (decode errors, gaps) and a failure is one line. The
    loggers are put back as they were afterwards."""
    import logging

    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        yield
        return
    saved = []
    for name in ("venuewire", "aiohttp", "asyncio"):
        logger = logging.getLogger(name)
        handler = logging.NullHandler()
        saved.append((logger, handler, logger.propagate))
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, handler, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate
