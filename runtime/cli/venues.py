"""The command line's one table of venues: `TOOLS`, one `VenueTool` per registry venue, in the
registry's order and under the registry's key (`futu`, never `opend`).

Everything `venuewire sim`, `venuewire book`, `venuewire demo` and the `--venue` options do
per venue is read from a row here: the simulator class and its options, how a client opens
against a running simulator, the books a venue has (and how `--live` reaches the real one),
and the demo section that exercises it (`venuewire.demo.sections`). The subcommands hold no
venue list of their own. Imports of clients and simulators happen when a row is used, so
`venuewire --help` stays cheap and `decode`/`schemas` work without rich.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Protocol

from venuewire.cli.common import CommandFailed
from venuewire.generated.registry import OPEND
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as COINW_ORDERS
from venuewire.generated.registry import VENUES as REGISTRY

if TYPE_CHECKING:
    from venuewire.capture.tap import CaptureTarget

__all__ = [
    "ALIASES",
    "BOOKS",
    "BY_KEY",
    "KEYS",
    "TOOLS",
    "Book",
    "Simulator",
    "VenueTool",
    "infoway_market",
    "moved_url",
]


def _load(path: str) -> Any:
    """`"package.module:name"` -> the object (ImportError / AttributeError when missing)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def moved_url(url: str, port: int, to_port: int) -> str:
    """`url` (which names `port`) pointed at `to_port` instead."""
    return url if port == to_port else url.replace(f":{port}", f":{to_port}", 1)


class ClientFactory(Protocol):
    """A venue's client against `sim` (listening, or moved to `port`): `timeout` its request
    and connect timeout, `capture` what it records to (venuewire.capture.tap)."""

    def __call__(self, sim: Any, timeout: float, port: int, capture: CaptureTarget = None) -> Any: ...


@dataclass(frozen=True)
class Simulator:
    """A venue's embedded simulator: `path` is "module:Class" (constructed as
    `Class(host=..., port=..., **settings)`), `simulates` what it serves (the `sim KEY` help),
    `host`/`port` the `sim KEY` defaults, `options` its extra command-line options and
    `settings` the constructor arguments read from them. `serve`, when set, is the module's
    own "module:serve" (`serve(host, port, ready)`, keys from the VENUEWIRE_* variables) that
    `sim KEY` and `sim all` run instead of the bare class."""

    path: str
    simulates: str
    serve: str | None = None
    example: str = "--port 0"
    host: str = "127.0.0.1"
    port: int = 0
    options: Callable[[argparse.ArgumentParser], None] | None = None
    settings: Callable[[argparse.Namespace], dict[str, Any]] | None = None

    def create(self, host: str, port: int, **settings: Any) -> Any:
        return _load(self.path)(host=host, port=port, **settings)

    def server(self) -> Callable[[str, int, Callable[[str, int], None]], Coroutine[Any, Any, None]] | None:
        """The module's own `serve(host, port, ready)`, when the row names one."""
        return None if self.serve is None else _load(self.serve)


@dataclass(frozen=True)
class Book:
    """One order book `venuewire book NAME SYMBOL` prints. `live(args)` is a client of the
    real endpoint (credentials from the environment); `read(client, args)` the book items
    (OrderBook, Gap, DecodeFailure): one book, or a stream with --watch. `check(symbol)`
    refuses a bad symbol (ValueError) before anything connects."""

    name: str
    shows: str
    symbol: str
    live: Callable[[argparse.Namespace], Any]
    read: Callable[[Any, argparse.Namespace], Awaitable[AsyncIterator[Any]]]
    check: Callable[[str], object] | None = None


