"""The `venuewire` command (also `python -m venuewire`).

One argparse tree: a top-level parser, a group of subcommands per area (`sim` now; `book`,
`decode`, `schemas`, `demo` later), each subcommand with its own `--help` and an example
in its epilog. A subcommand is a function `(args) -> exit code` stored as the parser's
`run` default; add one with `_add_command`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import signal
import sys
import textwrap
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from venuewire.generated.registry import OPEND

if TYPE_CHECKING:
    from venuewire.sim.opend import OpenDSimulator

Run = Callable[[argparse.Namespace], int]


def _add_command(
    group: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    example: str,
    run: Run | None = None,
) -> argparse.ArgumentParser:
    parser = group.add_parser(
        name,
        help=help_text,
        description=textwrap.fill(help_text, 88),
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if run is not None:
        parser.set_defaults(run=run)
    else:  # a command group: print its help when no subcommand is given
        parser.set_defaults(run=lambda _args, p=parser: _usage(p))
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# --- venuewire sim opend -------------------------------------------------------------------


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


def _run_until_signalled(name: str, host: str, port: int, serve: Coroutine[Any, Any, None]) -> int:
    """asyncio.run a simulator until stopped; 0 on a clean stop, 1 when it cannot listen."""
    try:
        asyncio.run(_until_signalled(serve))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"venuewire sim {name}: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    return 0


async def _serve_opend(sim: OpenDSimulator) -> None:
    async with sim:
        print(f"listening on {sim.host}:{sim.port}", flush=True)
        await asyncio.Event().wait()


def _run_sim_opend(args: argparse.Namespace) -> int:
    from venuewire.sim.opend import OpenDSimulator

    try:
        sim = OpenDSimulator(
            host=args.host,
            port=args.port,
            rsa_key_path=args.rsa_key,
            aes_mode=args.aes_mode,
            keepalive_interval=args.keepalive_interval,
            push_interval=args.push_interval,
        )
    except (OSError, ValueError) as exc:  # an unreadable or unsuitable key file, a bad setting
        print(f"venuewire sim opend: {exc}", file=sys.stderr)
        return 2
    return _run_until_signalled("opend", args.host, args.port, _serve_opend(sim))


# --- venuewire sim bitmart|coinw|infoway|qfex ------------------------------------------------

JSON_SIMULATORS = {
    "bitmart": "BitMart WebSocket depth: the legacy channel and v3 spot (raw-DEFLATE frames, login).",
    "coinw": "CoinW futures REST: signed GET /v1/perpum/order with its limits and error codes.",
    "infoway": "Infoway REST batch_depth and the WebSocket depth stream, with their limits.",
    "qfex": "QFEX trading WebSocket: HMAC auth within the minute and get_order.",
}


def _run_sim_json(args: argparse.Namespace) -> int:
    venue: str = args.venue
    module = importlib.import_module(f"venuewire.sim.{venue}")
    serve: Callable[[str, int, Callable[[str, int], None]], Coroutine[Any, Any, None]] = module.serve

    def ready(host: str, port: int) -> None:
        print(f"listening on {host}:{port}", flush=True)

    return _run_until_signalled(venue, args.host, args.port, serve(args.host, args.port, ready))


def _add_sim(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = _add_command(
        group,
        "sim",
        "Run an embedded venue simulator on this machine (no account, no network).",
        "venuewire sim opend --port 0",
    )
    venues = sim.add_subparsers(title="simulators", metavar="VENUE")
    opend = _add_command(
        venues,
        "opend",
        "Simulate Futu/moomoo OpenD: InitConnect (plain or RSA + AES), KeepAlive, GetGlobalState, "
        "Qot_Sub, Qot_GetOrderBook and Qot_UpdateOrderBook pushes from deterministic books. "
        'Prints "listening on HOST:PORT" once ready; Ctrl-C or SIGTERM stops it.',
        "venuewire sim opend --port 11111 --rsa-key conn_key.txt --ecb --push-interval 0.5",
        _run_sim_opend,
    )
    opend.add_argument("--host", default=OPEND.default_host, help="address to bind (default: %(default)s)")
    opend.add_argument(
        "--port", type=int, default=OPEND.default_port, help="port to bind; 0 picks a free one (default: %(default)s)"
    )
    opend.add_argument(
        "--rsa-key",
        metavar="PATH",
        help="1024-bit PEM RSA key: encrypt the session (RSA for InitConnect, then AES); default: plaintext",
    )
    mode = opend.add_mutually_exclusive_group()
    mode.add_argument(
        "--cbc",
        dest="aes_mode",
        action="store_const",
        const="cbc",
        help="with --rsa-key: AES-CBC after InitConnect (the default)",
    )
    mode.add_argument(
        "--ecb", dest="aes_mode", action="store_const", const="ecb", help="with --rsa-key: FTAES_ECB after InitConnect"
    )
    opend.set_defaults(aes_mode="cbc")
    opend.add_argument(
        "--push-interval",
        type=float,
        default=0.2,
        metavar="S",
        help="seconds between book steps and order-book pushes (default: %(default)s)",
    )
    opend.add_argument(
        "--keepalive-interval",
        type=int,
        default=10,
        metavar="S",
        help="keepAliveInterval told to clients in InitConnect (default: %(default)s)",
    )
    for venue, text in JSON_SIMULATORS.items():
        command = _add_command(
            venues,
            venue,
            f'Simulate {text} Prints "listening on HOST:PORT" once ready; Ctrl-C or SIGTERM stops it.',
            f"venuewire sim {venue} --port 0",
            _run_sim_json,
        )
        command.set_defaults(venue=venue)
        command.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
        command.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default: 0)")


# --- venuewire schemas -------------------------------------------------------------------------


def message_routes() -> dict[tuple[str, str], list[str]]:
    """Where each JSON message travels: "GET /v1/perpum/order (response)", "wss://... (push)"."""
    from venuewire.generated.registry import MESSAGE_ROLES, REST_ENDPOINTS, WS_CHANNELS

    routes: dict[tuple[str, str], list[str]] = {}
    carriers = [(f"{r.method} {r.path}", r) for r in REST_ENDPOINTS] + [(w.url, w) for w in WS_CHANNELS]
    for where, carrier in carriers:
        for role in MESSAGE_ROLES:
            ref = getattr(carrier, role, None)
            if ref is not None:
                venue, name = ref.split("/", 1)
                routes.setdefault((venue, name), []).append(f"{where} ({role})")
    return routes


def _run_schemas(args: argparse.Namespace) -> int:
    from venuewire.generated.registry import MESSAGES

    routes = message_routes()
    rows = [("VENUE", "MESSAGE", "SCHEMA", "GENERATED CLASS", "PROTOID / ENDPOINT / CHANNEL")]
    for m in MESSAGES:
        if args.venue and m.venue != args.venue:
            continue
        if m.format == "protobuf":
            where = f"protoID {m.proto_id}" if m.proto_id is not None else "shared type"
        else:
            where = "; ".join(routes.get((m.venue, m.name), [])) or "shared type"
        rows.append((m.venue, m.name, f"schemas/{m.schema}", f"{m.module}.{m.class_name}", where))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    return 0


def _add_schemas(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = _add_command(
        group,
        "schemas",
        "List every documented message: venue, name, schema file, generated class, and the protoID, "
        "endpoint or channel that carries it.",
        "venuewire schemas --venue coinw",
        _run_schemas,
    )
    command.add_argument("--venue", help="only this venue (futu, bitmart, coinw, infoway, qfex)")


# --- venuewire decode ----------------------------------------------------------------------------


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    with open(source, "rb") as handle:
        return handle.read()


def _hex_or_binary(data: bytes) -> bytes:
    """Frames may be given as hex text (spaces and newlines allowed) or as raw bytes."""
    text = data.strip()
    try:
        return bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return data


def _run_decode(args: argparse.Namespace) -> int:
    from google.protobuf import json_format, text_format

    from venuewire.errors import DecodeError
    from venuewire.generated.registry import MESSAGES
    from venuewire.messages import decode_json, decode_proto, encode_json
    from venuewire.opend.frame import MAGIC, FrameError, decode_frame

    matches = [m for m in MESSAGES if m.venue == args.venue and m.name == args.message]
    if not matches:
        names = sorted(m.name for m in MESSAGES if m.venue == args.venue)
        print(
            f"venuewire decode: no message {args.message!r} for venue {args.venue!r}; known: "
            f"{', '.join(names) or '(unknown venue)'}",
            file=sys.stderr,
        )
        return 2
    info = matches[0]
    cls = getattr(importlib.import_module(info.module), info.class_name)
    try:
        data = _read_input(args.file)
    except OSError as exc:
        print(f"venuewire decode: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    try:
        if info.format == "protobuf":
            raw = _hex_or_binary(data)
            body = decode_frame(raw).body if raw.startswith(MAGIC) else raw
            message = decode_proto(cls, body)
            if args.json:
                print(json_format.MessageToJson(message, preserving_proto_field_name=True, indent=2))
            else:
                print(f"{info.venue} {info.name}\n{text_format.MessageToString(message)}", end="")
        else:
            obj = decode_json(cls, data)
            print(encode_json(obj).decode() if args.json else repr(obj))
    except (DecodeError, FrameError) as exc:
        print(f"venuewire decode: {exc}", file=sys.stderr)
        return 2
    return 0


def _add_decode(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = _add_command(
        group,
        "decode",
        "Decode one message into its typed form and print it: an OpenD frame or body (hex or binary) "
        "or a JSON payload. Invalid input exits 2 naming the field path.",
        "venuewire decode coinw order_response reply.json --json",
        _run_decode,
    )
    command.add_argument("venue", help="futu, bitmart, coinw, infoway or qfex")
    command.add_argument("message", help="message name as `venuewire schemas` lists it, e.g. Qot_GetOrderBook.Response")
    command.add_argument("file", nargs="?", default="-", help="input file, or - for standard input (default)")
    command.add_argument("--json", action="store_true", help="print the typed message as JSON")


# --- the top level ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="venuewire",
        description="Typed bindings for trading venues: tools and embedded simulators.",
        epilog="example:\n  venuewire sim opend --port 0",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=lambda _args: _usage(parser))
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_sim(commands)
    _add_schemas(commands)
    _add_decode(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `venuewire` command with `argv` (default: sys.argv[1:]); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    run: Run = args.run
    return run(args)
