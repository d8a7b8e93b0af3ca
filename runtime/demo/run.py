"""Running the demo: bounded steps, one summary per venue, failures as one line.

`run_demo` runs each venue's section (the table row's `demo`, in venuewire.demo.sections) in
turn: `run_venue` starts the row's simulator on 127.0.0.1 and a free port, opens the row's
client against it and hands both to the section, all within a budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol, TypeVar

from rich.console import Console

from venuewire.capture.format import CaptureWriter, read_capture
from venuewire.capture.tap import new_capture
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
    `capture`: where the session's recording is kept (a new file there, or beside it when it
    exists; None: a temporary file, removed at the end). `unreachable` and `prepare`: test
    hooks (see the module doc)."""

    seconds: float = 3.0
    levels: int = 10
    capture: str | os.PathLike[str] | None = None
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

    def __init__(
        self,
        venue: str,
        console: Console,
        options: DemoOptions,
        stack: contextlib.AsyncExitStack,
        capture: CaptureWriter | None = None,
    ) -> None:
        self.venue = venue
        self.console = console
        self.options = options
        self.stack = stack
        self.capture = capture
        """What the run's client records to (None: no recording)."""
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
    client = tool.client(sim, CLIENT_TIMEOUT_S, run.dial_port, capture=run.capture)
    run.closing(f"closing the {tool.title} client", client.close)
    await section(run, sim, client)


async def _bounded(run: Run, body: Callable[[Run], Awaitable[None]]) -> None:
    """`body(run)` within the venue budget; any failure becomes DemoFailed."""
    budget = venue_budget(run.options)
    try:
        async with asyncio.timeout(budget):
            await body(run)
    except TimeoutError:
        raise DemoFailed(run.venue, run.current, f"the venue did not finish within {budget:g} s") from None
    except DemoFailed:
        raise
    except (VenueError, OSError, ValueError, RuntimeError, AssertionError) as exc:
        raise DemoFailed(run.venue, run.current, _describe(exc)) from None


async def run_venue(
    venue: str, console: Console, options: DemoOptions, capture: CaptureWriter | None = None
) -> Summary:
    """One venue's demo (simulator started and stopped inside), its client recording to
    `capture` when given. Raises DemoFailed."""
    started = time.perf_counter()
    async with contextlib.AsyncExitStack() as stack:
        run = Run(venue, console, options, stack, capture)
        await _bounded(run, _section)
    run.summary.seconds = time.perf_counter() - started
    return run.summary


REPLAY: Final = "replay"
"""The name of the last section (replay and drift report) in its failure line."""


@contextlib.contextmanager
def _recording(options: DemoOptions) -> Iterator[tuple[CaptureWriter, str]]:
    """The session's capture writer and how to name it: on `options.capture`, or on a
    temporary file removed when the demo ends."""
    if options.capture is not None:
        with new_capture(options.capture) as writer:
            yield writer, str(writer.path)
        return
    with (
        tempfile.TemporaryDirectory(prefix="venuewire-demo-") as folder,
        CaptureWriter(Path(folder) / "demo.jsonl") as writer,
    ):
        yield writer, "a temporary file (venuewire demo --capture PATH keeps it)"


async def _replay_and_check(
    console: Console, options: DemoOptions, writer: CaptureWriter, where: str, failed: Sequence[str]
) -> None:
    """The last section (venuewire.demo.replay) on the closed capture, the `failed` venues'
    records left out (their traffic broke off, or was broken on purpose). Raises DemoFailed."""
    from venuewire.demo.replay import replay_section

    writer.close()
    capture = read_capture(writer.path)
    async with contextlib.AsyncExitStack() as stack:
        run = Run(REPLAY, console, options, stack)

        async def body(run: Run) -> None:
            await replay_section(run, capture, where, left_out=failed)

        await _bounded(run, body)


async def run_demo(
    venues: Sequence[str], console: Console, options: DemoOptions, errors: Callable[[str], None]
) -> list[DemoFailed]:
    """Run each venue's demo in turn, printing to `console`, every client recording into one
    capture; then replay a part of the capture and print its drift report. `errors(line)` gets
    each failure's one line as it happens. Returns the failures (empty: everything passed)."""
    failures: list[DemoFailed] = []
    summaries: list[Summary] = []
    started = time.perf_counter()
    with _recording(options) as (writer, where):
        for venue in venues:
            tool = BY_KEY[venue]
            console.rule(f"[bold]{venue}[/bold]: {tool.title} ({tool.demo_shows})")
            try:
                summary = await run_venue(venue, console, options, writer)
            except DemoFailed as exc:
                failures.append(exc)
                errors(exc.line())
                continue
            summaries.append(summary)
            console.print(summary.line(), markup=False)
        console.rule(f"[bold]{REPLAY}[/bold]: the session's capture, replayed and checked against the schemas")
        try:
            await _replay_and_check(console, options, writer, where, [f.venue for f in failures])
        except DemoFailed as exc:
            failures.append(exc)
            errors(exc.line())
    console.rule("summary")
    for summary in summaries:
        console.print(summary.line(), markup=False)
    for failure in failures:
        console.print(f"{failure.venue}: FAILED while {failure.step}: {failure.what}", markup=False)
    verdict = "all passed" if not failures else f"{len(failures)} failed"
    console.print(f"{len(venues)} venue(s), {verdict}, {time.perf_counter() - started:.1f} s", markup=False)
    return failures
