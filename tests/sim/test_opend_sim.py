"""The OpenD simulator driven with raw frames (our frame codec and generated classes) over
asyncio streams on 127.0.0.1, plus the sans-I/O session on its own. Every wait is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import struct
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import pytest
from google.protobuf.message import Message

from venuewire.generated.futu import (
    GetGlobalState_pb2,
    InitConnect_pb2,
    KeepAlive_pb2,
    Qot_Common_pb2,
    Qot_GetOrderBook_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
)
from venuewire.generated.futu.enums import PacketEncAlgo, RetType, SubType
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend.crypto import SessionCipher, load_rsa_key
from venuewire.opend.frame import HEADER, HEADER_SIZE, ChecksumMismatch, Frame, FrameDecoder, encode_frame
from venuewire.sim import opend as sim_module
from venuewire.sim.opend import (
    MAX_LEVELS,
    PUSH_LEVELS,
    Fault,
    OpenDSession,
    OpenDSimulator,
    SessionState,
    SimState,
    book_generator,
)

pytestmark = pytest.mark.timeout(30)

R = TypeVar("R", bound=Message)
WAIT = 3.0
QUIET = 0.3  # how long "nothing arrives" is watched for
HK_00700 = Qot_Common_pb2.Security(market=1, code="00700")
US_AAPL = Qot_Common_pb2.Security(market=11, code="AAPL")


def sample_key() -> Path:
    """futu-api's sample RSA key, found without importing futu (which pulls in pandas)."""
    spec = importlib.util.find_spec("futu")
    assert spec is not None and spec.origin is not None, "futu-api is a test dependency"
    return Path(spec.origin).parent / "common" / "conn_key.txt"


