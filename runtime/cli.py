"""The `venuewire` command (also `python -m venuewire`).

One argparse tree: a top-level parser, a group of subcommands per area (`demo`, `book`,
`sim`, `schemas`, `decode`), each subcommand with its own `--help` and an example in its
epilog. A subcommand is a function `(args) -> exit code` stored as the parser's `run`
default; add one with `_add_command`.

Exit codes: 0 success; 1 a venue, a connection or a simulator failed (one line on stderr,
no traceback); 2 a usage error or input that cannot be used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import signal
import sys
import textwrap
from collections.abc import Callable, Coroutine, Iterator, Sequence
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
    *,
    summary: str | None = None,
) -> argparse.ArgumentParser:
    parser = group.add_parser(
        name,
        help=summary or help_text,
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


# --- venuewire sim all --------------------------------------------------------------------------

SIM_ALL: tuple[str, ...] = ("opend", "bitmart", "coinw", "infoway", "qfex")
"""The simulators `venuewire sim all` runs; with a base port P, the i-th listens on P + i."""


class _SimFailed(Exception):
    def __init__(self, name: str, port: int, error: BaseException) -> None:
        self.name, self.port, self.error = name, port, error
        super().__init__(f"{name}: {error}")


async def _serve_one(name: str, host: str, port: int) -> None:
    """Run one simulator until cancelled, printing `NAME: listening on HOST:PORT` once ready."""

    def ready(bound_host: str, bound_port: int) -> None:
        print(f"{name}: listening on {bound_host}:{bound_port}", flush=True)

    try:
        if name == "opend":
            from venuewire.sim.opend import OpenDSimulator

            async with OpenDSimulator(host=host, port=port) as sim:
                ready(sim.host, sim.port)
                await asyncio.Event().wait()
        else:
            module = importlib.import_module(f"venuewire.sim.{name}")
            serve: Callable[[str, int, Callable[[str, int], None]], Coroutine[Any, Any, None]] = module.serve
            await serve(host, port, ready)
    except (OSError, ImportError, ValueError) as exc:
        raise _SimFailed(name, port, exc) from None


async def _serve_all(host: str, base_port: int) -> None:
    """Every simulator in SIM_ALL at once; the first one that fails stops them all."""
    tasks = [
        asyncio.create_task(_serve_one(name, host, base_port + i if base_port else 0), name=f"sim-{name}")
        for i, name in enumerate(SIM_ALL)
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


def _run_sim_all(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535 - len(SIM_ALL):
        print(f"venuewire sim all: --port must be 0 or a base port up to {65535 - len(SIM_ALL)}", file=sys.stderr)
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
    every = _add_command(
        venues,
        "all",
        "Run all five simulators at once (opend, bitmart, coinw, infoway, qfex), each on its own port. "
        'Prints one ready line per simulator as it comes up, "NAME: listening on HOST:PORT" '
        '(e.g. "coinw: listening on 127.0.0.1:40217"); Ctrl-C or SIGTERM stops them all and exits 0.',
        "venuewire sim all --host 127.0.0.1 --port 0",
        _run_sim_all,
    )
    every.add_argument("--host", default="127.0.0.1", help="address every simulator binds (default: %(default)s)")
    every.add_argument(
        "--port",
        type=int,
        default=0,
        metavar="BASE",
        help="0 (default): a free port each; else the i-th simulator in the order above listens on BASE + i",
    )


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


def _emit(text: str) -> None:
    """Print `text` to stdout; when the terminal's encoding cannot hold it (e.g.
    PYTHONIOENCODING=ascii and a venue's text in another script), as UTF-8 bytes instead."""
    try:
        print(text)
    except UnicodeEncodeError:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            print(text.encode("ascii", "backslashreplace").decode("ascii"))
            return
        sys.stdout.flush()
        buffer.write(text.encode("utf-8") + b"\n")
        buffer.flush()


