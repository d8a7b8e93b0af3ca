"""`venuewire demo`: every typed client against its embedded simulator, in one process.

Per venue (`VENUES`, in this order), on 127.0.0.1 and a free port each:

- futu     OpenDSimulator: subscribe HK.00700 and US.AAPL, both 10-level books
           (Qot_GetOrderBook), then both books live from Qot_UpdateOrderBook pushes.
- bitmart  BitmartSimulator: the legacy depth channel (BMX_ETH, precision 6) and the v3
           spot/depth20 channel (BTC_USDT, after a signed login), live side by side.
- infoway  InfowaySimulator: batch_depth for codes of the stock, crypto and common markets,
           then the WebSocket depth stream (BTCUSDT, ETHUSDT) live.
- coinw    CoinwSimulator: signed get_open_orders for every position type; one orders table.
- qfex     QfexSimulator: authenticate (HMAC), then get_order(DEMO_SYMBOL, DEMO_ORDER_ID).

After each venue one summary line: messages received, decode errors, gaps, and the
round-trip latency percentiles the demo measured itself (request -> reply; for BitMart,
whose channels are push only, a text ping -> pong on the v3 endpoint). The clients use the
simulators' default keys; no secret is ever printed.

Every await is bounded (STEP_TIMEOUT_S per step, a budget per venue). A venue that fails
gives ONE line, `venuewire demo: VENUE failed while STEP: WHAT`, on stderr (no traceback); the
other venues still run and the exit code is 1.

Test hooks (not part of the command line): `DemoOptions.unreachable` points a venue's client
at a closed 127.0.0.1 port (the command reads it from VENUEWIRE_DEMO_UNREACHABLE, comma
separated venues); `DemoOptions.prepare(venue, simulator)` runs once a simulator listens
(tests add faults there).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TypeVar

from rich.columns import Columns
from rich.console import Console, Group

from venuewire.errors import VenueError
from venuewire.events import DecodeFailure, Gap
from venuewire.models import Order, OrderBook
from venuewire.render import LiveView, book_table, orders_table, side_by_side

__all__ = [
    "CLIENT_TIMEOUT_S",
    "STEP_TIMEOUT_S",
    "VENUES",
    "DemoFailed",
    "DemoOptions",
    "Summary",
    "closed_port",
    "percentile",
    "run_demo",
]

T = TypeVar("T")


class _Simulator(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...


S = TypeVar("S", bound=_Simulator)

VENUES: Final = ("futu", "bitmart", "infoway", "coinw", "qfex")
TITLES: Final = {
    "futu": "Futu / moomoo OpenD (TCP + protobuf)",
    "bitmart": "BitMart WebSocket depth (legacy + v3 spot)",
    "infoway": "Infoway market depth (REST + WebSocket)",
    "coinw": "CoinW futures open orders (signed REST)",
    "qfex": "QFEX trade WebSocket (HMAC auth + get_order)",
}
HOST: Final = "127.0.0.1"
STEP_TIMEOUT_S: Final = 10.0
"""No single step (start a simulator, connect, one request, close) may take longer."""
CLIENT_TIMEOUT_S: Final = 5.0
"""The clients' own request and connect timeouts in the demo."""
RTT_SAMPLES: Final = 20
QFEX_SAMPLES: Final = 10
"""get_order calls on one QFEX connection (its simulator allows 20 frames a second, auth included)."""

FUTU_SYMBOLS: Final = ("HK.00700", "US.AAPL")
BITMART_LEGACY: Final = ("BMX_ETH", 6)
BITMART_SPOT: Final = ("BTC_USDT", 20)
# The demo's own BitMart account on its simulator (never printed).
BITMART_KEY, BITMART_SECRET, BITMART_MEMO = "venuewire-demo-key", "venuewire-demo-secret", "venuewire-demo-memo"
INFOWAY_REST: Final = (
    ("stock", ("00700.HK", "AAPL.US", "600519.SH")),
    ("crypto", ("BTCUSDT", "ETHUSDT")),
    ("common", ("EURUSD", "XAUUSD")),
)
INFOWAY_STREAM: Final = ("crypto", ("BTCUSDT", "ETHUSDT"))


# --- results ----------------------------------------------------------------------------------