@dataclass(frozen=True)
class VenueTool:
    """One venue on the command line. `client(sim, timeout, port)` is the venue's client
    against a running simulator `sim`, dialling `port` (the simulator's, or another one in
    tests); `account` the simulator settings that client's credentials match. `demo` is the
    "module:function" of its demo section, `demo_shows` what that section shows. `books` the
    venue's order books (`no_book` says why there are none); `call_live` the client of
    `venuewire call` against the real endpoint."""

    key: str
    simulator: Simulator
    client: ClientFactory
    demo: str
    demo_shows: str
    books: tuple[Book, ...] = ()
    no_book: str = ""
    aliases: tuple[str, ...] = ()
    account: Mapping[str, str] = field(default_factory=dict)
    call_live: Callable[[argparse.Namespace], Any] | None = None
    rest_client: Callable[[Any, float, int], Any] | None = None
    """`venuewire call --sim` of a REST endpoint, when `client` has none: the venue's REST
    client of the same account, as `client(sim, timeout, port)` (BitMart: trading)."""
    rest_live: Callable[[argparse.Namespace], Any] | None = None
    """`venuewire call` of a REST endpoint without --sim, when `call_live` has none."""
    """`venuewire call` without --sim: a client of the live endpoint (credentials from the
    environment; `--url`, `--host`/`--port` and `--timeout` from the command line)."""

    @property
    def title(self) -> str:
        """The registry's title of the venue."""
        return next(v.title for v in REGISTRY if v.key == self.key)

    def section(self) -> Any:
        """The demo section: `async (run, simulator, client) -> None` (venuewire.demo.run)."""
        return _load(self.demo)

    def client_simulator(self, host: str = "127.0.0.1", port: int = 0) -> Any:
        """A (not started) simulator that `client` can log in to."""
        return self.simulator.create(host, port, **self.account)


# --- futu ----------------------------------------------------------------------------------------


def _futu_sim_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rsa-key",
        metavar="PATH",
        help="1024-bit PEM RSA key: encrypt the session (RSA for InitConnect, then AES); default: plaintext",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--cbc", dest="aes_mode", action="store_const", const="cbc", help="with --rsa-key: AES-CBC (the default)"
    )
    mode.add_argument("--ecb", dest="aes_mode", action="store_const", const="ecb", help="with --rsa-key: FTAES_ECB")
    parser.set_defaults(aes_mode="cbc")
    parser.add_argument(
        "--push-interval",
        type=float,
        default=0.2,
        metavar="S",
        help="seconds between book steps and order-book pushes (default: %(default)s)",
    )
    parser.add_argument(
        "--keepalive-interval",
        type=int,
        default=10,
        metavar="S",
        help="keepAliveInterval told to clients in InitConnect (default: %(default)s)",
    )


def _futu_sim_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "rsa_key_path": args.rsa_key,
        "aes_mode": args.aes_mode,
        "keepalive_interval": args.keepalive_interval,
        "push_interval": args.push_interval,
    }


def _futu_client(sim: Any, timeout: float, port: int, capture: CaptureTarget = None) -> Any:
    from venuewire.opend.client import OpenDClient

    return OpenDClient(sim.host, port, timeout=timeout, connect_timeout=timeout, capture=capture)


def _futu_address(args: argparse.Namespace, command: str) -> tuple[str, int]:
    """OpenD's host and port: the registry's, or `--url HOST:PORT` (and, where the command has
    them, `--host` / `--port`)."""
    host, port = OPEND.default_host, OPEND.default_port
    if args.url is not None:
        host, sep, text = args.url.removeprefix("tcp://").rpartition(":")
        if not sep or not text.isdigit():
            raise CommandFailed(f"venuewire {command}: --url for futu must be HOST:PORT, got {args.url!r}", 2)
        port = int(text)
    host = getattr(args, "host", None) or host
    given = getattr(args, "port", None)
    return host, port if given is None else given


def _futu_live(args: argparse.Namespace) -> Any:
    from venuewire.opend.client import OpenDClient

    host, port = _futu_address(args, "book")
    timeout = args.timeout
    return OpenDClient(host, port, timeout=timeout, connect_timeout=timeout, reconnect=args.watch)


def _futu_call_live(args: argparse.Namespace) -> Any:
    from venuewire.opend.client import OpenDClient

    host, port = _futu_address(args, "call")
    return OpenDClient(host, port, timeout=args.timeout, connect_timeout=args.timeout)


async def _futu_book(client: Any, args: argparse.Namespace) -> AsyncIterator[Any]:
    from venuewire.opend.book import order_book_from_s2c

    await client.connect()
    await client.subscribe([args.symbol], push=args.watch)

    async def books() -> AsyncIterator[Any]:
        yield order_book_from_s2c(await client.get_order_book(args.symbol, num=args.levels))
        if args.watch:
            async for item in client.depth_stream(args.symbol):  # OrderBook | Gap | DecodeFailure
                yield item

    return books()