class RawClient:
    """A minimal OpenD client built from the frame codec, for poking at the simulator."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, rsa: bool) -> None:
        self.reader = reader
        self.writer = writer
        self.cipher = SessionCipher(rsa_key=load_rsa_key(sample_key()) if rsa else None)
        self.decoder = FrameDecoder(decrypt=self.cipher.decrypt)
        self.serial = 0
        self.pushes: list[Frame] = []
        self.wire_lengths: dict[int, int] = {}  # serialNo -> bodyLen on the wire

    @classmethod
    async def connect(cls, sim: OpenDSimulator, rsa: bool = False) -> RawClient:
        reader, writer = await asyncio.open_connection(sim.host, sim.port)
        return cls(reader, writer, rsa)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            await asyncio.wait_for(self.writer.wait_closed(), WAIT)

    def write(self, data: bytes) -> None:
        self.writer.write(data)

    def send(self, proto_id: int, request: Message | bytes, serial: int | None = None) -> int:
        self.serial = serial if serial is not None else self.serial + 1
        body = request if isinstance(request, bytes) else encode_proto(request)
        self.write(encode_frame(proto_id, self.serial, body, encrypt=self.cipher.encrypt))
        return self.serial

    async def read_raw(self, within: float = WAIT) -> tuple[bytes, bytes]:
        header = await asyncio.wait_for(self.reader.readexactly(HEADER_SIZE), within)
        body_len = HEADER.unpack(header)[5]
        body = await asyncio.wait_for(self.reader.readexactly(body_len), within)
        return header, body

    async def recv(self, within: float = WAIT) -> Frame:
        header, body = await self.read_raw(within)
        self.wire_lengths[HEADER.unpack(header)[4]] = len(body)
        (frame,) = self.decoder.frames(header + body)
        return frame

    async def reply(self, within: float = WAIT) -> Frame:
        """The next frame that is not a push (pushes are kept in `self.pushes`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            frame = await self.recv(max(0.01, deadline - loop.time()))
            if frame.proto_id == OpenDProtoID.Qot_UpdateOrderBook:
                self.pushes.append(frame)
                continue
            return frame

    async def request(self, proto_id: int, request: Message | bytes, response: type[R]) -> R:
        serial = self.send(proto_id, request)
        frame = await self.reply()
        assert (frame.proto_id, frame.serial_no) == (proto_id, serial)
        return decode_proto(response, frame.body)

    async def init(self, enc_algo: int = PacketEncAlgo.None_) -> InitConnect_pb2.S2C:
        c2s = InitConnect_pb2.C2S(clientVer=300, clientID="tests", recvNotify=True, packetEncAlgo=enc_algo)
        reply = await self.request(OpenDProtoID.InitConnect, InitConnect_pb2.Request(c2s=c2s), InitConnect_pb2.Response)
        assert reply.retType == RetType.Succeed, reply.retMsg
        if self.cipher.enabled:
            self.cipher.set_aes(reply.s2c.connAESKey, reply.s2c.aesCBCiv if reply.s2c.HasField("aesCBCiv") else None)
        return reply.s2c

    async def keep_alive(self) -> KeepAlive_pb2.Response:
        return await self.request(
            OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)), KeepAlive_pb2.Response
        )

    async def sub(
        self,
        *securities: Qot_Common_pb2.Security,
        sub: bool = True,
        push: bool | None = None,
        first_push: bool | None = None,
        sub_types: tuple[int, ...] = (SubType.OrderBook,),
        unsub_all: bool = False,
    ) -> Qot_Sub_pb2.Response:
        c2s = Qot_Sub_pb2.C2S(securityList=securities, subTypeList=sub_types, isSubOrUnSub=sub)
        if push is not None:
            c2s.isRegOrUnRegPush = push
        if first_push is not None:
            c2s.isFirstPush = first_push
        if unsub_all:
            c2s.isUnsubAll = True
        return await self.request(OpenDProtoID.Qot_Sub, Qot_Sub_pb2.Request(c2s=c2s), Qot_Sub_pb2.Response)

    async def order_book(self, security: Qot_Common_pb2.Security, num: int = 10) -> Qot_GetOrderBook_pb2.Response:
        request = Qot_GetOrderBook_pb2.Request(c2s=Qot_GetOrderBook_pb2.C2S(security=security, num=num))
        return await self.request(OpenDProtoID.Qot_GetOrderBook, request, Qot_GetOrderBook_pb2.Response)

    async def closed_by_peer(self, within: float = WAIT) -> bytes:
        """Everything the server still sends until it closes; fails if it does not close."""
        return await asyncio.wait_for(self.reader.read(), within)

    async def silent(self, seconds: float = QUIET) -> bool:
        try:
            data = await asyncio.wait_for(self.reader.read(1), seconds)
        except TimeoutError:
            return True
        assert data, "the connection was closed"
        return False

    async def collect_pushes(self, seconds: float) -> list[Qot_UpdateOrderBook_pb2.Response]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                frame = await self.recv(left)
            except TimeoutError:
                break
            assert frame.proto_id == OpenDProtoID.Qot_UpdateOrderBook
            self.pushes.append(frame)
        out = [decode_proto(Qot_UpdateOrderBook_pb2.Response, f.body) for f in self.pushes]
        self.pushes.clear()
        return out


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    # a long push interval: the book step stays 0 unless a test wants pushes
    async with OpenDSimulator(host="127.0.0.1", port=0, push_interval=60) as server:
        yield server


@pytest.fixture
async def pushing() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.03) as server:
        yield server


@pytest.fixture
async def client(sim: OpenDSimulator) -> AsyncIterator[RawClient]:
    raw = await RawClient.connect(sim)
    await raw.init()
    yield raw
    await raw.close()


def wire_book(levels: list[tuple[object, object, int]]) -> list[tuple[float, int, int]]:
    return [(float(str(p)), int(str(s)), n) for p, s, n in levels]


def as_tuples(levels: list[Qot_Common_pb2.OrderBook]) -> list[tuple[float, int, int]]:
    return [(lv.price, lv.volume, lv.orederCount) for lv in levels]


