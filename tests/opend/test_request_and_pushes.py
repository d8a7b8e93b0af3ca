"""`OpenDClient.request` (any declared request message, typed reply) and `pushes` (a typed
stream per declared push protoID) against the simulator, and the generated dispatch tables
they read."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from google.protobuf.message import Message

from tests.opend import typed_opend_usage
from venuewire import OpenDClient, OpenDError, decode_proto_json
from venuewire.errors import InvalidRequest, MissingRequiredFields
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.futu import (
    GetGlobalState_pb2,
    InitConnect_pb2,
    KeepAlive_pb2,
    Qot_Common_pb2,
    Qot_GetBasicQot_pb2,
    Qot_GetBroker_pb2,
    Qot_GetKL_pb2,
    Qot_GetMarketState_pb2,
    Qot_GetOrderBook_pb2,
    Qot_GetRT_pb2,
    Qot_GetSecuritySnapshot_pb2,
    Qot_GetStaticInfo_pb2,
    Qot_GetSubInfo_pb2,
    Qot_GetTicker_pb2,
    Qot_RequestHistoryKL_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
    dispatch,
    examples,
)
from venuewire.generated.futu.enums import SubType
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.sim.opend import OpenDSimulator

pytestmark = pytest.mark.timeout(30)

ROOT = Path(__file__).resolve().parents[2]
HK = Qot_Common_pb2.Security(market=1, code="00700")


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(host="127.0.0.1", port=0, push_interval=0.05) as server:
        yield server


def sample_requests() -> dict[str, Message]:
    """One valid request per declared request protocol with a proto (InitConnect is the handshake)."""
    # OrderBook, and Basic, Ticker, RT, Broker and KL_Day: OpenD answers their Get* only once subscribed
    types = [SubType.OrderBook, SubType.Basic, SubType.Ticker, SubType.RT, SubType.Broker, SubType.KL_Day]
    sub = Qot_Sub_pb2.C2S(securityList=[HK], subTypeList=types, isSubOrUnSub=True, isRegOrUnRegPush=False)
    history = Qot_RequestHistoryKL_pb2.C2S(
        rehabType=1, klType=2, security=HK, beginTime="2025-01-02", endTime="2025-01-31", maxAckKLNum=5
    )
    return {
        "KeepAlive": KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)),
        "GetGlobalState": GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0)),
        "Qot_Sub": Qot_Sub_pb2.Request(c2s=sub),
        "Qot_GetOrderBook": Qot_GetOrderBook_pb2.Request(c2s=Qot_GetOrderBook_pb2.C2S(security=HK, num=2)),
        "Qot_GetSubInfo": Qot_GetSubInfo_pb2.Request(c2s=Qot_GetSubInfo_pb2.C2S(isReqAllConn=True)),
        "Qot_GetBasicQot": Qot_GetBasicQot_pb2.Request(c2s=Qot_GetBasicQot_pb2.C2S(securityList=[HK])),
        "Qot_GetKL": Qot_GetKL_pb2.Request(c2s=Qot_GetKL_pb2.C2S(rehabType=0, klType=2, security=HK, reqNum=10)),
        "Qot_GetRT": Qot_GetRT_pb2.Request(c2s=Qot_GetRT_pb2.C2S(security=HK)),
        "Qot_GetTicker": Qot_GetTicker_pb2.Request(c2s=Qot_GetTicker_pb2.C2S(security=HK, maxRetNum=5)),
        "Qot_GetBroker": Qot_GetBroker_pb2.Request(c2s=Qot_GetBroker_pb2.C2S(security=HK)),
        "Qot_RequestHistoryKL": Qot_RequestHistoryKL_pb2.Request(c2s=history),
        "Qot_GetStaticInfo": Qot_GetStaticInfo_pb2.Request(c2s=Qot_GetStaticInfo_pb2.C2S(market=1, secType=3)),
        "Qot_GetSecuritySnapshot": Qot_GetSecuritySnapshot_pb2.Request(
            c2s=Qot_GetSecuritySnapshot_pb2.C2S(securityList=[HK])
        ),
        "Qot_GetMarketState": Qot_GetMarketState_pb2.Request(c2s=Qot_GetMarketState_pb2.C2S(securityList=[HK])),
    } | {  # the trading requests: their example data (the simulator's accounts; the place comes before the cancel)
        p.name: decode_proto_json(dispatch.REPLIES[p.proto_id].request, examples.REQUESTS[p.proto_id])
        for p in OPEND.protocols
        if p.kind == "request" and p.name.startswith("Trd_")
    }


def test_dispatch_tables_cover_every_declared_protocol_with_a_proto():
    requests = {p.name: p for p in OPEND.protocols if p.kind == "request" and p.proto is not None}
    pushes = {p.proto_id: p for p in OPEND.protocols if p.kind == "push" and p.proto is not None}
    assert {r.name for r in dispatch.REQUESTS.values()} == set(requests)
    for request_cls, route in dispatch.REQUESTS.items():
        declared = requests[route.name]
        assert route.proto_id == declared.proto_id
        assert request_cls is route.request
        assert request_cls.DESCRIPTOR.file.name == f"futu/{declared.proto}.proto"
        assert route.response.DESCRIPTOR.full_name.endswith(".Response")
        assert route.response.DESCRIPTOR.file is request_cls.DESCRIPTOR.file
    assert {i: r.response for i, r in dispatch.REPLIES.items()} == {
        r.proto_id: r.response for r in dispatch.REQUESTS.values()
    }
    assert set(dispatch.PUSHES) == set(pushes)
    for proto_id, route in dispatch.PUSHES.items():
        assert route.proto_id == proto_id and route.name == pushes[proto_id].name
        assert route.response.DESCRIPTOR.file.name == f"futu/{pushes[proto_id].proto}.proto"
        assert route.s2c.DESCRIPTOR is route.response.DESCRIPTOR.fields_by_name["s2c"].message_type
    assert dispatch.PUSHES[OpenDProtoID.Qot_UpdateOrderBook].response is Qot_UpdateOrderBook_pb2.Response
    assert dispatch.REQUESTS[Qot_GetOrderBook_pb2.Request].response is Qot_GetOrderBook_pb2.Response


async def test_request_answers_every_declared_request_protocol(sim):
    samples = sample_requests()
    declared = {p.name for p in OPEND.protocols if p.kind == "request" and p.proto is not None}
    assert set(samples) == declared - {"InitConnect"}  # a new declared protocol needs a sample here
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        for name, message in samples.items():
            before = len(sim.requests)
            response = await client.request(message, timeout=5)
            assert type(response) is dispatch.REQUESTS[type(message)].response, name
            assert response.retType == 0, name
            assert sim.requests[before][0] == getattr(OpenDProtoID, name)


async def test_request_returns_the_typed_response_under_mypy_and_at_run_time(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        s2c = await typed_opend_usage.typed_calls(client)
    assert isinstance(s2c, Qot_UpdateOrderBook_pb2.S2C) and s2c.security.code == "00700"


@pytest.mark.timeout(240)
def test_mypy_strict_infers_each_response_and_refuses_other_messages(tmp_path):
    package = tmp_path / "src" / "venuewire"
    package.mkdir(parents=True)
    for entry in (ROOT / "runtime").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    (package / "generated").symlink_to(ROOT / "generated")
    bad = tmp_path / "bad_usage.py"
    bad.write_text(
        "from venuewire import OpenDClient\n"
        "from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2\n"
        "async def f(client: OpenDClient) -> None:\n"
        "    await client.request(Qot_GetOrderBook_pb2.C2S())\n"
        "    client.pushes(Qot_GetOrderBook_pb2.Response)\n"
        "    r: Qot_UpdateOrderBook_pb2.Response = await client.request(Qot_GetOrderBook_pb2.Request())\n",
        encoding="utf-8",
    )
    good = ROOT / "tests" / "opend" / "typed_opend_usage.py"
    cmd = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent"]
    cmd += ["--cache-dir", str(tmp_path / "cache"), str(good), str(bad)]
    env = {**os.environ, "MYPYPATH": str(tmp_path / "src")}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=220, check=False)
    errors = [line.split(":")[:2] for line in result.stdout.splitlines() if ": error:" in line]
    # typed_opend_usage.py is accepted; each misuse in bad_usage.py is refused, by its line
    assert errors == [["bad_usage.py", "4"], ["bad_usage.py", "5"], ["bad_usage.py", "6"]], result.stdout


async def test_request_refuses_an_undeclared_message_class_before_sending(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        before = len(sim.requests)
        for message in (Qot_GetOrderBook_pb2.C2S(security=HK, num=1), Qot_UpdateOrderBook_pb2.Response(retType=0)):
            with pytest.raises(InvalidRequest) as caught:
                await client.request(message)  # type: ignore[call-overload]
            assert type(message).DESCRIPTOR.full_name in str(caught.value)
        with pytest.raises(InvalidRequest, match="str"):
            await client.request("GetGlobalState")  # type: ignore[call-overload]
        assert len(sim.requests) == before and client.stats.requests == 0


async def test_request_refuses_missing_required_fields_before_sending(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        before = len(sim.requests)
        with pytest.raises(MissingRequiredFields) as caught:
            await client.request(Qot_GetOrderBook_pb2.Request(c2s=Qot_GetOrderBook_pb2.C2S(num=1)))
        assert "security" in str(caught.value)
        assert len(sim.requests) == before


async def test_request_refuses_missing_fields_even_while_disconnected():
    client = OpenDClient(host="127.0.0.1", port=1, reconnect=False)
    with pytest.raises(MissingRequiredFields):
        await client.request(KeepAlive_pb2.Request())
    with pytest.raises(InvalidRequest):
        await client.request(InitConnect_pb2.C2S())  # type: ignore[call-overload]


async def test_request_raises_opend_error_for_a_failed_ret_type(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        with pytest.raises(OpenDError) as caught:  # not subscribed first
            await client.request(Qot_GetOrderBook_pb2.Request(c2s=Qot_GetOrderBook_pb2.C2S(security=HK, num=1)))
        assert caught.value.ret_type == -1


async def test_wrapped_methods_go_through_request(sim, monkeypatch):
    sent: list[str] = []
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        original = client.request

        async def spy(message, *, timeout=None):  # noqa: ASYNC109 (the signature of request)
            sent.append(type(message).DESCRIPTOR.full_name)
            return await original(message, timeout=timeout)

        monkeypatch.setattr(client, "request", spy)
        await client.get_global_state()
        await client.subscribe(["HK.00700"], push=False)
        await client.get_order_book("HK.00700", num=1)
    assert [name.split(".")[-2] for name in sent] == ["GetGlobalState", "Qot_Sub", "Qot_GetOrderBook"]


async def next_s2c(stream) -> object:
    while True:
        item = await asyncio.wait_for(anext(stream), 5)
        if not isinstance(item, Gap | DecodeFailure):
            return item


async def test_pushes_stream_yields_s2c_and_a_gap_after_a_reconnect(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port, backoff_initial=0.05) as client:
        stream = client.pushes(Qot_UpdateOrderBook_pb2.Response)
        await client.subscribe(["HK.00700", "US.AAPL"], push=True)
        first = await next_s2c(stream)
        assert isinstance(first, Qot_UpdateOrderBook_pb2.S2C)
        await sim.drop_connections()
        while not isinstance(item := await asyncio.wait_for(anext(stream), 5), Gap):
            pass
        assert stream.gaps == [item] and client.gaps == [item]
        after = await next_s2c(stream)  # the subscription was restored
        assert isinstance(after, Qot_UpdateOrderBook_pb2.S2C)
        codes = {after.security.code, (await next_s2c(stream)).security.code}
        assert codes == {"00700", "AAPL"}  # every security, not one
        await stream.aclose()


async def test_pushes_stream_turns_a_bad_push_into_a_decode_failure_and_goes_on(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        stream = client.pushes(Qot_UpdateOrderBook_pb2.Response)
        await sim.push(OpenDProtoID.Qot_UpdateOrderBook, b"\xff\xff\xff")
        failure = await asyncio.wait_for(anext(stream), 5)
        assert isinstance(failure, DecodeFailure) and failure.raw == b"\xff\xff\xff"
        assert "Qot_UpdateOrderBook" in str(failure.error)
        assert stream.decode_errors == 1 and client.stats.decode_errors == 1
        await client.subscribe(["HK.00700"], push=True)
        assert isinstance(await next_s2c(stream), Qot_UpdateOrderBook_pb2.S2C)


async def test_a_declared_push_reaches_its_stream_and_an_undeclared_one_is_counted(sim, monkeypatch, caplog):
    # A temporary extra push: Notify (no proto yet) read as if its messages were KeepAlive's.
    extra = dispatch.PushRoute("Notify", OpenDProtoID.Notify, KeepAlive_pb2.Response, KeepAlive_pb2.S2C)
    monkeypatch.setitem(dispatch.PUSHES, OpenDProtoID.Notify, extra)
    caplog.set_level(logging.DEBUG, logger="venuewire.opend")
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        stream = client.pushes(KeepAlive_pb2.Response)
        body = KeepAlive_pb2.Response(retType=0, s2c=KeepAlive_pb2.S2C(time=42)).SerializeToString()
        await sim.push(OpenDProtoID.Notify, body)
        item = await asyncio.wait_for(anext(stream), 5)
        assert isinstance(item, KeepAlive_pb2.S2C) and item.time == 42
        await sim.push(OpenDProtoID.Qot_UpdateBasicQot, b"\x08\x00")  # declared without a proto
        await sim.push(OpenDProtoID.Qot_UpdateOrderBook, b"\x08\x00")  # has a proto, but no open stream
        for _ in range(100):
            if client.stats.pushes_unrouted == 2:
                break
            await asyncio.sleep(0.02)
        assert client.stats.pushes_unrouted == 2
        assert client.stats.pushes_received == 3
        logged = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
        assert str(int(OpenDProtoID.Qot_UpdateBasicQot)) in logged and "Qot_UpdateBasicQot" in logged
        await stream.aclose()


async def test_pushes_refuses_a_class_that_is_no_declared_push(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        for cls in (Qot_GetOrderBook_pb2.Response, Qot_UpdateOrderBook_pb2.S2C):
            with pytest.raises(InvalidRequest) as caught:
                client.pushes(cls)  # type: ignore[call-overload]
            assert cls.DESCRIPTOR.full_name in str(caught.value)


async def test_order_book_updates_is_a_filter_over_the_push_stream(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        only_hk = client.order_book_updates("HK.00700")
        everything = client.pushes(Qot_UpdateOrderBook_pb2.Response)
        await client.subscribe(["HK.00700", "US.AAPL"], push=True)
        seen = {(await next_s2c(everything)).security.code for _ in range(6)}
        assert seen == {"00700", "AAPL"}
        assert [(await next_s2c(only_hk)).security.code for _ in range(3)] == ["00700"] * 3


async def test_every_declared_request_example_is_answered_with_its_typed_response(sim):
    # The generated example data: one Request per declared request protocol (InitConnect is the handshake).
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        # Qot_GetOrderBook's, Qot_GetBasicQot's, ... examples need them, as on OpenD
        subs = (SubType.OrderBook, SubType.Basic, SubType.Ticker, SubType.RT, SubType.Broker, SubType.KL_1Min)
        await client.subscribe(["HK.00700"], subs, push=False)
        routes = [r for r in dispatch.REQUESTS.values() if r.proto_id != OpenDProtoID.InitConnect]
        assert {r.proto_id for r in routes} == set(examples.REQUESTS) - {OpenDProtoID.InitConnect}
        for route in routes:
            message = decode_proto_json(route.request, examples.REQUESTS[route.proto_id])
            response = await client.request(message, timeout=5)  # type: ignore[call-overload]
            assert type(response) is route.response and response.retType == 0, route.name


async def test_a_request_without_simulator_code_gets_its_example_response(sim):
    # GetGlobalState has no code in the simulator: the reply is the registry's example data.
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        reply = await client.request(GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0)))
    example = decode_proto_json(GetGlobalState_pb2.Response, examples.RESPONSES[OpenDProtoID.GetGlobalState])
    assert reply == example and reply.s2c.qotLogined


async def test_push_example_sends_a_declared_push_to_its_typed_stream(sim):
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        stream = client.pushes(Qot_UpdateOrderBook_pb2.Response)
        await sim.push_example(OpenDProtoID.Qot_UpdateOrderBook)
        item = await asyncio.wait_for(anext(stream), 5)
        expected = decode_proto_json(
            Qot_UpdateOrderBook_pb2.Response, examples.RESPONSES[OpenDProtoID.Qot_UpdateOrderBook]
        )
        assert isinstance(item, Qot_UpdateOrderBook_pb2.S2C) and item == expected.s2c
        with pytest.raises(KeyError, match=str(int(OpenDProtoID.GetUserInfo))):
            await sim.push_example(OpenDProtoID.GetUserInfo)  # declared, no proto yet
        await stream.aclose()