def _futu_symbol(symbol: str) -> object:
    from venuewire.opend.symbols import parse_symbol

    return parse_symbol(symbol)


# --- bitmart -------------------------------------------------------------------------------------

# The demo's own BitMart account on its simulator (never printed).
BITMART_ACCOUNT: Final = {
    "api_key": "venuewire-demo-key",
    "secret": "venuewire-demo-secret",
    "memo": "venuewire-demo-memo",
}


def _bitmart_client(sim: Any, timeout: float, port: int, capture: CaptureTarget = None) -> Any:
    from venuewire.bitmart.client import BitmartClient
    from venuewire.credentials import BitmartCredentials

    return BitmartClient(
        moved_url(sim.legacy_url, sim.port, port),
        moved_url(sim.url, sim.port, port),
        credentials=BitmartCredentials(BITMART_ACCOUNT["api_key"], BITMART_ACCOUNT["secret"], BITMART_ACCOUNT["memo"]),
        timeout=timeout,
        backoff_initial=0.2,
        backoff_max=2.0,
        capture=capture,
    )


def _bitmart_trade_client(sim: Any, timeout: float, port: int) -> Any:
    from venuewire.bitmart.trade import BitmartTradeClient
    from venuewire.credentials import BitmartCredentials

    credentials = BitmartCredentials(BITMART_ACCOUNT["api_key"], BITMART_ACCOUNT["secret"], BITMART_ACCOUNT["memo"])
    return BitmartTradeClient(
        credentials,
        moved_url(sim.rest_url, sim.port, port),
        ws_url=moved_url(sim.private_url, sim.port, port),
        timeout=timeout,
    )


def _bitmart_trade_live(args: argparse.Namespace) -> Any:
    from venuewire.bitmart.trade import BitmartTradeClient
    from venuewire.credentials import BitmartCredentials
    from venuewire.generated.registry import REST_BITMART_SUBMIT_ORDER

    url = args.url or REST_BITMART_SUBMIT_ORDER.base_url
    return BitmartTradeClient(BitmartCredentials.from_env(), url, timeout=args.timeout)


def _bitmart_live(args: argparse.Namespace, *, login: bool = False) -> Any:
    """`login`: sign in with the VENUEWIRE_BITMART_* credentials when any of them is set."""
    from venuewire.bitmart.client import BitmartClient
    from venuewire.credentials import BitmartCredentials
    from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_SPOT_DEPTH

    credentials = None
    if login and any(os.environ.get(var) for var in BitmartCredentials.ENV_VARS):
        credentials = BitmartCredentials.from_env()  # all of them, or AuthError naming the missing
    return BitmartClient(
        args.url or WS_BITMART_LEGACY_DEPTH.url,
        args.url or WS_BITMART_SPOT_DEPTH.url,
        credentials=credentials,
        timeout=args.timeout,
        reconnect=args.watch,
    )


async def _bitmart_book(client: Any, args: argparse.Namespace) -> AsyncIterator[Any]:
    from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH

    allowed = sorted(WS_BITMART_SPOT_DEPTH.levels)
    stream: AsyncIterator[Any] = client.depth_stream(
        args.symbol, next((n for n in allowed if n >= args.levels), allowed[-1])
    )
    return stream


async def _bitmart_legacy_book(client: Any, args: argparse.Namespace) -> AsyncIterator[Any]:
    stream: AsyncIterator[Any] = client.legacy_depth_stream(args.symbol, args.precision)
    return stream


# --- coinw, qfex: no books -------------------------------------------------------------------------


def _coinw_client(sim: Any, timeout: float, port: int, capture: CaptureTarget = None) -> Any:
    from venuewire.coinw.client import CoinwClient
    from venuewire.credentials import CoinwCredentials
    from venuewire.sim.coinw import DEFAULT_API_KEY, DEFAULT_SECRET

    credentials = CoinwCredentials(DEFAULT_API_KEY, DEFAULT_SECRET)
    return CoinwClient(credentials, url=moved_url(sim.url, sim.port, port), timeout=timeout, capture=capture)