async def wait_for(predicate: object, within: float = WAIT) -> None:
    assert callable(predicate)
    for _ in range(int(within / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached in time")


# --- InitConnect -------------------------------------------------------------------------------


async def test_plain_init_connect_answers_every_session_field(sim):
    raw = await RawClient.connect(sim)
    try:
        s2c = await raw.init()
        assert s2c.serverVer > 0 and s2c.loginUserID > 0 and s2c.connID > 0
        assert len(s2c.connAESKey) == 16 and s2c.connAESKey.isascii() and s2c.connAESKey.isalnum()
        assert s2c.keepAliveInterval == 10
        assert not s2c.HasField("aesCBCiv")
        assert sim.connections == 1
        assert sim.requests == [(OpenDProtoID.InitConnect, 1)]
    finally:
        await raw.close()


async def test_every_connection_gets_its_own_conn_id_and_key(sim):
    first, second = await RawClient.connect(sim), await RawClient.connect(sim)
    try:
        one, two = await first.init(), await second.init()
        assert one.connID != two.connID and one.connAESKey != two.connAESKey
        await wait_for(lambda: sim.connections == 2)
    finally:
        await first.close()
        await second.close()
    await wait_for(lambda: sim.connections == 0)


@pytest.mark.parametrize("mode", ["cbc", "ecb"])
async def test_encrypted_session_rsa_then_aes(mode):
    async with OpenDSimulator(port=0, rsa_key_path=sample_key(), aes_mode=mode, keepalive_interval=7) as sim:
        raw = await RawClient.connect(sim, rsa=True)
        try:
            s2c = await raw.init(PacketEncAlgo.AES_CBC)
            assert raw.wire_lengths[1] % 128 == 0, "the InitConnect reply is RSA: 128-byte blocks"
            assert s2c.keepAliveInterval == 7
            if mode == "cbc":
                assert len(s2c.aesCBCiv) == 16 and s2c.aesCBCiv.isascii()
            else:
                assert not s2c.HasField("aesCBCiv")
            reply = await raw.keep_alive()
            assert reply.retType == RetType.Succeed and reply.s2c.time > 0
            plain_len = len(encode_proto(reply))
            expected = 16 * (plain_len // 16 + 1) if mode == "cbc" else -(-plain_len // 16) * 16 + 16
            assert raw.wire_lengths[2] == expected
        finally:
            await raw.close()


async def test_an_unencrypted_init_connect_to_an_encrypting_server_is_closed():
    async with OpenDSimulator(port=0, rsa_key_path=sample_key()) as sim:
        raw = await RawClient.connect(sim, rsa=False)
        try:
            raw.send(
                OpenDProtoID.InitConnect, InitConnect_pb2.Request(c2s=InitConnect_pb2.C2S(clientVer=1, clientID="x"))
            )
            assert await raw.closed_by_peer() == b""
        finally:
            await raw.close()


async def test_nothing_but_init_connect_before_init_connect(sim):
    raw = await RawClient.connect(sim)
    try:
        raw.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
        assert await raw.closed_by_peer() == b"", "no reply, just a close"
    finally:
        await raw.close()
    await wait_for(lambda: sim.connections == 0)
    again = await RawClient.connect(sim)  # the server itself is fine
    try:
        await again.init()
    finally:
        await again.close()


async def test_init_connect_twice_is_refused_but_keeps_the_connection(client):
    c2s = InitConnect_pb2.C2S(clientVer=300, clientID="tests")
    reply = await client.request(OpenDProtoID.InitConnect, InitConnect_pb2.Request(c2s=c2s), InitConnect_pb2.Response)
    assert reply.retType == RetType.Failed and "already" in reply.retMsg
    assert (await client.keep_alive()).retType == RetType.Succeed


# --- requests ----------------------------------------------------------------------------------


async def test_keep_alive_echoes_server_time_and_serial(client):
    serial = client.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=5)), serial=777)
    frame = await client.reply()
    assert (frame.proto_id, frame.serial_no) == (OpenDProtoID.KeepAlive, serial)
    assert abs(decode_proto(KeepAlive_pb2.Response, frame.body).s2c.time - time.time()) < 5


async def test_global_state_has_every_required_field(client):
    request = GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0))
    reply = await client.request(OpenDProtoID.GetGlobalState, request, GetGlobalState_pb2.Response)
    assert reply.retType == RetType.Succeed
    assert reply.s2c.IsInitialized() and reply.s2c.qotLogined and reply.s2c.serverVer > 0 and reply.s2c.time > 0


