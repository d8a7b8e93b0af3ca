"""`venuewire replay FILE`: serve a capture on this machine as if it were the venues."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence

from venuewire.capture.format import CaptureFormatError, read_capture, read_problem
from venuewire.cli.common import (
    CommandFailed,
    Commands,
    add_command,
    positive_seconds,
    quiet_logging,
)
from venuewire.cli.sim import _until_signalled
from venuewire.replay import Replay

IDLE_POLL_S = 0.05
MAX_SPEED = 10_000.0


def _ports(words: Sequence[str], venues: Sequence[str]) -> dict[str, int]:
    """`--port` words: `VENUE=N`, or bare ports given to the capture's venues in order."""
    out: dict[str, int] = {}
    bare = iter(venues)
    for word in words:
        venue, sep, number = word.rpartition("=")
        if not sep:
            venue = next(bare, "")
            if not venue:
                raise CommandFailed(f"more ports than venues in the capture ({', '.join(venues)})", 2)
        if venue not in venues:
            raise CommandFailed(f"--port {word}: the capture has no {venue!r} (venues: {', '.join(venues)})", 2)
        try:
            port = int(number)
        except ValueError:
            raise CommandFailed(f"--port {word}: not a port number", 2) from None
        if not 0 <= port <= 65535:
            raise CommandFailed(f"--port {word}: must be 0 to 65535", 2)
        out[venue] = port
    return out


async def _serve(replay: Replay, exit_after_idle: float | None) -> None:
    async with replay:
        for venue in replay.venues:
            for url in replay.endpoints(venue):
                print(f"{venue}: listening on {url}", flush=True)
        if exit_after_idle is None:
            await asyncio.Event().wait()
            return
        idle = time.monotonic() - replay.last_activity
        while idle < exit_after_idle:  # sleep until the quiet would be long enough, then look again
            await asyncio.sleep(max(IDLE_POLL_S, exit_after_idle - idle))
            idle = time.monotonic() - replay.last_activity


def _run(args: argparse.Namespace) -> int:
    if not 0 <= args.speed <= MAX_SPEED:
        print(f"venuewire replay: --speed must be 0 (as fast as possible) to {MAX_SPEED:g}", file=sys.stderr)
        return 2
    try:
        capture = read_capture(args.file)
    except (OSError, CaptureFormatError) as exc:
        print(f"venuewire replay: {read_problem(args.file, exc)}", file=sys.stderr)
        return 2
    try:
        venues = list(dict.fromkeys(record.venue for record in capture.records))
        replay = Replay(capture, speed=args.speed, host=args.host, ports=_ports(args.port, venues))
    except CommandFailed as exc:
        print(f"venuewire replay: {exc.line}", file=sys.stderr)
        return exc.code
    except ValueError as exc:  # a record the replay cannot serve
        print(f"venuewire replay: {exc}", file=sys.stderr)
        return 2
    if not replay.venues:
        print(f"venuewire replay: {args.file}: no connection to serve", file=sys.stderr)
        return 2
    try:
        with quiet_logging(args.verbose):
            asyncio.run(_until_signalled(_serve(replay, args.exit_after_idle)))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"venuewire replay: cannot listen on {args.host}: {exc}", file=sys.stderr)
        return 1
    print(f"unanswered requests: {len(replay.unanswered)}", flush=True)
    for miss in replay.unanswered:
        print(f"  {miss}", flush=True)
    return 1 if replay.unanswered else 0


def add_replay(group: Commands) -> None:
    command = add_command(
        group,
        "replay",
        "Serve a capture (a venuewire-capture JSON Lines file) on this machine as if it were the "
        "venues it recorded: OpenD requests answered by protoID with serials renumbered, HTTP by "
        "method, path and query, WebSocket frames in recorded order after the matching client "
        'frame, pushes at the recorded pace divided by --speed. Prints "VENUE: listening on URL" '
        "per endpoint; at exit (Ctrl-C, SIGTERM or --exit-after-idle) the requests it had no "
        "recorded answer for. Exit status 0, or 1 when any request went unanswered.",
        "venuewire replay session.jsonl --speed 0 --exit-after-idle 5",
        _run,
        summary="Serve a capture as a simulator.",
    )
    command.add_argument("file", metavar="FILE", help="the capture file")
    command.add_argument(
        "--speed", type=float, default=1.0, help="divides the recorded pace; 0: as fast as possible (default: 1)"
    )
    command.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    command.add_argument(
        "--port",
        nargs="+",
        default=[],
        metavar="N",
        help="VENUE=N, or ports for the capture's venues in order; 0 or none: a free one",
    )
    command.add_argument(
        "--exit-after-idle",
        type=positive_seconds,
        default=None,
        metavar="S",
        help="exit once no client has sent or received anything for S seconds",
    )
    command.add_argument("--verbose", action="store_true", help="log each unanswered request as it comes")