def percentile(samples: Sequence[float], q: float) -> float:
    """The nearest-rank `q`-th percentile (0 < q <= 100) of non-empty `samples`."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least 1
    return ordered[int(rank) - 1]


@dataclass
class Summary:
    """What one venue's run received and measured. `latencies` are round trips in seconds."""

    venue: str
    messages: int = 0
    decode_errors: int = 0
    gaps: int = 0
    latencies: list[float] = field(default_factory=list)
    latency_of: str = "request -> reply"
    seconds: float = 0.0

    def line(self) -> str:
        """`futu: 61 messages, 0 decode errors, 0 gaps, round trip p50 0.31 ms p90 ... (n=22, ...)`."""
        text = f"{self.venue}: {self.messages} messages, {self.decode_errors} decode errors, {self.gaps} gaps"
        if self.latencies:
            ms = [percentile(self.latencies, q) * 1000 for q in (50, 90, 99)]
            text += (
                f", round trip p50 {ms[0]:.2f} ms p90 {ms[1]:.2f} ms p99 {ms[2]:.2f} ms"
                f" (n={len(self.latencies)}, {self.latency_of})"
            )
        return text + f", {self.seconds:.2f} s"


class DemoFailed(Exception):
    """One venue's demo failed: `venue`, the `step` it was in and `what` went wrong (one line)."""

    def __init__(self, venue: str, step: str, what: str) -> None:
        self.venue, self.step, self.what = venue, step, " ".join(what.split())
        super().__init__(self.line())

    def line(self) -> str:
        return f"venuewire demo: {self.venue} failed while {self.step}: {self.what}"


@dataclass(frozen=True)
class DemoOptions:
    """`seconds`: how long each live section runs. `levels`: rows per book table.
    `unreachable` and `prepare`: test hooks (see the module doc)."""

    seconds: float = 3.0
    levels: int = 10
    unreachable: frozenset[str] = frozenset()
    prepare: Callable[[str, Any], None] | None = None


def closed_port(host: str = HOST) -> int:
    """A port on `host` that nothing listens on (bound, then released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
    return port


def _describe(exc: BaseException) -> str:
    if isinstance(exc, VenueError):
        return exc.message if exc.code is None else f"{exc.message} [code {exc.code}]"
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    exc: BaseException = group
    while isinstance(exc, BaseExceptionGroup):
        exc = exc.exceptions[0]
    return exc


# --- one venue's run ---------------------------------------------------------------------------


class _Run:
    """The context of one venue's demo: bounded steps, the summary, cleanup."""

    def __init__(self, venue: str, console: Console, options: DemoOptions, stack: contextlib.AsyncExitStack) -> None:
        self.venue = venue
        self.console = console
        self.options = options
        self.stack = stack
        self.summary = Summary(venue)
        self.current = "starting"

    async def step(self, what: str, awaitable: Awaitable[T], limit: float = STEP_TIMEOUT_S) -> T:
        """Await `awaitable` within `limit` s; any failure becomes DemoFailed naming `what`."""
        self.current = what
        try:
            async with asyncio.timeout(limit):
                return await awaitable
        except DemoFailed:
            raise
        except VenueError as exc:  # venuewire.Timeout included: it names what timed out
            raise DemoFailed(self.venue, what, _describe(exc)) from None
        except TimeoutError:  # the step's own limit (an OSError too: caught before it)
            raise DemoFailed(self.venue, what, f"no result within {limit:g} s") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise DemoFailed(self.venue, what, _describe(exc)) from None

    async def timed(self, what: str, awaitable: Awaitable[T]) -> T:
        """`step`, recording the round trip in the summary."""
        started = time.perf_counter()
        result = await self.step(what, awaitable)
        self.summary.latencies.append(time.perf_counter() - started)
        return result

    async def start(self, sim: S) -> S:
        """Start a simulator (bounded), stop it when the run ends, run the `prepare` hook."""
        await self.step("starting the simulator", sim.start())
        self.stack.push_async_callback(self._quietly, "stopping the simulator", sim.close)
        if self.options.prepare is not None:
            self.options.prepare(self.venue, sim)
        return sim

    def closing(self, what: str, close: Callable[[], Awaitable[object]]) -> None:
        """Call `close` (bounded, errors ignored) when the run ends."""
        self.stack.push_async_callback(self._quietly, what, close)

    @staticmethod
    async def _quietly(what: str, close: Callable[[], Awaitable[object]]) -> None:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(STEP_TIMEOUT_S):
                await close()

    def port(self, real: int) -> int:
        """The port the client uses: the simulator's, or a closed one (test hook)."""
        return closed_port() if self.venue in self.options.unreachable else real

    def url(self, url: str, real_port: int) -> str:
        if self.venue not in self.options.unreachable:
            return url
        return url.replace(f":{real_port}", f":{closed_port()}", 1)

    async def pump(self, what: str, stream: AsyncIterator[T], deadline: float, on_item: Callable[[T], None]) -> int:
        """Feed `stream`'s items to `on_item` until the loop time `deadline`. Fails (DemoFailed)
        when the stream ends or raises, or when nothing at all arrived."""
        loop = asyncio.get_running_loop()
        count = 0
        while (left := deadline - loop.time()) > 0:
            try:
                async with asyncio.timeout(left):
                    item = await anext(stream)
            except VenueError as exc:  # before TimeoutError: venuewire.Timeout is one too
                raise DemoFailed(self.venue, what, _describe(exc)) from None
            except TimeoutError:  # the deadline (TimeoutError is an OSError: before that too)
                break
            except OSError as exc:
                raise DemoFailed(self.venue, what, _describe(exc)) from None
            except StopAsyncIteration:
                raise DemoFailed(self.venue, what, "the stream ended") from None
            on_item(item)
            count += 1
        if count == 0:
            raise DemoFailed(self.venue, what, f"nothing received within {self.options.seconds:g} s")
        return count

    async def together(self, *coros: Coroutine[Any, Any, object]) -> None:
        """Run `coros` concurrently; the first failure cancels the others and is raised as is."""
        try:
            async with asyncio.TaskGroup() as group:
                for coro in coros:
                    group.create_task(coro)
        except BaseExceptionGroup as eg:
            raise _first_error(eg) from None