def _qfex_client(sim: Any, timeout: float, port: int, capture: CaptureTarget = None) -> Any:
    from venuewire.credentials import QfexCredentials
    from venuewire.qfex.client import QfexTradeClient
    from venuewire.sim.qfex import DEFAULT_API_KEY, DEFAULT_SECRET

    credentials = QfexCredentials(DEFAULT_API_KEY, DEFAULT_SECRET)
    url = moved_url(sim.url, sim.port, port)
    return QfexTradeClient(credentials, url=url, timeout=timeout, heartbeat=None, capture=capture)


def _coinw_call_live(args: argparse.Namespace) -> Any:
    from venuewire.coinw.client import CoinwClient
    from venuewire.credentials import CoinwCredentials

    url = args.url or COINW_ORDERS.base_url
    return CoinwClient(CoinwCredentials.from_env(), url=url, timeout=args.timeout)


def _qfex_call_live(args: argparse.Namespace) -> Any:
    from venuewire.credentials import QfexCredentials
    from venuewire.generated.registry import WS_QFEX_TRADE
    from venuewire.qfex.client import QfexTradeClient

    return QfexTradeClient(QfexCredentials.from_env(), url=args.url or WS_QFEX_TRADE.url, timeout=args.timeout)


# --- infoway -------------------------------------------------------------------------------------

_INFOWAY_SUFFIXES = {".JP": "japan", ".IN": "india", ".KS": "korea", ".KQ": "korea", ".TW": "taiwan"}


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


def _infoway_client(sim: Any, timeout: float, port: int, capture: CaptureTarget = None) -> Any:
    from venuewire.credentials import InfowayCredentials
    from venuewire.infoway.client import InfowayClient
    from venuewire.sim.infoway import DEFAULT_API_KEY

    return InfowayClient(
        InfowayCredentials(DEFAULT_API_KEY),
        url=moved_url(sim.url, sim.port, port),
        ws_url=moved_url(sim.ws_url, sim.port, port),
        timeout=timeout,
        capture=capture,
    )


def _infoway_live(args: argparse.Namespace) -> Any:
    from venuewire.credentials import InfowayCredentials
    from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH, WS_INFOWAY_DEPTH
    from venuewire.infoway.client import InfowayClient

    return InfowayClient(
        InfowayCredentials.from_env(),
        url=args.url or REST_INFOWAY_BATCH_DEPTH.base_url,
        ws_url=args.ws_url or WS_INFOWAY_DEPTH.url,
        timeout=args.timeout,
    )


def _infoway_call_live(args: argparse.Namespace) -> Any:
    from venuewire.credentials import InfowayCredentials
    from venuewire.generated.registry import REST_INFOWAY_BATCH_DEPTH, WS_INFOWAY_DEPTH
    from venuewire.infoway.client import InfowayClient

    return InfowayClient(
        InfowayCredentials.from_env(),
        url=args.url or REST_INFOWAY_BATCH_DEPTH.base_url,
        ws_url=WS_INFOWAY_DEPTH.url,
        timeout=args.timeout,
    )


async def _infoway_book(client: Any, args: argparse.Namespace) -> AsyncIterator[Any]:
    market = args.market or infoway_market(args.symbol)
    if args.watch:
        stream: AsyncIterator[Any] = client.depth_stream(market, [args.symbol], reconnect=True)
        return stream
    books = await client.order_books(market, [args.symbol])
    if not books:
        raise CommandFailed(f"venuewire book: infoway has no book for {args.symbol} in market {market}")

    async def one() -> AsyncIterator[Any]:
        yield books[0]

    return one()


# --- the table -----------------------------------------------------------------------------------

