"""The official futu-api client (`futu.OpenQuoteContext`) against `venuewire sim futu` run as
a subprocess: connect, subscribe HK.00700 to ORDER_BOOK, get_order_book and receive pushes
through an OrderBookHandlerBase, in plaintext, RSA + AES-CBC and RSA + FTAES_ECB.

The official client is thread-based, keeps global settings in `SysConfig` and retries a
failed InitConnect forever: it connects asynchronously here, every wait is bounded, it is
always closed, and every global it touches (encryption, RSA file, thread daemon flag, its
log file handler, the SIGINT handler it installs on import) is restored afterwards.
"""

from __future__ import annotations

import logging
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

_sigint = signal.getsignal(signal.SIGINT)
import futu  # noqa: E402 - futu replaces the SIGINT handler on import (with os._exit(0))
from futu import RET_OK, OpenQuoteContext, OrderBookHandlerBase, SubType, SysConfig  # noqa: E402
from futu.common.conn_mng import FutuConnMng  # noqa: E402
from futu.common.constant import ContextStatus  # noqa: E402
from futu.common.ft_logger import logger as futu_logger  # noqa: E402

if signal.getsignal(signal.SIGINT) is futu.quit_handler:
    signal.signal(signal.SIGINT, _sigint if callable(_sigint) else signal.default_int_handler)

from venuewire.sim.opend import book_generator  # noqa: E402

pytestmark = [
    pytest.mark.interop,
    pytest.mark.timeout(90),
    pytest.mark.filterwarnings("ignore:setDaemon:DeprecationWarning"),  # futu-api's own threads
]

KEY = Path(futu.__file__).parent / "common" / "conn_key.txt"
PUSH_INTERVAL = 0.1
READY_LINE = re.compile(r"listening on 127\.0\.0\.1:(\d+)")
MODES = ["plain", "cbc", "ecb"]

BookLevels = list[tuple[float, Any, int, dict[Any, Any]]]


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.02)


@contextmanager
def simulator(*options: str) -> Iterator[int]:
    """`venuewire sim futu --port 0 ...` as a subprocess; yields its port, stops it after."""
    command = [sys.executable, "-m", "venuewire", "sim", "futu", "--port", "0", "--push-interval", str(PUSH_INTERVAL)]
    with _process([*command, *options]) as (port, _proc, _lines):
        yield port


# The simulator with a clock the test moves: SIGUSR1 adds a minute (the unsubscribe rule's),
# acknowledged with a line on stdout; SIGTERM stops it with exit code 0.
CLOCKED_SIMULATOR = """
import asyncio, signal, sys, time
from venuewire.generated.registry import OPEND
from venuewire.sim.opend import OpenDSimulator

offset = 0.0

def clock():
    return time.time() + offset

def advance():
    global offset
    offset += OPEND.unsubscribe_after_s
    print("clock advanced", flush=True)

async def main():
    stop = asyncio.Event()
    async with OpenDSimulator("127.0.0.1", 0, push_interval=float(sys.argv[1]), clock=clock) as sim:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGUSR1, advance)
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        print(f"listening on 127.0.0.1:{sim.port}", flush=True)
        await stop.wait()

asyncio.run(main())
"""


@contextmanager
def clocked_simulator() -> Iterator[tuple[int, Callable[[], None]]]:
    """The simulator with a test-driven clock, as a subprocess: yields (port, advance), where
    advance() moves its clock on by a minute and returns once it has."""
    command = [sys.executable, "-c", CLOCKED_SIMULATOR, str(PUSH_INTERVAL)]
    with _process(command) as (port, proc, lines):

        def advance() -> None:
            proc.send_signal(signal.SIGUSR1)
            line = lines.get(timeout=10)
            assert line.strip() == "clock advanced", line

        yield port, advance


@contextmanager
def _process(command: list[str]) -> Iterator[tuple[int, subprocess.Popen[str], queue.Queue[str]]]:
    """Run a simulator process printing `listening on 127.0.0.1:PORT`; yields (port, the
    process, its later stdout lines); terminates it after and checks it exited 0."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or ()], daemon=True).start()
    try:
        try:
            line = lines.get(timeout=20)
        except queue.Empty:
            raise AssertionError("the simulator printed no ready line within 20 s") from None
        match = READY_LINE.fullmatch(line.rstrip("\n"))
        assert match, f"unexpected ready line {line!r}"
        yield int(match.group(1)), proc, lines
    finally:
        proc.terminate()
        try:
            code = proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            raise
        stderr = proc.stderr.read() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        assert code == 0, f"the simulator exited with {code}: {stderr}"


@pytest.fixture
def futu_globals(tmp_path: Path) -> Iterator[None]:
    """Isolate futu-api's process-wide settings; its log file goes to tmp_path."""
    saved = (SysConfig.IS_PROTO_ENCRYPT, SysConfig.INIT_RSA_FILE, SysConfig.get_all_thread_daemon())
    old_handler = futu_logger.fileHandler
    new_handler = logging.FileHandler(tmp_path / "futu-api.log", encoding="utf-8")
    new_handler.setLevel(old_handler.level)
    new_handler.setFormatter(futu_logger.formatter)
    futu_logger.file_logger.removeHandler(old_handler)
    futu_logger.file_logger.addHandler(new_handler)
    futu_logger.fileHandler = new_handler
    SysConfig.set_all_thread_daemon(True)  # a thread it forgets never blocks interpreter exit
    try:
        yield
    finally:
        SysConfig.enable_proto_encrypt(saved[0])
        SysConfig.set_init_rsa_file(saved[1])
        SysConfig.set_all_thread_daemon(saved[2])
        futu_logger.file_logger.removeHandler(new_handler)
        futu_logger.file_logger.addHandler(old_handler)
        futu_logger.fileHandler = old_handler
        new_handler.close()