# --- futu --------------------------------------------------------------------------------------


async def _futu(run: _Run) -> None:
    from venuewire.opend.book import order_book_from_s2c
    from venuewire.opend.client import OpenDClient
    from venuewire.sim.opend import OpenDSimulator

    sim = await run.start(OpenDSimulator(HOST, 0))
    client = OpenDClient(HOST, run.port(sim.port), request_timeout=CLIENT_TIMEOUT_S, connect_timeout=CLIENT_TIMEOUT_S)
    run.closing("closing the OpenD client", client.close)
    await run.timed(f"connecting to OpenD at {HOST}:{client.port} (InitConnect)", client.connect())
    run.console.print(f"connected: connID {client.conn_id}, serverVer {client.server_ver}")
    await run.timed(f"subscribing {', '.join(FUTU_SYMBOLS)} (Qot_Sub)", client.subscribe(FUTU_SYMBOLS, push=True))
    books: dict[str, OrderBook] = {}
    for symbol in FUTU_SYMBOLS:
        s2c = await run.timed(f"Qot_GetOrderBook {symbol}", client.get_order_book(symbol, num=run.options.levels))
        books[symbol] = order_book_from_s2c(s2c)
    run.console.print(side_by_side(*(book_table(books[s], run.options.levels) for s in FUTU_SYMBOLS)))
    for i in range(RTT_SAMPLES):
        symbol = FUTU_SYMBOLS[i % len(FUTU_SYMBOLS)]
        await run.timed(f"Qot_GetOrderBook {symbol}", client.get_order_book(symbol, num=run.options.levels))

    run.console.print(f"live: Qot_UpdateOrderBook pushes for {run.options.seconds:g} s")
    streams = [client.order_book_updates(symbol) for symbol in FUTU_SYMBOLS]
    for stream in streams:
        run.closing("closing an update stream", stream.aclose)
    pushes = dict.fromkeys(FUTU_SYMBOLS, 0)
    deadline = asyncio.get_running_loop().time() + run.options.seconds
    with LiveView(run.console) as view:

        def show() -> None:
            tables = [
                book_table(books[s], run.options.levels, title=f"futu {s} live, {pushes[s]} pushes")
                for s in FUTU_SYMBOLS
            ]
            view.update(side_by_side(*tables))

        def on_push(symbol: str) -> Callable[[Any], None]:
            def handle(item: Any) -> None:
                if isinstance(item, Gap | DecodeFailure):  # counted in client.stats / client.gaps
                    return
                books[symbol] = order_book_from_s2c(item)
                pushes[symbol] += 1
                show()

            return handle

        show()
        await run.together(
            *(
                run.pump(f"reading Qot_UpdateOrderBook pushes for {s}", stream, deadline, on_push(s))
                for s, stream in zip(FUTU_SYMBOLS, streams, strict=True)
            )
        )
    run.summary.messages = client.stats.requests + client.stats.pushes_received
    run.summary.decode_errors = client.stats.decode_errors
    run.summary.gaps = len(client.gaps)


