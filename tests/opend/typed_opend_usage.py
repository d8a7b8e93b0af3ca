"""Typed use of `OpenDClient.request` and `OpenDClient.pushes`: mypy --strict must accept
this module (tests/opend/test_request_and_pushes.py runs it), and the test runs it
against the simulator, so every `assert_type` below is also true at run time."""

from __future__ import annotations

import asyncio
from typing import assert_type

from venuewire import OpenDClient
from venuewire.events import DecodeFailure, Fresh, Gap, Stale
from venuewire.generated.futu import (
    GetGlobalState_pb2,
    KeepAlive_pb2,
    Qot_Common_pb2,
    Qot_GetOrderBook_pb2,
    Qot_Sub_pb2,
    Qot_UpdateOrderBook_pb2,
)


async def typed_calls(client: OpenDClient) -> Qot_UpdateOrderBook_pb2.S2C:
    """Every call's result has the Response class of its own file, inferred by mypy."""
    keep = await client.request(KeepAlive_pb2.Request(c2s=KeepAlive_pb2.C2S(time=1)))
    assert_type(keep, KeepAlive_pb2.Response)
    assert isinstance(keep, KeepAlive_pb2.Response)
    state = await client.request(GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0)), timeout=5)
    assert_type(state, GetGlobalState_pb2.Response)
    assert isinstance(state, GetGlobalState_pb2.Response)
    security = Qot_Common_pb2.Security(market=1, code="00700")
    sub = Qot_Sub_pb2.C2S(securityList=[security], subTypeList=[2], isSubOrUnSub=True, isRegOrUnRegPush=True)
    subscribed = await client.request(Qot_Sub_pb2.Request(c2s=sub))
    assert_type(subscribed, Qot_Sub_pb2.Response)
    assert isinstance(subscribed, Qot_Sub_pb2.Response)
    book = await client.request(Qot_GetOrderBook_pb2.Request(c2s=Qot_GetOrderBook_pb2.C2S(security=security, num=3)))
    assert_type(book, Qot_GetOrderBook_pb2.Response)
    assert isinstance(book, Qot_GetOrderBook_pb2.Response)
    assert len(book.s2c.orderBookAskList) == 3
    stream = client.pushes(Qot_UpdateOrderBook_pb2.Response)
    while True:
        item = await asyncio.wait_for(anext(stream), 5)
        assert_type(item, Qot_UpdateOrderBook_pb2.S2C | Gap | DecodeFailure | Stale | Fresh)
        if isinstance(item, Qot_UpdateOrderBook_pb2.S2C):
            await stream.aclose()
            return item
