"""The generated typed WebSocket requests: QfexTradeClient has one method per request the
registry declares on the trade socket, and `TradeSession.request` pairs any declared
request's answer by its reply key."""

from __future__ import annotations

import inspect
import json

import pytest

from tests.qfex.test_protocol import ready_session
from venuewire.credentials import QfexCredentials
from venuewire.errors import DecodeError
from venuewire.generated.qfex.all_orders_response import AllOrdersResponseMessage
from venuewire.generated.qfex.ws_api import QfexTradeAPI
from venuewire.generated.registry import WS_QFEX_TRADE, WS_QFEX_TRADE_GET_ORDER
from venuewire.qfex.client import QfexTradeClient
from venuewire.qfex.errors import QfexError
from venuewire.qfex.protocol import Answered, Ignored, PendingRequest, Refused, State
from venuewire.sim.qfex import DEMO_ORDER_ID, DEMO_SYMBOL, QfexSimulator

pytestmark = pytest.mark.timeout(30)

ORDERS = '{"all_orders_response": {"orders": [], "stop_orders": []}}'


def _pending() -> PendingRequest:
    return PendingRequest(WS_QFEX_TRADE_GET_ORDER.name, WS_QFEX_TRADE_GET_ORDER.reply_key, AllOrdersResponseMessage)


def test_every_declared_request_is_a_typed_method_of_the_client() -> None:
    assert issubclass(QfexTradeClient, QfexTradeAPI)
    assert WS_QFEX_TRADE.requests
    for entry in WS_QFEX_TRADE.requests:
        method = getattr(QfexTradeClient, entry.name)
        assert inspect.iscoroutinefunction(method)
        assert inspect.signature(method).return_annotation != inspect.Signature.empty


def test_a_pending_request_is_answered_by_the_next_frame_with_its_reply_key() -> None:
    session = ready_session()
    assert session.request('{"type": "get_order"}', _pending()) == '{"type": "get_order"}'
    assert isinstance(session.receive('{"order_response": {}}'), Ignored)  # another key: not its answer
    event = session.receive(ORDERS)
    assert isinstance(event, Answered) and isinstance(event.response, AllOrdersResponseMessage)
    assert event.response.all_orders_response.orders == []
    assert session.in_flight is None and session.state is State.READY


def test_a_pending_request_allows_one_in_flight_and_takes_its_errors() -> None:
    session = ready_session()
    session.request("{}", _pending())
    with pytest.raises(RuntimeError, match="already in flight"):
        session.request("{}", _pending())
    other = {"err": {"error_code": "InvalidParameter", "message": "x", "incoming_message": {"type": "add_order"}}}
    assert isinstance(session.receive(json.dumps(other)), Ignored)  # echoes another request
    own = {"err": {"error_code": "InvalidParameter", "message": "x", "incoming_message": {"type": "get_order"}}}
    event = session.receive(json.dumps(own))
    assert isinstance(event, Refused) and isinstance(event.error, QfexError)
    session.request("{}", _pending())
    event = session.receive('{"all_orders_response": {"orders": 5}}')
    assert isinstance(event, Refused) and isinstance(event.error, DecodeError) and not event.close
    session.request("{}", _pending())
    event = session.receive("not json")
    assert isinstance(event, Refused) and event.close and session.state is State.CLOSED


async def test_the_generated_method_reaches_the_simulator_and_keeps_the_checks() -> None:
    async with QfexSimulator(api_key="k", secret="s") as sim:
        async with QfexTradeClient(QfexCredentials("k", "s"), sim.url, timeout=5) as qfex:
            reply = await QfexTradeAPI.get_order(qfex, DEMO_SYMBOL, DEMO_ORDER_ID)  # the generated body itself
            assert [o.order_id for o in reply.orders] == [DEMO_ORDER_ID]
            with pytest.raises(ValueError, match="order_id"):
                await qfex.get_order(DEMO_SYMBOL, "not-a-uuid")  # the client's own check still runs first
            with pytest.raises(TypeError, match="get_order"):
                await QfexTradeAPI.get_order(qfex, DEMO_SYMBOL, 5)  # type: ignore[arg-type]
        assert sim.stats.served == 1


def test_an_answer_is_paired_by_the_registrys_pair_by_params_and_other_frames_are_pushes() -> None:
    from venuewire.generated.qfex.order_response import OrderResponseMessage
    from venuewire.generated.registry import WS_QFEX_TRADE_ADD_ORDER, WS_QFEX_TRADE_CANCEL_ALL_ORDERS

    assert WS_QFEX_TRADE_ADD_ORDER.pair_by == ("client_order_id",)
    assert WS_QFEX_TRADE_CANCEL_ALL_ORDERS.pair_by == ()  # nothing to pair by: the next order_response
    order = {
        "order_id": "5b309929-206f-40ec-804d-cbe46e81afc1",
        "symbol": "AAPL-USD",
        "status": "ACK",
        "quantity": 1.0,
        "price": 200.0,
        "side": "BUY",
        "type": "LIMIT",
        "time_in_force": "GTC",
        "quantity_remaining": 1.0,
    }
    session = ready_session()
    pending = PendingRequest("add_order", "order_response", OrderResponseMessage, (("client_order_id", "mine"),))
    session.request("{}", pending)
    other = session.receive(json.dumps({"order_response": {**order, "client_order_id": "someone-else"}}))
    assert isinstance(other, Ignored) and "push" in other.what and session.in_flight is pending
    mine = session.receive(json.dumps({"order_response": {**order, "client_order_id": "mine"}}))
    assert isinstance(mine, Answered) and isinstance(mine.response, OrderResponseMessage)
    assert mine.response.order_response.client_order_id == "mine" and session.in_flight is None