# --- bitmart -----------------------------------------------------------------------------------


async def _ping_rtts(run: _Run, url: str, count: int) -> None:
    """`count` text ping -> pong round trips on a side connection to the v3 endpoint."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        ws = await run.step(
            "opening a WebSocket to measure ping round trips",
            session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=CLIENT_TIMEOUT_S)),
        )
        async with ws:
            for _ in range(count):
                started = time.perf_counter()
                await run.step("sending a ping", ws.send_str("ping"))
                while True:
                    message = await run.step("waiting for the pong", ws.receive())
                    if message.type is not aiohttp.WSMsgType.TEXT:
                        raise DemoFailed(run.venue, "waiting for the pong", f"got a {message.type.name} frame")
                    if message.data == "pong":
                        break
                run.summary.latencies.append(time.perf_counter() - started)


async def _bitmart(run: _Run) -> None:
    from venuewire.bitmart.client import BitmartClient
    from venuewire.credentials import BitmartCredentials
    from venuewire.sim.bitmart import BitmartSimulator

    sim = await run.start(BitmartSimulator(HOST, 0, api_key=BITMART_KEY, secret=BITMART_SECRET, memo=BITMART_MEMO))
    credentials = BitmartCredentials(BITMART_KEY, BITMART_SECRET, BITMART_MEMO)
    client = BitmartClient(
        run.url(sim.legacy_url, sim.port),
        run.url(sim.url, sim.port),
        credentials=credentials,
        connect_timeout=CLIENT_TIMEOUT_S,
        backoff_initial=0.2,
        backoff_max=2.0,
    )
    run.closing("closing the BitMart client", client.close)
    legacy_symbol, precision = BITMART_LEGACY
    spot_symbol, depth = BITMART_SPOT
    legacy = client.legacy_depth_stream(legacy_symbol, precision)
    spot = client.depth_stream(spot_symbol, depth)
    books: dict[str, OrderBook] = {}
    counts = {"legacy": 0, "v3": 0}
    titles = {
        "legacy": f"legacy {legacy_symbol} @{precision}",
        "v3": f"v3 depth{depth} {spot_symbol}",
    }
    run.console.print(f"live: both channels for {run.options.seconds:g} s")
    deadline = asyncio.get_running_loop().time() + run.options.seconds
    with LiveView(run.console) as view:

        def show() -> None:
            tables = [
                book_table(books[k], run.options.levels, title=f"{titles[k]}, {counts[k]} pushes")
                for k in ("legacy", "v3")
                if k in books
            ]
            view.update(side_by_side(*tables))

        def on_item(key: str) -> Callable[[object], None]:
            def handle(item: object) -> None:  # Gap / DecodeFailure events: counted by the stream
                if isinstance(item, OrderBook):
                    books[key] = item
                    counts[key] += 1
                    show()

            return handle

        await run.together(
            run.pump(f"reading the legacy depth stream ({legacy_symbol})", legacy, deadline, on_item("legacy")),
            run.pump(f"reading the v3 depth stream ({spot_symbol})", spot, deadline, on_item("v3")),
        )
    if not counts["legacy"] or not counts["v3"]:
        missing = "legacy" if not counts["legacy"] else "v3"
        raise DemoFailed(run.venue, f"reading the {missing} depth stream", "no book received (only events)")
    await _ping_rtts(run, run.url(sim.url, sim.port), RTT_SAMPLES)
    run.summary.latency_of = "v3 text ping -> pong"
    run.summary.messages = legacy.stats.received + spot.stats.received
    run.summary.decode_errors = legacy.stats.decode_errors + spot.stats.decode_errors
    run.summary.gaps = len(legacy.gaps) + len(spot.gaps)


# --- infoway -----------------------------------------------------------------------------------


async def _infoway(run: _Run) -> None:
    from venuewire.credentials import InfowayCredentials
    from venuewire.infoway.book import order_books_from_response
    from venuewire.infoway.client import InfowayClient
    from venuewire.sim.infoway import DEFAULT_API_KEY, InfowaySimulator

    sim = await run.start(InfowaySimulator(HOST, 0))
    client = InfowayClient(
        InfowayCredentials(DEFAULT_API_KEY),
        base_url=run.url(sim.url, sim.port),
        ws_url=run.url(sim.ws_url, sim.port),
        timeout=CLIENT_TIMEOUT_S,
    )
    run.closing("closing the Infoway client", client.close)
    rest_books: list[OrderBook] = []
    for market, codes in INFOWAY_REST:
        reply = await run.timed(f"batch_depth {market} {','.join(codes)}", client.batch_depth(market, codes))
        rest_books.extend(order_books_from_response(reply))
        run.summary.messages += 1
    levels = min(run.options.levels, 5)
    run.console.print(
        Group(
            f"batch_depth: {len(rest_books)} books from {len(INFOWAY_REST)} markets (top {levels} levels)",
            Columns([book_table(b, levels) for b in rest_books], padding=(0, 4)),
        )
    )

    market, codes = INFOWAY_STREAM
    stream = client.depth_stream(market, codes)
    run.closing("closing the depth stream", stream.aclose)
    books: dict[str, OrderBook] = {}
    counts = dict.fromkeys(codes, 0)
    run.console.print(f"live: WebSocket depth stream ({market}: {', '.join(codes)}) for {run.options.seconds:g} s")
    deadline = asyncio.get_running_loop().time() + run.options.seconds
    with LiveView(run.console) as view:

        def handle(item: object) -> None:
            if isinstance(item, OrderBook):
                books[item.symbol] = item
                counts[item.symbol] = counts.get(item.symbol, 0) + 1
                view.update(
                    side_by_side(
                        *(
                            book_table(books[c], run.options.levels, title=f"infoway {c} live, {counts[c]} pushes")
                            for c in codes
                            if c in books
                        )
                    )
                )

        await run.pump(f"reading the depth stream ({market})", stream, deadline, handle)
    if not books:
        raise DemoFailed(run.venue, "reading the depth stream", "no book received (only events)")
    run.summary.messages += stream.stats.received
    run.summary.decode_errors = stream.stats.decode_errors
    run.summary.gaps = len(stream.gaps)


# --- coinw -------------------------------------------------------------------------------------


async def _coinw(run: _Run) -> None:
    from venuewire.coinw.client import CoinwClient
    from venuewire.coinw.orders import orders_from_coinw
    from venuewire.credentials import CoinwCredentials
    from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION
    from venuewire.sim.coinw import DEFAULT_API_KEY, DEFAULT_SECRET, CoinwSimulator

    sim = await run.start(CoinwSimulator(HOST, 0))
    client = CoinwClient(
        CoinwCredentials(DEFAULT_API_KEY, DEFAULT_SECRET), base_url=run.url(sim.url, sim.port), timeout=CLIENT_TIMEOUT_S
    )
    run.closing("closing the CoinW client", client.close)
    orders: list[Order] = []
    groups: list[str] = []
    for position_type in REST_COINW_GET_ORDER_INFORMATION.choices["positionType"]:
        typed = await run.timed(
            f"get_open_orders({position_type}) (signed GET /v1/perpum/order)", client.get_open_orders(position_type)
        )
        run.summary.messages += 1
        normalized = orders_from_coinw(typed)
        orders.extend(normalized)
        groups.extend([position_type] * len(normalized))
    run.console.print(
        orders_table(orders, title="CoinW open orders, one signed request per position type", groups=groups)
    )


# --- qfex --------------------------------------------------------------------------------------


async def _qfex(run: _Run) -> None:
    try:
        from venuewire.sim.qfex import DEFAULT_API_KEY, DEFAULT_SECRET, DEMO_ORDER_ID, DEMO_SYMBOL, QfexSimulator
    except ImportError as exc:
        raise DemoFailed(run.venue, "loading its simulator", f"venuewire.sim.qfex is not available ({exc})") from None
    from venuewire.credentials import QfexCredentials
    from venuewire.qfex.client import QfexTradeClient
    from venuewire.qfex.orders import orders_from_response

    sim = await run.start(QfexSimulator(port=0))
    client = QfexTradeClient(
        QfexCredentials(DEFAULT_API_KEY, DEFAULT_SECRET),
        url=run.url(sim.url, sim.port),
        timeout=CLIENT_TIMEOUT_S,
        heartbeat=None,
    )
    run.closing("closing the QFEX client", client.close)
    await run.step(f"connecting and authenticating to {client.url}", client.connect())
    run.console.print(f"authenticated to {client.url} (HMAC-SHA256 over nonce and timestamp)")
    answer = None
    for _ in range(QFEX_SAMPLES):
        answer = await run.timed(
            f"get_order({DEMO_SYMBOL}, {DEMO_ORDER_ID})", client.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)
        )
    assert answer is not None
    orders = orders_from_response(answer)
    run.console.print(orders_table(orders, title=f"QFEX get_order {DEMO_SYMBOL} {DEMO_ORDER_ID}"))
    if not orders:
        raise DemoFailed(run.venue, f"get_order({DEMO_SYMBOL}, {DEMO_ORDER_ID})", "the simulator returned no order")
    run.summary.messages = client.stats.answered + client.stats.connects  # answers, plus the auth reply


RUNNERS: Final[dict[str, Callable[[_Run], Coroutine[Any, Any, None]]]] = {
    "futu": _futu,
    "bitmart": _bitmart,
    "infoway": _infoway,
    "coinw": _coinw,
    "qfex": _qfex,
}


def venue_budget(options: DemoOptions) -> float:
    """The most one venue's run may take, all steps included."""
    return 3 * options.seconds + 3 * STEP_TIMEOUT_S