def _decode_failed(exc: BaseException) -> int:
    """Bad input: one line on stderr (whatever the error text holds), exit status 2."""
    print(f"venuewire decode: {' '.join(str(exc).split())}", file=sys.stderr)
    return 2


def _run_decode(args: argparse.Namespace) -> int:
    from google.protobuf import json_format, text_format

    from venuewire.errors import VenueError
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
                _emit(json_format.MessageToJson(message, preserving_proto_field_name=True, indent=2))
            else:
                _emit(f"{info.venue} {info.name}\n{text_format.MessageToString(message)}".removesuffix("\n"))
        else:
            obj = decode_json(cls, data)
            _emit(encode_json(obj).decode() if args.json else repr(obj))
    except (VenueError, FrameError) as exc:
        return _decode_failed(exc)
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


# --- venuewire demo ---------------------------------------------------------------------------

DEMO_UNREACHABLE_ENV = "VENUEWIRE_DEMO_UNREACHABLE"
"""Test hook: comma-separated venues whose demo client is pointed at a closed 127.0.0.1 port."""


@contextlib.contextmanager
def _quiet_logging(verbose: bool) -> Iterator[None]:
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


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 3600, got {text}")
    return value


def _levels(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError(f"must be 1 to 50, got {text}")
    return value


CLI_EXTRAS_HINT = "pip install 'venuewire[cli]'"


def _without_cli_extras(command: str) -> bool:
    """True (after one line on stderr saying how to get them) when the command line's extras
    (rich, for tables and live views) are not installed: `pip install venuewire` alone is the
    library; `venuewire[cli]` adds them."""
    try:
        import rich  # noqa: F401
    except ImportError:
        print(f"venuewire {command}: needs the command line's extras (rich): {CLI_EXTRAS_HINT}", file=sys.stderr)
        return True
    return False


def _run_demo(args: argparse.Namespace) -> int:
    import os

    if _without_cli_extras("demo"):
        return 1

    from venuewire.demo import VENUES, DemoOptions, run_demo
    from venuewire.render import make_console

    venues = [args.venue] if args.venue else list(VENUES)
    unreachable = frozenset(v.strip() for v in os.environ.get(DEMO_UNREACHABLE_ENV, "").split(",") if v.strip())
    options = DemoOptions(seconds=args.seconds, levels=args.levels, unreachable=unreachable)
    console = make_console()

    def error(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        with _quiet_logging(args.verbose):
            failures = asyncio.run(run_demo(venues, console, options, error))
    except KeyboardInterrupt:
        print("venuewire demo: interrupted", file=sys.stderr)
        return 130
    return 1 if failures else 0


def _add_demo(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from venuewire.generated.registry import VENUES as REGISTRY_VENUES  # venuewire.demo needs rich

    venues = tuple(v.key for v in REGISTRY_VENUES)

    command = _add_command(
        group,
        "demo",
        "Start the embedded simulators on 127.0.0.1 (free ports) and run each typed client against "
        "its own: Futu books and live pushes, BitMart legacy and v3 streams, Infoway batch_depth and "
        "its stream, CoinW signed open orders, QFEX auth and get_order. One summary line per venue "
        "(messages, decode errors, gaps, round-trip percentiles). Exits 0, or 1 with one line per "
        "failed venue on stderr. In a pipe or a CI log the tables print as plain text.",
        "venuewire demo --venue futu --seconds 2",
        _run_demo,
        summary="Run every typed client against its embedded simulator and show what it gets (make demo).",
    )
    command.add_argument("--venue", choices=venues, help="run only this venue (default: all five)")
    command.add_argument(
        "--seconds",
        type=_positive_seconds,
        default=3.0,
        metavar="N",
        help="how long each live section runs (default: %(default)g)",
    )
    command.add_argument("--levels", type=_levels, default=10, metavar="N", help="book levels shown (default: 10)")
    command.add_argument("-v", "--verbose", action="store_true", help="log the clients' and simulators' warnings")


# --- venuewire book ----------------------------------------------------------------------------

BOOK_VENUES: dict[str, str] = {
    "futu": "Futu/moomoo OpenD: Qot_GetOrderBook, --watch: Qot_UpdateOrderBook pushes (symbol: HK.00700)",
    "bitmart": "BitMart v3 spot/depth{5,20,50} WebSocket channel (symbol: BTC_USDT)",
    "bitmart-legacy": "BitMart legacy depth channel, aggregated to --precision decimals (symbol: BMX_ETH)",
    "infoway": "Infoway batch_depth over REST, --watch: the WebSocket depth stream (symbol: 00700.HK, BTCUSDT)",
}
NO_BOOK: dict[str, str] = {
    "coinw": "CoinW futures is served for its open orders (signed REST) only",
    "qfex": "QFEX is served for its trade WebSocket (auth, get_order) only",
}
_INFOWAY_SUFFIXES = {".JP": "japan", ".IN": "india", ".KS": "korea", ".KQ": "korea", ".TW": "taiwan"}


class _BookFailed(Exception):
    """One clear line for `venuewire book`, and its exit code."""

    def __init__(self, line: str, code: int = 1) -> None:
        self.line, self.code = line, code
        super().__init__(line)


def infoway_market(code: str) -> str:
    """The Infoway market of a product code: stock for .HK/.US/.SH/.SZ, japan/india/korea/taiwan
    by suffix, crypto for pairs quoted in USDT/USDC/BTC/ETH, else common (FX, metals)."""
    upper = code.upper()
    for suffix, market in _INFOWAY_SUFFIXES.items():
        if upper.endswith(suffix):
            return market
    if upper.endswith((".HK", ".US", ".SH", ".SZ")):
        return "stock"
    if upper.endswith(("USDT", "USDC")) or (len(upper) > 6 and upper.endswith(("BTC", "ETH"))):
        return "crypto"
    return "common"


def _futu_address(url: str | None) -> tuple[str, int]:
    if url is None:
        return OPEND.default_host, OPEND.default_port
    host, sep, port = url.removeprefix("tcp://").rpartition(":")
    if not sep or not port.isdigit():
        raise _BookFailed(f"venuewire book: --url for futu must be HOST:PORT, got {url!r}", 2)
    return host, int(port)


async def _book_items(args: argparse.Namespace, stack: contextlib.AsyncExitStack) -> Any:
    """An async iterator of OrderBooks (and stream events) for args.venue/args.symbol: one book
    unless --watch. Starts the simulator (default) or uses the live endpoint (--live)."""
    venue, symbol, levels = args.venue, args.symbol, args.levels
    timeout = args.timeout
    if venue == "futu":
        from venuewire.events import DecodeFailure, Gap
        from venuewire.opend.book import order_book_from_s2c
        from venuewire.opend.client import OpenDClient
        from venuewire.opend.symbols import parse_symbol

        parse_symbol(symbol)  # ValueError naming the symbol before connecting
        if args.live:
            host, port = _futu_address(args.url)
        else:
            from venuewire.sim.opend import OpenDSimulator

            sim = await stack.enter_async_context(OpenDSimulator("127.0.0.1", 0))
            host, port = sim.host, sim.port
        client = OpenDClient(host, port, request_timeout=timeout, connect_timeout=timeout, reconnect=args.watch)
        stack.push_async_callback(client.close)
        await client.connect()
        await client.subscribe([symbol], push=args.watch)

        async def futu() -> Any:
            yield order_book_from_s2c(await client.get_order_book(symbol, num=levels))
            if args.watch:
                async for item in client.order_book_updates(symbol):
                    yield item if isinstance(item, Gap | DecodeFailure) else order_book_from_s2c(item)

        return futu()
    if venue in ("bitmart", "bitmart-legacy"):
        from venuewire.bitmart.client import BitmartClient
        from venuewire.credentials import BitmartCredentials
        from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_SPOT_DEPTH

        credentials = None
        if args.live:
            import os

            legacy_url = args.url or WS_BITMART_LEGACY_DEPTH.url
            url = args.url or WS_BITMART_SPOT_DEPTH.url
            if any(os.environ.get(var) for var in BitmartCredentials.ENV_VARS) and venue == "bitmart":
                credentials = BitmartCredentials.from_env()  # all of them, or AuthError naming the missing
        else:
            from venuewire.sim.bitmart import BitmartSimulator

            sim_b = await stack.enter_async_context(BitmartSimulator("127.0.0.1", 0))
            legacy_url, url = sim_b.legacy_url, sim_b.url
        client_b = BitmartClient(
            legacy_url, url, credentials=credentials, connect_timeout=timeout, reconnect=args.watch
        )
        stack.push_async_callback(client_b.close)
        if venue == "bitmart":
            allowed = sorted(WS_BITMART_SPOT_DEPTH.levels)
            depth = next((n for n in allowed if n >= levels), allowed[-1])
            return client_b.depth_stream(symbol, depth)
        return client_b.legacy_depth_stream(symbol, args.precision)
    # infoway
    from venuewire.credentials import InfowayCredentials
    from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH, WS_INFOWAY_DEPTH
    from venuewire.infoway.client import InfowayClient

    market = args.market or infoway_market(symbol)
    if args.live:
        credentials_i = InfowayCredentials.from_env()
        base_url = args.url or REST_INFOWAY_BATCH_DEPTH.base_url
        ws_url = args.ws_url or WS_INFOWAY_DEPTH.url
    else:
        from venuewire.sim.infoway import DEFAULT_API_KEY, InfowaySimulator

        sim_i = await stack.enter_async_context(InfowaySimulator("127.0.0.1", 0))
        credentials_i = InfowayCredentials(DEFAULT_API_KEY)
        base_url, ws_url = sim_i.url, sim_i.ws_url
    client_i = InfowayClient(credentials_i, base_url=base_url, ws_url=ws_url, timeout=timeout)
    stack.push_async_callback(client_i.close)
    if args.watch:
        return client_i.depth_stream(market, [symbol], reconnect=True)
    books = await client_i.order_books(market, [symbol])
    if not books:
        raise _BookFailed(f"venuewire book: infoway has no book for {symbol} in market {market}")

    async def one() -> Any:
        yield books[0]

    return one()


async def _next_book(items: Any, limit: float | None) -> Any:
    """The next OrderBook from `items` (stream events skipped) within `limit` s (None: no
    limit); None when the stream ends. TimeoutError when the limit runs out."""
    from venuewire.models import OrderBook

    async with asyncio.timeout(limit):
        async for item in items:
            if isinstance(item, OrderBook):
                return item
    return None


async def _book(args: argparse.Namespace) -> int:
    from venuewire.render import LiveView, book_table, make_console

    console = make_console()
    loop = asyncio.get_running_loop()
    async with contextlib.AsyncExitStack() as stack:
        try:
            async with asyncio.timeout(args.timeout + 5):
                items = await _book_items(args, stack)
            stack.push_async_callback(items.aclose)
            book = await _next_book(items, args.timeout)
        except TimeoutError:
            raise _BookFailed(
                f"venuewire book: {args.venue}: no book for {args.symbol} within {args.timeout:g} s"
            ) from None
        if book is None:
            raise _BookFailed(f"venuewire book: {args.venue}: the stream ended before a book for {args.symbol}")
        if not args.watch:
            console.print(book_table(book, args.levels))
            return 0
        deadline = None if args.seconds is None else loop.time() + args.seconds
        updates = 1
        with LiveView(console) as view:
            while book is not None:
                table = book_table(book, args.levels)
                table.title = f"{table.title} (update {updates})"
                view.update(table)
                left = None if deadline is None else deadline - loop.time()
                if left is not None and left <= 0:
                    break
                try:
                    book = await _next_book(items, left)
                except TimeoutError:
                    break
                updates += 1
    return 0


def _run_book(args: argparse.Namespace) -> int:
    from venuewire.errors import VenueError

    if _without_cli_extras("book"):
        return 1
    venue = args.venue
    if venue in NO_BOOK:
        print(
            f"venuewire book: {venue} has no order book ({NO_BOOK[venue]}); book venues: {', '.join(BOOK_VENUES)}",
            file=sys.stderr,
        )
        return 2
    if venue not in BOOK_VENUES:
        print(f"venuewire book: unknown venue {venue!r}; book venues: {', '.join(BOOK_VENUES)}", file=sys.stderr)
        return 2
    if args.url is not None and not args.live:
        print("venuewire book: --url needs --live", file=sys.stderr)
        return 2
    mode = "live" if args.live else "simulator"
    try:
        with _quiet_logging(args.verbose):
            return asyncio.run(_book(args))
    except KeyboardInterrupt:
        return 0
    except _BookFailed as exc:
        print(exc.line, file=sys.stderr)
        return exc.code
    except (ValueError, TypeError) as exc:  # the symbol or an option the client refuses before sending
        print(f"venuewire book: {venue}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except VenueError as exc:
        print(f"venuewire book: {venue} ({mode}): {' '.join(exc.message.split())}", file=sys.stderr)
        return 1
    except TimeoutError:
        print(f"venuewire book: {venue} ({mode}): no answer within {args.timeout:g} s", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"venuewire book: {venue} ({mode}): {exc}", file=sys.stderr)
        return 1


def _add_book(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    venues = "; ".join(f"{name}: {text}" for name, text in BOOK_VENUES.items())
    command = _add_command(
        group,
        "book",
        "Print one venue's normalized order book (bids and asks side by side), from its embedded "
        "simulator (--sim, the default) or the live endpoint (--live, credentials from the documented "
        f"VENUEWIRE_* environment variables). Venues with books: {venues}. CoinW and QFEX have none "
        "(exit 2). A network failure or refused credentials exits 1 with one line.",
        "venuewire book futu HK.00700 --levels 5 --watch --seconds 10",
        _run_book,
        summary="Print one venue's normalized order book, from its simulator (default) or the live endpoint.",
    )
    command.add_argument("venue", help=f"{', '.join(BOOK_VENUES)}")
    command.add_argument("symbol", help="the venue's own symbol: HK.00700, BTC_USDT, BMX_ETH, 00700.HK, BTCUSDT")
    command.add_argument("--levels", type=_levels, default=10, metavar="N", help="levels a side (default: 10)")
    command.add_argument("--watch", action="store_true", help="keep redrawing the book as updates arrive")
    command.add_argument(
        "--seconds", type=_positive_seconds, metavar="N", help="with --watch: stop after N s (default: at Ctrl-C)"
    )
    where = command.add_mutually_exclusive_group()
    where.add_argument("--sim", dest="live", action="store_false", help="the embedded simulator (the default)")
    where.add_argument(
        "--live",
        dest="live",
        action="store_true",
        help="the live endpoint from the registry (futu: an OpenD gateway at 127.0.0.1:11111)",
    )
    command.set_defaults(live=False)
    command.add_argument(
        "--precision", type=int, default=6, help="bitmart-legacy: price decimals of the levels (default: 6)"
    )
    command.add_argument(
        "--market", help="infoway: stock, crypto, common, japan, india, korea, taiwan (default: from the code)"
    )
    command.add_argument(
        "--timeout", type=_positive_seconds, default=10.0, metavar="S", help="connect/first book timeout (default: 10)"
    )
    command.add_argument("-v", "--verbose", action="store_true", help="log the clients' warnings")
    command.add_argument("--url", help=argparse.SUPPRESS)  # --live endpoint override (tests, private gateways)
    command.add_argument("--ws-url", help=argparse.SUPPRESS)  # infoway --live WebSocket override


# --- the top level ---------------------------------------------------------------------------


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
        epilog="example:\n  venuewire sim opend --port 0",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"venuewire {_version()}")
    parser.set_defaults(run=lambda _args: _usage(parser))
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_demo(commands)
    _add_book(commands)
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