TOOLS: Final[tuple[VenueTool, ...]] = (
    VenueTool(
        key="futu",
        aliases=("opend", "moomoo"),
        simulator=Simulator(
            "venuewire.sim.opend:OpenDSimulator",
            "Futu/moomoo OpenD: InitConnect (plain or RSA + AES), KeepAlive, GetGlobalState, Qot_Sub, "
            "Qot_GetOrderBook and Qot_UpdateOrderBook pushes from deterministic books.",
            example="--port 11111 --rsa-key conn_key.txt --ecb --push-interval 0.5",
            host=OPEND.default_host,
            port=OPEND.default_port,
            options=_futu_sim_options,
            settings=_futu_sim_settings,
        ),
        client=_futu_client,
        call_live=_futu_call_live,
        books=(
            Book(
                "futu",
                "Qot_GetOrderBook, --watch: Qot_UpdateOrderBook pushes",
                "HK.00700",
                _futu_live,
                _futu_book,
                _futu_symbol,
            ),
        ),
        demo="venuewire.demo.sections:futu",
        demo_shows="HK.00700 and US.AAPL books, then live Qot_UpdateOrderBook pushes; a quote, candles and a "
        "simulated order's life cycle (OpenDTrade)",
    ),
    VenueTool(
        key="bitmart",
        simulator=Simulator(
            "venuewire.sim.bitmart:BitmartSimulator",
            serve="venuewire.sim.bitmart:serve",
            simulates="BitMart WebSocket depth: the legacy channel and v3 spot (raw-DEFLATE frames, login); "
            "spot trading over REST (one account's desk) with its private order and balance pushes.",
        ),
        client=_bitmart_client,
        account=BITMART_ACCOUNT,
        rest_client=_bitmart_trade_client,
        rest_live=_bitmart_trade_live,
        books=(
            Book(
                "bitmart",
                "v3 spot/depth{5,20,50} WebSocket channel",
                "BTC_USDT",
                functools.partial(_bitmart_live, login=True),
                _bitmart_book,
            ),
            Book(
                "bitmart-legacy",
                "legacy depth channel, aggregated to --precision decimals",
                "BMX_ETH",
                _bitmart_live,
                _bitmart_legacy_book,
            ),
        ),
        demo="venuewire.demo.sections:bitmart",
        demo_shows=(
            "legacy and v3 depth side by side, after a signed login; an incremental book surviving a gap; "
            "a spot order's life cycle (place, list, query, cancel)"
        ),
    ),
    VenueTool(
        key="coinw",
        simulator=Simulator(
            "venuewire.sim.coinw:CoinwSimulator",
            serve="venuewire.sim.coinw:serve",
            simulates=f"CoinW futures REST: signed {COINW_ORDERS.method} {COINW_ORDERS.path} with its limits and error "
            "codes.",
        ),
        client=_coinw_client,
        call_live=_coinw_call_live,
        no_book="CoinW futures is served for its open orders (signed REST) only",
        demo="venuewire.demo.sections:coinw",
        demo_shows="signed open orders for every position type; an order's life cycle (place, list, cancel)",
    ),
    VenueTool(
        key="infoway",
        simulator=Simulator(
            "venuewire.sim.infoway:InfowaySimulator",
            serve="venuewire.sim.infoway:serve",
            simulates="Infoway REST batch_depth and the WebSocket depth stream, with their limits.",
        ),
        client=_infoway_client,
        call_live=_infoway_call_live,
        books=(
            Book(
                "infoway",
                "batch_depth over REST, --watch: the WebSocket depth stream",
                "00700.HK",
                _infoway_live,
                _infoway_book,
            ),
        ),
        demo="venuewire.demo.sections:infoway",
        demo_shows="batch_depth for three markets, then the WebSocket depth stream",
    ),
    VenueTool(
        key="qfex",
        simulator=Simulator(
            "venuewire.sim.qfex:QfexSimulator",
            serve="venuewire.sim.qfex:serve",
            simulates="QFEX trading WebSocket: HMAC auth within the minute and get_order.",
        ),
        client=_qfex_client,
        call_live=_qfex_call_live,
        no_book="QFEX is served for its trade WebSocket (auth, get_order) only",
        demo="venuewire.demo.sections:qfex",
        demo_shows="HMAC auth, get_order; an order's life cycle (add, modify, cancel) with its pushes",
    ),
)

KEYS: Final = tuple(tool.key for tool in TOOLS)
ALIASES: Final = {alias: tool.key for tool in TOOLS for alias in tool.aliases}
BOOKS: Final = {book.name: (tool, book) for tool in TOOLS for book in tool.books}


BY_KEY: Final = {tool.key: tool for tool in TOOLS}