async def run_venue(venue: str, console: Console, options: DemoOptions) -> Summary:
    """One venue's demo (simulator started and stopped inside). Raises DemoFailed."""
    runner = RUNNERS[venue]
    started = time.perf_counter()
    async with contextlib.AsyncExitStack() as stack:
        run = _Run(venue, console, options, stack)
        budget = venue_budget(options)
        try:
            async with asyncio.timeout(budget):
                await runner(run)
        except TimeoutError:
            raise DemoFailed(venue, run.current, f"the venue did not finish within {budget:g} s") from None
        except DemoFailed:
            raise
        except (VenueError, OSError, ValueError, RuntimeError, AssertionError) as exc:
            raise DemoFailed(venue, run.current, _describe(exc)) from None
    run.summary.seconds = time.perf_counter() - started
    return run.summary


async def run_demo(
    venues: Sequence[str], console: Console, options: DemoOptions, errors: Callable[[str], None]
) -> list[DemoFailed]:
    """Run each venue's demo in turn, printing to `console`; `errors(line)` gets each failure's
    one line as it happens. Returns the failures (empty: every venue passed)."""
    failures: list[DemoFailed] = []
    summaries: list[Summary] = []
    started = time.perf_counter()
    for venue in venues:
        console.rule(f"[bold]{venue}[/bold]: {TITLES[venue]}")
        try:
            summary = await run_venue(venue, console, options)
        except DemoFailed as exc:
            failures.append(exc)
            errors(exc.line())
            continue
        summaries.append(summary)
        console.print(summary.line(), markup=False)
    console.rule("summary")
    for summary in summaries:
        console.print(summary.line(), markup=False)
    for failure in failures:
        console.print(f"{failure.venue}: FAILED while {failure.step}: {failure.what}", markup=False)
    verdict = "all passed" if not failures else f"{len(failures)} failed"
    console.print(f"{len(venues)} venue(s), {verdict}, {time.perf_counter() - started:.1f} s", markup=False)
    return failures
