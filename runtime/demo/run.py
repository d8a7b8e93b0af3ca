"""Running the demo: bounded steps, one summary per venue, failures as one line.

`run_demo` runs each venue's section (the table row's `demo`, in venuewire.demo.sections) in
turn: `run_venue` starts the row's simulator on 127.0.0.1 and a free port, opens the row's
client against it and hands both to the section, all within a budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TypeVar

from rich.console import Console

from venuewire.cli.venues import BY_KEY
from venuewire.errors import VenueError

T = TypeVar("T")


class _Simulator(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...


S = TypeVar("S", bound=_Simulator)

HOST: Final = "127.0.0.1"
STEP_TIMEOUT_S: Final = 10.0
"""No single step (start a simulator, connect, one request, close) may take longer."""
CLIENT_TIMEOUT_S: Final = 5.0
"""The clients' own request and connect timeouts in the demo."""


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


class Run:
    """The context of one venue's demo: bounded steps, the summary, cleanup."""

    def __init__(self, venue: str, console: Console, options: DemoOptions, stack: contextlib.AsyncExitStack) -> None:
        self.venue = venue
        self.console = console
        self.options = options
        self.stack = stack
        self.summary = Summary(venue)
        self.current = "starting"
        self.dial_port = 0
        """The port the client dials: the simulator's, or a closed one (the `unreachable` hook)."""

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

    async def next_of(
        self, what: str, stream: AsyncIterator[object], kind: type[T], limit: float = STEP_TIMEOUT_S
    ) -> T:
        """The next item of `kind` from `stream` (other items, e.g. stream events, skipped), all
        within `limit` s; a failure, or the stream ending, becomes DemoFailed naming `what`."""

        async def wait() -> T:
            async for item in stream:
                if isinstance(item, kind):
                    return item
            raise DemoFailed(self.venue, what, "the stream ended")

        return await self.step(what, wait(), limit)

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


def venue_budget(options: DemoOptions) -> float:
    """The most one venue's run may take, all steps included."""
    return 3 * options.seconds + 3 * STEP_TIMEOUT_S


async def _section(run: Run) -> None:
    """The row's simulator, started; its client, against it; then the row's demo section."""
    tool = BY_KEY[run.venue]
    run.current = "loading its simulator"
    try:
        section = tool.section()
        sim = tool.client_simulator(HOST, 0)
    except ImportError as exc:
        raise DemoFailed(run.venue, run.current, f"{tool.simulator.path} is not available ({exc})") from None
    await run.start(sim)
    run.dial_port = closed_port() if run.venue in run.options.unreachable else sim.port
    client = tool.client(sim, CLIENT_TIMEOUT_S, run.dial_port)
    run.closing(f"closing the {tool.title} client", client.close)
    await section(run, sim, client)


async def run_venue(venue: str, console: Console, options: DemoOptions) -> Summary:
    """One venue's demo (simulator started and stopped inside). Raises DemoFailed."""
    started = time.perf_counter()
    async with contextlib.AsyncExitStack() as stack:
        run = Run(venue, console, options, stack)
        budget = venue_budget(options)
        try:
            async with asyncio.timeout(budget):
                await _section(run)
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
        tool = BY_KEY[venue]
        console.rule(f"[bold]{venue}[/bold]: {tool.title} ({tool.demo_shows})")
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
