"""A capture whose file becomes unwritable (a full disk, simulated by a file that raises
OSError on write): the recording client goes on, recording stops with one logged warning,
`client.capture.failed` says why, and the file reads up to its last whole record."""

from __future__ import annotations

import asyncio
import errno
import logging
from pathlib import Path
from typing import IO

import pytest

from venuewire import OpenDClient, SubType
from venuewire.bitmart import BitmartClient
from venuewire.capture.format import CaptureWriter, read_capture
from venuewire.capture.tap import ENV_VAR
from venuewire.coinw import CoinwClient
from venuewire.credentials import BitmartCredentials, CoinwCredentials
from venuewire.models import OrderBook
from venuewire.sim.bitmart import BitmartSimulator
from venuewire.sim.coinw import CoinwSimulator
from venuewire.sim.opend import OpenDSimulator

pytestmark = pytest.mark.timeout(30)


class DiskFull:
    """A capture file that takes `room` more bytes, writes what fits of the next line, then
    raises ENOSPC on every write and flush (as a full disk does)."""

    def __init__(self, file: IO[bytes], room: int) -> None:
        self.file, self.room, self.writes_refused = file, room, 0

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.file.write(data[: self.room])
            self.file.flush()
            self.room = 0
            self.writes_refused += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.file.write(data)

    def flush(self) -> None:
        if self.room == 0 and self.writes_refused:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.file.flush()

    def close(self) -> None:
        self.file.close()


def fill_disk(writer: CaptureWriter, room: int = 0) -> DiskFull:
    disk = DiskFull(writer._file, room)  # type: ignore[arg-type]
    writer._file = disk  # type: ignore[assignment]
    return disk


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "venuewire.capture" and r.levelno == logging.WARNING]


def test_the_writer_stops_with_one_warning_and_the_file_stays_readable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "w.jsonl"
    writer = CaptureWriter(path, redact=["the-secret-value"])
    conn = writer.connection("coinw", "https://api.coinw.com")
    assert writer.write(conn, "coinw", "out", "http-request", b"one", meta={"method": "GET", "target": "/a"}) == 1
    disk = fill_disk(writer, room=20)
    results = [writer.write(conn, "coinw", "in", "ws-text", b"x" * 50) for _ in range(5)]
    writer.close_connection(conn, "coinw")
    writer.close()
    assert results == [-1] * 5
    assert disk.writes_refused == 1  # the writer stopped at the first failure
    assert isinstance(writer.failed, OSError) and writer.failed.errno == errno.ENOSPC
    assert len(warnings(caplog)) == 1
    assert str(path) in warnings(caplog)[0] and "No space left" in warnings(caplog)[0]
    assert "the-secret-value" not in caplog.text
    capture = read_capture(path)
    assert capture.truncated  # the line the disk cut
    assert [r.transport for r in capture.records] == ["open", "http-request"]


def test_a_failing_close_is_the_failure_too(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    writer = CaptureWriter(tmp_path / "c.jsonl")

    class FailsOnClose:
        def close(self) -> None:
            raise OSError(errno.EIO, "Input/output error")

    writer._file = FailsOnClose()  # type: ignore[assignment]
    writer.close()
    writer.close()
    assert writer.failed is not None and writer.failed.errno == errno.EIO
    assert len(warnings(caplog)) == 1


async def test_a_bitmart_stream_goes_on_when_its_capture_disk_fills(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bitmart.jsonl"
    creds = BitmartCredentials("disk-full-key", "disk-full-secret", "disk-full-memo")
    sim = BitmartSimulator(port=0, secret="disk-full-secret", memo="disk-full-memo", push_interval=0.02)
    async with sim, BitmartClient(sim.legacy_url, sim.url, credentials=creds, timeout=3, capture=path) as client:
        assert client.capture is not None and client.capture.failed is None
        books = 0
        stream = client.depth_stream("BTC_USDT", 5)
        async with stream, asyncio.timeout(15):
            async for item in stream:
                if not isinstance(item, OrderBook):
                    continue
                books += 1
                if books == 2:
                    fill_disk(client.capture.writer)
                if books == 8:
                    break
        assert books == 8  # six books decoded after the disk filled
        assert isinstance(client.capture.failed, OSError)
        assert "failed" in repr(client.capture)
    assert len(warnings(caplog)) == 1
    capture = read_capture(path)
    pushes = [r for r in capture.records if r.transport == "ws-binary"]
    assert 2 <= len(pushes) < 8


async def test_coinw_requests_go_on_when_a_shared_capture_disk_fills(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "coinw.jsonl"
    async with CoinwSimulator(api_key="disk-key-1234", secret="disk-secret-1234") as sim:
        with CaptureWriter(path) as shared:
            creds = CoinwCredentials("disk-key-1234", "disk-secret-1234")
            async with CoinwClient(creds, sim.url, capture=shared) as client:
                first = await asyncio.wait_for(client.get_open_orders("plan"), 10)
                fill_disk(shared)
                second = await asyncio.wait_for(client.get_open_orders("plan"), 10)
                third = await asyncio.wait_for(client.get_open_orders("plan"), 10)
                assert client.capture is not None and client.capture.failed is not None
    assert first == second == third
    assert len(warnings(caplog)) == 1
    capture = read_capture(path)
    assert [r.transport for r in capture.records if r.transport.startswith("http")] == [
        "http-request",
        "http-response",
    ]


async def test_an_environment_capture_path_that_cannot_be_opened_turns_recording_off(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "no-such-folder" / "session.jsonl"
    monkeypatch.setenv(ENV_VAR, str(target))
    creds = CoinwCredentials("env-key-12345", "env-secret-12345")
    async with CoinwSimulator(api_key="env-key-12345", secret="env-secret-12345") as sim:
        for _ in range(2):
            async with CoinwClient(creds, sim.url) as client:
                assert client.capture is None
                await asyncio.wait_for(client.get_open_orders("plan"), 10)
    assert len(warnings(caplog)) == 1
    assert str(target) in warnings(caplog)[0] and "recording is off" in warnings(caplog)[0]
    assert not target.parent.exists()


async def test_an_opend_session_goes_on_when_its_capture_disk_fills(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "opend.jsonl"
    async with (
        OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.05) as sim,
        OpenDClient(host="127.0.0.1", port=sim.port, capture=path) as client,
    ):
        await asyncio.wait_for(client.subscribe(["HK.00700"], sub_types=[SubType.OrderBook], push=False), 10)
        first = await asyncio.wait_for(client.get_order_book("HK.00700", num=5), 10)
        assert client.capture is not None
        fill_disk(client.capture.writer, room=100)
        books = [await asyncio.wait_for(client.get_order_book("HK.00700", num=5), 10) for _ in range(3)]
        assert isinstance(client.capture.failed, OSError)
    assert all(type(book) is type(first) and book.security == first.security for book in books)
    assert len(warnings(caplog)) == 1
    capture = read_capture(path)
    assert capture.truncated
    assert any(r.transport == "opend" for r in capture.records)