async def test_order_book_is_refused_before_subscribing_then_served(sim, client):
    refused = await client.order_book(HK_00700)
    assert refused.retType == RetType.Failed
    assert "HK.00700" in refused.retMsg and "subscribe" in refused.retMsg.lower()
    assert not refused.HasField("s2c")

    assert (await client.sub(HK_00700, push=False)).retType == RetType.Succeed
    reply = await client.order_book(HK_00700, num=7)
    assert reply.retType == RetType.Succeed
    s2c = reply.s2c
    assert (s2c.security.market, s2c.security.code) == (1, "00700") and s2c.name
    bids, asks = sim.book("HK.00700").snapshot(sim.step)
    assert as_tuples(s2c.orderBookBidList) == wire_book(bids[:7])
    assert as_tuples(s2c.orderBookAskList) == wire_book(asks[:7])
    assert s2c.orderBookBidList[0].price < s2c.orderBookAskList[0].price
    assert s2c.svrRecvTimeBidTimestamp > 0 and s2c.svrRecvTimeAsk


async def test_the_book_is_the_public_generator_at_the_current_step(sim, client):
    await client.sub(US_AAPL)
    sim.state.step = 1234
    s2c = (await client.order_book(US_AAPL, num=3)).s2c
    bids, asks = book_generator("US.AAPL").snapshot(1234)
    assert as_tuples(s2c.orderBookBidList) == wire_book(bids[:3])
    assert as_tuples(s2c.orderBookAskList) == wire_book(asks[:3])


async def test_order_book_depth_is_capped_and_must_be_positive(client):
    await client.sub(HK_00700)
    deep = await client.order_book(HK_00700, num=1000)
    assert len(deep.s2c.orderBookAskList) == len(deep.s2c.orderBookBidList) == MAX_LEVELS
    assert (await client.order_book(HK_00700, num=0)).retType == RetType.Failed


async def test_subscriptions_belong_to_their_connection(sim, client):
    await client.sub(HK_00700)
    other = await RawClient.connect(sim)
    try:
        await other.init()
        assert (await other.order_book(HK_00700)).retType == RetType.Failed
        assert (await client.order_book(HK_00700)).retType == RetType.Succeed
    finally:
        await other.close()


async def test_a_subscription_to_another_sub_type_does_not_serve_the_book(client):
    await client.sub(HK_00700, sub_types=(SubType.Basic, SubType.Ticker))
    assert (await client.order_book(HK_00700)).retType == RetType.Failed


async def test_bad_subscriptions_are_refused(client):
    assert (await client.sub(HK_00700, sub_types=(99,))).retType == RetType.Failed
    assert (await client.sub(Qot_Common_pb2.Security(market=0, code="X"))).retType == RetType.Failed
    assert (await client.sub(sub_types=())).retType == RetType.Failed


async def test_missing_required_fields_get_retType_invalid_naming_them(client):
    body = Qot_Sub_pb2.Request(c2s=Qot_Sub_pb2.C2S(securityList=[HK_00700], subTypeList=[2])).SerializePartialToString()
    reply = await client.request(OpenDProtoID.Qot_Sub, body, Qot_Sub_pb2.Response)
    assert reply.retType == RetType.Invalid == -500
    assert "isSubOrUnSub" in reply.retMsg

    body = Qot_GetOrderBook_pb2.Request(
        c2s=Qot_GetOrderBook_pb2.C2S(security=Qot_Common_pb2.Security(market=1))
    ).SerializePartialToString()
    reply = await client.request(OpenDProtoID.Qot_GetOrderBook, body, Qot_GetOrderBook_pb2.Response)
    assert reply.retType == RetType.Invalid
    assert "num" in reply.retMsg and "security.code" in reply.retMsg
    assert (await client.keep_alive()).retType == RetType.Succeed, "the connection stays usable"


async def test_a_corrupt_protobuf_body_gets_retType_invalid(client):
    reply = await client.request(OpenDProtoID.GetGlobalState, b"\x0a\xff\xff", GetGlobalState_pb2.Response)
    assert reply.retType == RetType.Invalid