class Recorder(OrderBookHandlerBase):  # type: ignore[misc]
    """Keeps every parsed order-book push."""

    def __init__(self) -> None:
        super().__init__()
        self.books: list[dict[str, Any]] = []
        self.errors: list[Any] = []

    def on_recv_rsp(self, rsp_pb: Any) -> tuple[int, Any]:
        ret, data = super().on_recv_rsp(rsp_pb)
        (self.books if ret == RET_OK else self.errors).append(data)
        return ret, data


def as_levels(levels: BookLevels) -> list[tuple[float, int, int]]:
    return [(price, int(volume), orders) for price, volume, orders, _detail in levels]


def matches_some_step(book: dict[str, Any], depth: int, max_step: int = 3000) -> bool:
    """Whether this book is the simulator's deterministic book at some step (bids and asks)."""
    gen = book_generator(book["code"], levels=depth)  # the top `depth` levels of the served book
    wanted = (as_levels(book["Bid"]), as_levels(book["Ask"]))
    for step in range(max_step):
        bids, asks = gen.snapshot(step)
        if ([(float(p), int(s), n) for p, s, n in bids], [(float(p), int(s), n) for p, s, n in asks]) == wanted:
            return True
    return False


def assert_well_formed(book: dict[str, Any], depth: int) -> None:
    assert book["code"] == "HK.00700"
    assert len(book["Bid"]) == len(book["Ask"]) == depth
    bid_prices = [level[0] for level in book["Bid"]]
    ask_prices = [level[0] for level in book["Ask"]]
    assert bid_prices == sorted(bid_prices, reverse=True) and len(set(bid_prices)) == depth
    assert ask_prices == sorted(ask_prices) and len(set(ask_prices)) == depth
    assert bid_prices[0] < ask_prices[0]
    assert all(volume > 0 and orders > 0 for _, volume, orders, _ in book["Bid"] + book["Ask"])


@pytest.mark.parametrize("mode", MODES)
def test_official_client_subscribes_reads_the_book_and_receives_pushes(mode: str, futu_globals: None) -> None:
    options: list[str] = []
    if mode != "plain":
        options = ["--rsa-key", str(KEY), f"--{mode}"]
        SysConfig.enable_proto_encrypt(True)
        SysConfig.set_init_rsa_file(str(KEY))
    with simulator(*options) as port:
        ctx = OpenQuoteContext(host="127.0.0.1", port=port, is_async_connect=True)
        try:
            wait_until(lambda: ctx.status == ContextStatus.READY, 20, "InitConnect")
            conn = FutuConnMng.get_conn_info(ctx.get_sync_conn_id())
            assert conn is not None and conn["is_encrypt"] is (mode != "plain")
            assert len(conn["conn_key"]) == 16
            if mode == "cbc":
                assert conn["conn_iv"] is not None and len(conn["conn_iv"]) == 16
            else:
                assert conn["conn_iv"] is None  # ecb: FTAES_ECB; plain: no AES at all

            recorder = Recorder()
            assert ctx.set_handler(recorder) == RET_OK

            ret, message = ctx.get_order_book("HK.00700", num=10)
            assert ret != RET_OK and "subscribe" in message.lower(), "like OpenD: no book before subscribing"

            ret, message = ctx.subscribe(["HK.00700"], [SubType.ORDER_BOOK])
            assert ret == RET_OK, message

            ret, book = ctx.get_order_book("HK.00700", num=10)
            assert ret == RET_OK, book
            assert_well_formed(book, 10)
            assert book["name"] == "TENCENT"
            assert matches_some_step(book, 10), "the book is the simulator's BookGenerator at some step"

            wait_until(lambda: len(recorder.books) >= 3, 15, "three order-book pushes")
            assert recorder.errors == []
            for push in recorder.books[:3]:
                assert_well_formed(push, 10)
                assert matches_some_step(push, 10)

            ret, state = ctx.get_global_state()
            assert ret == RET_OK and state["qot_logined"] is True
        finally:
            ctx.close()


@pytest.mark.parametrize("everything", [False, True], ids=["unsubscribe", "unsubscribe_all"])
def test_official_client_stops_receiving_pushes_after_unsubscribe(everything: bool, futu_globals: None) -> None:
    with clocked_simulator() as (port, advance_clock):
        ctx = OpenQuoteContext(host="127.0.0.1", port=port, is_async_connect=True)
        try:
            wait_until(lambda: ctx.status == ContextStatus.READY, 20, "InitConnect")
            recorder = Recorder()
            ctx.set_handler(recorder)
            assert ctx.subscribe(["HK.00700"], [SubType.ORDER_BOOK])[0] == RET_OK
            wait_until(lambda: len(recorder.books) >= 1, 15, "a push")

            def unsubscribe() -> tuple[int, str]:
                if everything:
                    return ctx.unsubscribe_all()  # type: ignore[no-any-return]
                # also sends Qot_RegQotPush, which the simulator answers "unsupported"; ignored
                return ctx.unsubscribe(["HK.00700"], [SubType.ORDER_BOOK])  # type: ignore[no-any-return]

            ret, message = unsubscribe()
            assert ret != RET_OK and "minute" in message, "like OpenD: no unsubscribe within a minute"
            advance_clock()
            ret, message = unsubscribe()
            assert ret == RET_OK, message
            time.sleep(3 * PUSH_INTERVAL)
            count = len(recorder.books)
            time.sleep(5 * PUSH_INTERVAL)
            assert len(recorder.books) == count
            ret, _ = ctx.get_order_book("HK.00700", num=10)
            assert ret != RET_OK
        finally:
            ctx.close()
