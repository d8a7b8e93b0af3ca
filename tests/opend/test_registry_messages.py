"""Every OpenD message declared in the registry with a proto, against the simulator: a request
built from its example data gets the typed example Response back, and every declared push
reaches `client.pushes(<Name>_pb2.Response)` as its typed S2C when the simulator pushes its
example. A message added to schemas/ (proto + registry entry + examples) is covered here with
no edit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from google.protobuf import json_format

from venuewire import OpenDClient, decode_proto_json
from venuewire.generated.futu import (
    Notify_pb2,
    Qot_Common_pb2,
    Qot_GetKL_pb2,
    Qot_GetMarketState_pb2,
    Qot_RequestHistoryKL_pb2,
    Qot_UpdateTicker_pb2,
    dispatch,
    enums,
    examples,
)
from venuewire.generated.registry import OPEND
from venuewire.sim.opend import OpenDSimulator

pytestmark = pytest.mark.timeout(30)

# Requests the simulator answers with behaviour of its own (handshake, keepalive, subscriptions,
# order books; quotes, tickers, candles and time shares from the moving market), tested in
# test_client.py / test_request_and_pushes.py / test_quotes*.py; every other one is answered
# with its example Response. The trading requests (Trd_*) are answered from the simulator's
# accounts (venuewire.sim.opend_trade), tested in tests/opend/test_trade*.py.
OWN_BEHAVIOUR = {
    "InitConnect",
    "KeepAlive",
    "Qot_Sub",
    "Qot_GetOrderBook",
    "Qot_GetBasicQot",
    "Qot_GetTicker",
    "Qot_GetKL",
    "Qot_GetRT",
    "Qot_RequestHistoryKL",
    "Qot_GetSubInfo",
    "Qot_GetBroker",
    "Qot_GetSecuritySnapshot",
    "Qot_GetMarketState",
    "Qot_GetStaticInfo",
}
REQUESTS = [
    p
    for p in OPEND.protocols
    if p.kind == "request" and p.proto and p.name not in OWN_BEHAVIOUR and not p.name.startswith("Trd_")
]
PUSHES = [p for p in OPEND.protocols if p.kind == "push" and p.proto]
ROUTES = {route.proto_id: route for route in dispatch.REQUESTS.values()}
OPEND_ID = {p.name: p.proto_id for p in OPEND.protocols}


@pytest.fixture
async def sim() -> AsyncIterator[OpenDSimulator]:
    async with OpenDSimulator(host="127.0.0.1", port=0) as server:
        yield server


def test_the_messages_of_issue_13_are_declared_with_their_proto_ids():
    declared = {p.name: (p.proto_id, p.kind) for p in OPEND.protocols if p.proto}
    expected = {
        "Notify": (1003, "push"),
        "Qot_GetSubInfo": (3003, "request"),
        "Qot_GetBasicQot": (3004, "request"),
        "Qot_UpdateBasicQot": (3005, "push"),
        "Qot_GetKL": (3006, "request"),
        "Qot_UpdateKL": (3007, "push"),
        "Qot_GetRT": (3008, "request"),
        "Qot_UpdateRT": (3009, "push"),
        "Qot_GetTicker": (3010, "request"),
        "Qot_UpdateTicker": (3011, "push"),
        "Qot_GetBroker": (3014, "request"),
        "Qot_UpdateBroker": (3015, "push"),
        "Qot_RequestHistoryKL": (3103, "request"),
        "Qot_GetStaticInfo": (3202, "request"),
        "Qot_GetSecuritySnapshot": (3203, "request"),
        "Qot_GetMarketState": (3223, "request"),
    }
    assert {name: declared.get(name) for name in expected} == expected


@pytest.mark.parametrize("protocol", REQUESTS, ids=lambda p: p.name)
async def test_request_of_the_example_returns_the_typed_example_response(sim, protocol):
    route = ROUTES[protocol.proto_id]
    request = decode_proto_json(route.request, examples.REQUESTS[protocol.proto_id])
    expected = decode_proto_json(route.response, examples.RESPONSES[protocol.proto_id])
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        before = len(sim.requests)
        response = await client.request(request, timeout=5)
    assert type(response) is route.response
    assert response.DESCRIPTOR.file.name == f"futu/{protocol.proto}.proto"
    assert response == expected
    assert response.s2c.ListFields(), "the example reply carries data"
    assert [p for p, _ in sim.requests[before:]] == [protocol.proto_id]


@pytest.mark.parametrize("protocol", PUSHES, ids=lambda p: p.name)
async def test_pushed_example_reaches_the_typed_push_stream(sim, protocol):
    route = dispatch.PUSHES[protocol.proto_id]
    expected = decode_proto_json(route.response, examples.RESPONSES[protocol.proto_id]).s2c
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        stream = client.pushes(route.response)
        await sim.push_example(protocol.proto_id)
        item = await asyncio.wait_for(anext(stream), 5)
    assert type(item) is route.s2c
    assert item == expected
    assert item.ListFields()


async def test_typed_fields_of_the_new_replies_and_pushes(sim):
    hk = Qot_Common_pb2.Security(market=enums.QotMarket.HK_Security, code="00700")
    async with OpenDClient(host="127.0.0.1", port=sim.port) as client:
        live = await client.request(Qot_GetMarketState_pb2.Request(c2s=Qot_GetMarketState_pb2.C2S(securityList=[hk])))
        assert isinstance(live, Qot_GetMarketState_pb2.Response)
        assert [m.security.code for m in live.s2c.marketInfoList] == ["00700"]  # the simulator's own state now
        # the example data, decoded as OpenD would send it
        state = decode_proto_json(Qot_GetMarketState_pb2.Response, examples.RESPONSES[OPEND_ID["Qot_GetMarketState"]])
        assert [(m.security.code, m.marketState) for m in state.s2c.marketInfoList] == [
            ("00700", enums.QotMarketState.Morning),
            ("AAPL", enums.QotMarketState.Closed),
        ]
        # Qot_GetKL and Qot_RequestHistoryKL are answered from the moving market now: their
        # example data, decoded as the simulator would send it.
        candles = decode_proto_json(Qot_GetKL_pb2.Response, examples.RESPONSES[OPEND_ID["Qot_GetKL"]])
        assert [k.time for k in candles.s2c.klList] == ["2025-04-07 10:14:00", "2025-04-07 10:15:00"]
        assert candles.s2c.klList[1].volume == 31800  # int64 on the wire, a string in the JSON example
        page = decode_proto_json(
            Qot_RequestHistoryKL_pb2.Response, examples.RESPONSES[OPEND_ID["Qot_RequestHistoryKL"]]
        )
        assert page.s2c.nextReqKey == b"\x01\x02\x03"  # bytes: base64 "AQID" in the example
        tickers = client.pushes(Qot_UpdateTicker_pb2.Response)
        notify = client.pushes(Notify_pb2.Response)
        await sim.push_example(OPEND_ID["Qot_UpdateTicker"])
        await sim.push_example(OPEND_ID["Notify"])
        tick = await asyncio.wait_for(anext(tickers), 5)
        assert isinstance(tick, Qot_UpdateTicker_pb2.S2C)
        assert (tick.tickerList[0].dir, tick.tickerList[0].sequence) == (
            enums.TickerDirection.Ask,
            7490143587206586370,
        )
        event = await asyncio.wait_for(anext(notify), 5)
        assert isinstance(event, Notify_pb2.S2C)
        assert event.type == enums.NotifyType.ConnStatus and event.connectStatus.qotLogined
        assert json_format.MessageToDict(event)["connectStatus"] == {"qotLogined": True, "trdLogined": False}