@pytest.mark.parametrize("proto_id", [OpenDProtoID.Qot_RegQotPush, OpenDProtoID.Qot_UpdateOrderBook, 4242])
async def test_unknown_proto_ids_are_answered_unsupported(client, proto_id):
    serial = client.send(proto_id, b"")
    frame = await client.recv()
    assert (frame.proto_id, frame.serial_no) == (proto_id, serial)
    reply = decode_proto(KeepAlive_pb2.Response, frame.body)
    assert reply.retType == RetType.Failed and "unsupported" in reply.retMsg


async def test_requests_split_into_single_bytes_or_batched_are_all_answered(client):
    frames = [
        encode_frame(OpenDProtoID.KeepAlive, 100 + i, encode_proto(KeepAlive_pb2.Request(c2s={"time": i})))
        for i in range(3)
    ]
    for byte in frames[0]:
        client.write(bytes([byte]))
        await asyncio.sleep(0)
    client.write(frames[1] + frames[2])
    assert [(await client.reply()).serial_no for _ in range(3)] == [100, 101, 102]


# --- pushes ------------------------------------------------------------------------------------


async def test_pushes_only_for_push_registered_subscriptions(pushing):
    raw = await RawClient.connect(pushing)
    try:
        await raw.init()
        await raw.sub(HK_00700, push=True)
        await raw.sub(US_AAPL, push=False)
        pushes = await raw.collect_pushes(0.3)
        assert len(pushes) >= 3
        for push in pushes:
            assert push.retType == RetType.Succeed
            assert (push.s2c.security.market, push.s2c.security.code) == (1, "00700")
            assert len(push.s2c.orderBookBidList) == len(push.s2c.orderBookAskList) == PUSH_LEVELS
        gen = book_generator("HK.00700")
        steps = range(pushing.step + 1)
        for push in pushes:  # every push is the deterministic book at some step
            assert any(
                as_tuples(push.s2c.orderBookBidList) == wire_book(gen.snapshot(s)[0][:PUSH_LEVELS]) for s in steps
            )
    finally:
        await raw.close()


