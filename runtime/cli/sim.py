"""`venuewire sim KEY` (one simulator) and `venuewire sim all`, for every venue of the table."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from venuewire.cli.common import Commands, add_command, unknown_venue
from venuewire.cli.venues import ALIASES, KEYS, TOOLS, VenueTool

SIM_ALL: tuple[str, ...] = KEYS
"""The simulators `venuewire sim all` runs; with a base port P, the i-th listens on P + i."""


def unknown_simulator(argv: Sequence[str]) -> str | None:
    """The one line for `venuewire sim NAME` when NAME is no simulator ("unknown venue 'opend';
    did you mean 'futu'?"), where argparse would print its usage; None otherwise."""
    if len(argv) < 2 or argv[0] != "sim" or argv[1].startswith("-") or argv[1] in (*KEYS, "all"):
        return None
    return f"venuewire sim: {unknown_venue(argv[1], (*KEYS, 'all'), ALIASES, 'simulators')}"


async def _until_signalled(serve: Coroutine[Any, Any, None]) -> None:
    """Run `serve` until SIGINT/SIGTERM (or until it fails, re-raising its error)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows: Ctrl-C raises instead
            loop.add_signal_handler(sig, stop.set)
    task = loop.create_task(serve)
    waiter = loop.create_task(stop.wait())
    done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    for pending in (task, waiter):
        pending.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pending
    failure = task.exception() if task in done and not task.cancelled() else None
    if failure is not None:
        raise failure


async def _serve(sim: Any, ready: Callable[[str, int], None]) -> None:
    async with sim:
        ready(sim.host, sim.port)
        await asyncio.Event().wait()


def _run_one(args: argparse.Namespace) -> int:
    tool: VenueTool = args.tool
    spec = tool.simulator

    def ready(host: str, port: int) -> None:
        print(f"listening on {host}:{port}", flush=True)

    server = spec.server()
    if server is not None:
        serve = server(args.host, args.port, ready)
    else:
        try:
            sim = spec.create(args.host, args.port, **(spec.settings(args) if spec.settings else {}))
        except (OSError, ValueError) as exc:  # an unreadable or unsuitable key file, a bad setting
            print(f"venuewire sim {tool.key}: {exc}", file=sys.stderr)
            return 2
        serve = _serve(sim, ready)
    try:
        asyncio.run(_until_signalled(serve))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"venuewire sim {tool.key}: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


class _SimFailed(Exception):
    def __init__(self, name: str, port: int, error: BaseException) -> None:
        self.name, self.port, self.error = name, port, error
        super().__init__(f"{name}: {error}")


async def _serve_one(tool: VenueTool, host: str, port: int) -> None:
    """Run one simulator until cancelled, printing `KEY: listening on HOST:PORT` once ready."""

    def ready(bound_host: str, bound_port: int) -> None:
        print(f"{tool.key}: listening on {bound_host}:{bound_port}", flush=True)

    try:
        server = tool.simulator.server()
        await (server(host, port, ready) if server is not None else _serve(tool.simulator.create(host, port), ready))
    except (OSError, ImportError, ValueError) as exc:
        raise _SimFailed(tool.key, port, exc) from None


async def _serve_all(host: str, base_port: int) -> None:
    """Every simulator at once; the first one that fails stops them all."""
    tasks = [
        asyncio.create_task(_serve_one(tool, host, base_port + i if base_port else 0), name=f"sim-{tool.key}")
        for i, tool in enumerate(TOOLS)
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            error = task.exception()
            if error is not None:
                raise error
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks, timeout=10)


def _run_all(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535 - len(TOOLS):
        print(f"venuewire sim all: --port must be 0 or a base port up to {65535 - len(TOOLS)}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_until_signalled(_serve_all(args.host, args.port)))
    except KeyboardInterrupt:
        pass
    except _SimFailed as exc:
        where = f"{args.host}:{exc.port}" if exc.port else args.host
        print(f"venuewire sim all: {exc.name} cannot run on {where}: {exc.error}", file=sys.stderr)
        return 1
    return 0


def add_sim(group: Commands) -> None:
    sim = add_command(
        group,
        "sim",
        "Run an embedded venue simulator on this machine (no account, no network).",
        "venuewire sim futu --port 0",
    )
    venues = sim.add_subparsers(title="simulators", metavar="VENUE")
    for tool in TOOLS:
        spec = tool.simulator
        command = add_command(
            venues,
            tool.key,
            f'Simulate {spec.simulates} Prints "listening on HOST:PORT" once ready; Ctrl-C or SIGTERM stops it.',
            f"venuewire sim {tool.key} {spec.example}",
            _run_one,
        )
        command.set_defaults(tool=tool)
        command.add_argument("--host", default=spec.host, help="address to bind (default: %(default)s)")
        command.add_argument(
            "--port", type=int, default=spec.port, help="port to bind; 0 picks a free one (default: %(default)s)"
        )
        if spec.options is not None:
            spec.options(command)
    every = add_command(
        venues,
        "all",
        f"Run all {len(TOOLS)} simulators at once ({', '.join(KEYS)}), each on its own port. "
        'Prints one ready line per simulator as it comes up, "KEY: listening on HOST:PORT" '
        '(e.g. "coinw: listening on 127.0.0.1:40217"); Ctrl-C or SIGTERM stops them all and exits 0.',
        "venuewire sim all --host 127.0.0.1 --port 0",
        _run_all,
    )
    every.add_argument("--host", default="127.0.0.1", help="address every simulator binds (default: %(default)s)")
    every.add_argument(
        "--port",
        type=int,
        default=0,
        metavar="BASE",
        help="0 (default): a free port each; else the i-th simulator in the order above listens on BASE + i",
    )
