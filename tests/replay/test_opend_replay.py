"""OpenD: a session of our client against our simulator, recorded through the proxy, replayed;
the same client gets the recorded replies (serials renumbered) and pushes, in recorded order."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from venuewire import OpenDClient, OpenDError, SubType
from venuewire.capture import CaptureTarget
from venuewire.capture.format import Capture, CaptureWriter, read_capture
from venuewire.events import StreamEvent
from venuewire.generated.futu import Qot_Common_pb2, Qot_GetMarketState_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.registry import OpenDProtoID
from venuewire.opend.frame import HEADER, HEADER_SIZE
from venuewire.replay import Replay
from venuewire.sim.opend import OpenDSimulator

from .recording import OpenDRecorder

pytestmark = pytest.mark.timeout(60)

PUSHES = 3


async def opend_session(
    host: str, port: int, capture: CaptureTarget = None, rsa_key_path: str | None = None
) -> tuple[bytes, list[bytes]]:
    """Subscribe, one order book, then PUSHES pushes: (the book's S2C bytes, each push's S2C bytes)."""
    async with OpenDClient(
        host=host, port=port, timeout=5, reconnect=False, capture=capture, rsa_key_path=rsa_key_path
    ) as client:
        await client.subscribe(["HK.00700"], sub_types=[SubType.OrderBook], push=True)
        book = await client.get_order_book("HK.00700", num=5)
        pushes: list[bytes] = []
        async with asyncio.timeout(20):
            async for item in client.order_book_updates("HK.00700"):
                if isinstance(item, StreamEvent):
                    continue
                pushes.append(item.SerializeToString())
                if len(pushes) == PUSHES:
                    break
        return book.SerializeToString(), pushes


def captured_pushes(capture: Capture) -> list[bytes]:
    """The S2C bytes of every Qot_UpdateOrderBook push in the capture, in order."""
    out = []
    for r in capture.records:
        if r.transport == "opend" and r.direction == "in" and r.meta["proto_id"] == OpenDProtoID.Qot_UpdateOrderBook:
            out.append(Qot_UpdateOrderBook_pb2.Response.FromString(r.data[HEADER_SIZE:]).s2c.SerializeToString())
    return out


async def record(path: Path) -> tuple[bytes, list[bytes]]:
    with CaptureWriter(path) as writer:
        async with (
            OpenDSimulator(port=0, push_interval=0.05) as sim,
            OpenDRecorder(writer, sim.host, sim.port) as proxy,
        ):
            return await opend_session(proxy.host, proxy.port)


async def test_our_client_gets_the_recorded_replies_and_pushes(tmp_path: Path) -> None:
    path = tmp_path / "futu.jsonl"
    recorded_book, recorded_pushes = await record(path)
    capture = read_capture(path)
    async with Replay(capture, speed=1) as replay:  # the recorded pace: pushes come once the stream listens
        host, port = replay.address_for("futu")
        book, pushes = await opend_session(host, port)
    assert book == recorded_book
    captured = captured_pushes(capture)
    assert len(captured) > PUSHES and set(recorded_pushes) <= set(captured)
    indices = [captured.index(push) for push in pushes]  # the recorded pushes, in recorded order
    assert indices == list(range(indices[0], indices[0] + PUSHES))
    assert replay.unanswered == []


async def test_serials_are_renumbered_to_the_live_request(tmp_path: Path) -> None:
    path = tmp_path / "futu.jsonl"
    await record(path)
    recorded = {r.meta["serial"] for r in read_capture(path).records if r.transport == "opend" and r.direction == "out"}
    async with Replay(path, speed=0) as replay:
        reader, writer = await asyncio.open_connection(*replay.address_for("futu"))
        try:
            frames = [r for r in read_capture(path).records if r.transport == "opend" and r.direction == "out"]
            first = frames[0].data  # InitConnect as recorded, sent with another serial
            serial = max(recorded) + 1000
            header = bytearray(first[:HEADER_SIZE])
            HEADER.pack_into(header, 0, *(HEADER.unpack_from(first)[:4]), serial, *HEADER.unpack_from(first)[5:])
            writer.write(bytes(header) + first[HEADER_SIZE:])
            await writer.drain()
            reply = await asyncio.wait_for(reader.readexactly(HEADER_SIZE), 5)
        finally:
            writer.close()
    _magic, proto_id, _fmt, _ver, got_serial, *_ = HEADER.unpack_from(reply)
    assert (proto_id, got_serial) == (frames[0].meta["proto_id"], serial)


async def test_a_request_the_capture_never_answered_fails_clearly_and_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "futu.jsonl"
    await record(path)
    async with (
        Replay(path, speed=0) as replay,
        OpenDClient(*replay.address_for("futu"), timeout=5, reconnect=False) as client,
    ):
        c2s = Qot_GetMarketState_pb2.C2S(securityList=[Qot_Common_pb2.Security(market=1, code="00700")])
        with pytest.raises(OpenDError, match="no recorded reply for protoID 3223"):
            await client.request(Qot_GetMarketState_pb2.Request(c2s=c2s))
    assert [str(u) for u in replay.unanswered] == ["futu opend: protoID 3223 (Qot_GetMarketState)"]