class Clock:
    """A clock the test sets (the simulator's `clock`, Unix seconds)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_pushes_stop_after_unsubscribe():
    clock = Clock(time.time())
    async with OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.03, clock=clock) as pushing:
        await _pushes_stop_after_unsubscribe(pushing, clock)


async def _pushes_stop_after_unsubscribe(pushing: OpenDSimulator, clock: Clock) -> None:
    raw = await RawClient.connect(pushing)
    try:
        await raw.init()
        await raw.sub(HK_00700, US_AAPL, push=True)
        assert await raw.collect_pushes(0.2)
        clock.now += OPEND.unsubscribe_after_s  # OpenD refuses an unsubscribe within a minute
        assert (await raw.sub(HK_00700, sub=False)).retType == RetType.Succeed
        raw.pushes.clear()  # pushes written before the reply may precede it
        codes = {p.s2c.security.code for p in await raw.collect_pushes(0.2)}
        assert codes == {"AAPL"}
        assert (await raw.order_book(HK_00700)).retType == RetType.Failed
        assert (await raw.sub(unsub_all=True, sub=False, sub_types=())).retType == RetType.Succeed
        raw.pushes.clear()
        assert await raw.collect_pushes(0.2) == []
        assert (await raw.order_book(US_AAPL)).retType == RetType.Failed
    finally:
        await raw.close()


async def test_push_registration_can_be_withdrawn_without_unsubscribing(pushing):
    raw = await RawClient.connect(pushing)
    try:
        await raw.init()
        await raw.sub(HK_00700, push=True)
        await raw.sub(HK_00700, push=False)
        raw.pushes.clear()
        assert await raw.collect_pushes(0.2) == []
        assert (await raw.order_book(HK_00700)).retType == RetType.Succeed
        await raw.sub(HK_00700)  # isRegOrUnRegPush absent: registration unchanged
        raw.pushes.clear()
        assert await raw.collect_pushes(0.2) == []
    finally:
        await raw.close()


async def test_first_push_follows_the_subscribe_reply_at_once(sim, client):
    await client.sub(HK_00700, push=True, first_push=True)
    frame = await client.recv(WAIT)  # push_interval is 60 s: this is the first push
    assert frame.proto_id == OpenDProtoID.Qot_UpdateOrderBook
    assert decode_proto(Qot_UpdateOrderBook_pb2.Response, frame.body).s2c.security.code == "00700"


async def test_encrypted_pushes():
    async with OpenDSimulator(port=0, rsa_key_path=sample_key(), aes_mode="ecb", push_interval=0.03) as sim:
        raw = await RawClient.connect(sim, rsa=True)
        try:
            await raw.init()
            await raw.sub(US_AAPL, push=True)
            pushes = await raw.collect_pushes(0.2)
            assert pushes and all(p.s2c.security.code == "AAPL" for p in pushes)
        finally:
            await raw.close()


# --- faults ------------------------------------------------------------------------------------


async def test_fault_drop_mid_frame_writes_half_a_frame_then_closes(sim, client):
    sim.faults.add(Fault.DROP_MID_FRAME)
    client.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    rest = await client.closed_by_peer()
    assert rest.startswith(b"FT")
    if len(rest) >= HEADER_SIZE:
        assert len(rest) < HEADER_SIZE + HEADER.unpack(rest[:HEADER_SIZE])[5]
    await wait_for(lambda: sim.connections == 0)


async def test_fault_stall_keeps_the_connection_open_and_silent(sim, client):
    sim.faults.add(Fault.STALL)
    client.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    assert await client.silent()
    assert sim.connections == 1
    sim.faults.discard(Fault.STALL)
    assert (await client.keep_alive()).retType == RetType.Succeed


async def test_fault_stall_applies_requests_and_silences_pushes(pushing):
    raw = await RawClient.connect(pushing)
    try:
        await raw.init()
        pushing.faults.add(Fault.STALL)
        raw.send(
            OpenDProtoID.Qot_Sub,
            Qot_Sub_pb2.Request(
                c2s={"securityList": [HK_00700], "subTypeList": [2], "isSubOrUnSub": True, "isRegOrUnRegPush": True}
            ),
        )
        assert await raw.silent(0.2)
        pushing.faults.clear()
        assert (await raw.order_book(HK_00700)).retType == RetType.Succeed, "the stalled Qot_Sub was applied"
    finally:
        await raw.close()


async def test_fault_wrong_serial(sim, client):
    sim.faults.add(Fault.WRONG_SERIAL)
    serial = client.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    frame = await client.reply()
    assert frame.serial_no == serial + 1000
    sim.faults.clear()
    assert (await client.keep_alive()).retType == RetType.Succeed


async def test_fault_corrupt_sha1(sim, client):
    sim.faults.add(Fault.CORRUPT_SHA1)
    client.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    with pytest.raises(ChecksumMismatch):
        await client.recv()


async def test_fault_no_keepalive_ignores_only_keepalive(sim, client):
    sim.faults.add(Fault.NO_KEEPALIVE)
    client.send(OpenDProtoID.KeepAlive, KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    assert await client.silent()
    request = GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0))
    assert (await client.request(OpenDProtoID.GetGlobalState, request, GetGlobalState_pb2.Response)).retType == 0


# --- isolation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [
        b"XX" + bytes(60),
        struct.pack("<2sIBBII20s8s", b"FT", 1004, 7, 0, 1, 0, bytes(20), bytes(8)),  # unknown protoFmtType
        encode_frame(OpenDProtoID.KeepAlive, 9, b"\x08\x01")[:16] + bytes(20) + bytes(8) + b"\x08\x01",  # bad SHA-1
    ],
    ids=["magic", "format", "sha1"],
)
async def test_a_garbage_frame_closes_only_that_connection(sim, client, garbage):
    bad = await RawClient.connect(sim)
    try:
        await bad.init()
        await wait_for(lambda: sim.connections == 2)
        bad.write(garbage)
        assert await bad.closed_by_peer() == b""
        await wait_for(lambda: sim.connections == 1)
        assert (await client.keep_alive()).retType == RetType.Succeed
    finally:
        await bad.close()
    fresh = await RawClient.connect(sim)
    try:
        await fresh.init()
    finally:
        await fresh.close()


async def test_a_crash_in_one_connection_never_reaches_the_server(sim, client, monkeypatch):
    def explode(session: OpenDSession, frame: Frame) -> list[bytes]:
        raise RuntimeError("boom")

    monkeypatch.setitem(sim_module._HANDLERS, OpenDProtoID.GetGlobalState, explode)
    victim = await RawClient.connect(sim)
    try:
        await victim.init()
        victim.send(OpenDProtoID.GetGlobalState, GetGlobalState_pb2.Request(c2s={"userID": 0}))
        assert await victim.closed_by_peer() == b""
    finally:
        await victim.close()
    assert (await client.keep_alive()).retType == RetType.Succeed


async def test_drop_connections_closes_every_client_and_keeps_listening(sim):
    clients = [await RawClient.connect(sim) for _ in range(3)]
    try:
        for raw in clients:
            await raw.init()
        await sim.drop_connections()
        for raw in clients:
            assert await raw.closed_by_peer() == b""
        await wait_for(lambda: sim.connections == 0)
        again = await RawClient.connect(sim)
        await again.init()
        await again.close()
    finally:
        for raw in clients:
            await raw.close()


async def test_closing_the_simulator_closes_its_clients():
    sim = OpenDSimulator(port=0)
    await sim.start()
    raw = await RawClient.connect(sim)
    await raw.init()
    await sim.close()
    assert await raw.closed_by_peer() == b""
    await raw.close()
    with pytest.raises(OSError):
        await asyncio.wait_for(asyncio.open_connection(sim.host, sim.port), WAIT)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="aes_mode"):
        OpenDSimulator(aes_mode="gcm")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="push_interval"):
        OpenDSimulator(push_interval=0)


# --- the sans-I/O session ------------------------------------------------------------------------


def make_session(**kwargs: object) -> OpenDSession:
    state = SimState(clock=lambda: 1_700_000_000.5, token=lambda: "K" * 16, **kwargs)  # type: ignore[arg-type]
    return OpenDSession(state, conn_id=42)


KEEP_ALIVE = encode_proto(KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))


def init_frame(serial: int = 1) -> bytes:
    c2s = InitConnect_pb2.C2S(clientVer=300, clientID="tests")
    return encode_frame(OpenDProtoID.InitConnect, serial, encode_proto(InitConnect_pb2.Request(c2s=c2s)))


def test_session_is_deterministic_given_clock_and_token():
    outputs = []
    for _ in range(2):
        session = make_session()
        out = session.receive_data(init_frame())
        out += session.receive_data(encode_frame(OpenDProtoID.KeepAlive, 2, KEEP_ALIVE))
        outputs.append(out)
        assert session.state is SessionState.READY
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2
    (init, keep) = FrameDecoder().frames(b"".join(outputs[0]))
    assert decode_proto(InitConnect_pb2.Response, init.body).s2c.connID == 42
    assert decode_proto(KeepAlive_pb2.Response, keep.body).s2c.time == 1_700_000_000


def test_session_closes_on_a_request_before_init_connect():
    session = make_session()
    assert session.receive_data(encode_frame(OpenDProtoID.KeepAlive, 1, KEEP_ALIVE)) == []
    assert session.state is SessionState.CLOSED and "before InitConnect" in (session.close_reason or "")
    assert session.receive_data(init_frame()) == [], "a closed session says nothing more"


def test_session_closes_on_a_frame_error_and_says_why():
    session = make_session()
    assert session.receive_data(b"GET / HTTP/1.1\r\n") == []
    assert session.closed and "bad frame" in (session.close_reason or "")


def test_session_pushes_nothing_before_init_connect_or_without_registration():
    session = make_session()
    assert session.pushes() == []
    session.receive_data(init_frame())
    session.subscriptions[(1, "00700")] = {SubType.OrderBook: False}
    assert session.pushes() == []
    session.subscriptions[(1, "00700")][SubType.OrderBook] = True
    (push,) = FrameDecoder().frames(b"".join(session.pushes()))
    assert push.proto_id == OpenDProtoID.Qot_UpdateOrderBook


def sub_frame(
    serial: int,
    *keys: tuple[int, str],
    sub: bool = True,
    types: tuple[int, ...] = (SubType.OrderBook,),
    unsub_all: bool = False,
) -> bytes:
    c2s = Qot_Sub_pb2.C2S(subTypeList=types, isSubOrUnSub=sub)
    for market, code in keys:
        c2s.securityList.add(market=market, code=code)
    if unsub_all:
        c2s.isUnsubAll = True
    return encode_frame(OpenDProtoID.Qot_Sub, serial, encode_proto(Qot_Sub_pb2.Request(c2s=c2s)))


def sub_reply(session: OpenDSession, data: bytes) -> Qot_Sub_pb2.Response:
    (reply,) = FrameDecoder().frames(b"".join(session.receive_data(data)))
    return decode_proto(Qot_Sub_pb2.Response, reply.body)


@pytest.mark.parametrize("unsub_all", [False, True], ids=["unsubscribe", "unsubscribe_all"])
def test_an_unsubscribe_within_a_minute_of_the_subscribe_is_refused_like_opend(unsub_all):
    clock = Clock()
    session = OpenDSession(SimState(clock=clock, token=lambda: "K" * 16), conn_id=42)
    session.receive_data(init_frame())
    hk, us = (1, "00700"), (11, "AAPL")
    assert sub_reply(session, sub_frame(2, hk)).retType == RetType.Succeed
    clock.now += 30
    assert sub_reply(session, sub_frame(3, us)).retType == RetType.Succeed
    clock.now += OPEND.unsubscribe_after_s - 30 - 0.5  # HK 59.5 s old, US 29.5 s
    keys, types = ((), ()) if unsub_all else ((hk,), (SubType.OrderBook,))
    unsubscribe = sub_frame(4, *keys, sub=False, types=types, unsub_all=unsub_all)
    refused = sub_reply(session, unsubscribe)
    assert refused.retType == RetType.Failed and "minute" in refused.retMsg and "HK.00700" in refused.retMsg
    assert set(session.subscriptions) == {hk, us}, "a refused unsubscribe changes nothing"
    clock.now += 0.5
    expected = RetType.Failed if unsub_all else RetType.Succeed  # unsubscribe-all still holds US
    assert sub_reply(session, unsubscribe).retType == expected
    clock.now += 30
    assert sub_reply(session, unsubscribe).retType == RetType.Succeed
    assert set(session.subscriptions) == (set() if unsub_all else {us})


def test_a_repeated_subscribe_keeps_its_first_time_and_unknown_subscriptions_unsubscribe_at_once():
    clock = Clock()
    session = OpenDSession(SimState(clock=clock, token=lambda: "K" * 16), conn_id=42)
    session.receive_data(init_frame())
    assert sub_reply(session, sub_frame(2, (1, "00700"))).retType == RetType.Succeed
    clock.now += OPEND.unsubscribe_after_s - 1
    assert sub_reply(session, sub_frame(3, (1, "00700"))).retType == RetType.Succeed
    clock.now += 1
    assert sub_reply(session, sub_frame(4, (1, "00700"), sub=False)).retType == RetType.Succeed
    assert sub_reply(session, sub_frame(5, (11, "TSLA"), sub=False)).retType == RetType.Succeed


async def test_push_sends_any_proto_id_and_body_to_ready_connections_only(sim):
    waiting = await RawClient.connect(sim)  # no InitConnect yet: gets nothing
    ready = await RawClient.connect(sim)
    await ready.init()
    try:
        await sim.push(OpenDProtoID.Notify, b"\x08\x01")
        frame = await ready.recv()
        assert (frame.proto_id, frame.body) == (OpenDProtoID.Notify, b"\x08\x01")
        await sim.push(OpenDProtoID.Qot_UpdateBasicQot, KeepAlive_pb2.Response(retType=0))
        frame = await ready.recv()
        assert frame.proto_id == OpenDProtoID.Qot_UpdateBasicQot
        assert decode_proto(KeepAlive_pb2.Response, frame.body).retType == 0
        with pytest.raises(TimeoutError):
            await waiting.recv(within=QUIET)
    finally:
        await waiting.close()
        await ready.close()
