"""The generated typed REST surface of CoinW (`CoinwRestAPI`) and the one REST caller under it."""

from __future__ import annotations

import inspect
import json
from decimal import Decimal

import msgspec
import pytest

from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials
from venuewire.errors import AuthError, DecodeError, InvalidRequest
from venuewire.generated.coinw.api import CoinwRestAPI
from venuewire.generated.coinw.examples import EXAMPLES
from venuewire.generated.coinw.order import Order
from venuewire.generated.coinw.order_response import OrderResponse
from venuewire.generated.registry import ENVELOPES, REST_ENDPOINTS
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.messages import decode_json
from venuewire.rest import read_reply, request_target
from venuewire.sim import rest as sim_rest
from venuewire.sim.coinw import ORDERS, CoinwSimulator

pytestmark = pytest.mark.timeout(30)

KEY, SECRET = "api-test-key", "api-test-secret"


def test_every_coinw_endpoint_of_the_registry_is_a_typed_method():
    names = [e.name for e in REST_ENDPOINTS if e.venue == "coinw"]
    assert names and all(inspect.iscoroutinefunction(getattr(CoinwRestAPI, n)) for n in names)
    signature = inspect.signature(CoinwRestAPI.get_order_information)
    assert list(signature.parameters) == ["self", "positionType", "sourceIds", "instrument"]
    assert signature.parameters["positionType"].default is inspect.Parameter.empty
    assert signature.return_annotation == "OrderResponse"
    assert issubclass(CoinwClient, CoinwRestAPI)


async def test_the_generated_method_returns_the_typed_reply_the_simulator_sent():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim:
        async with CoinwClient(CoinwCredentials(KEY, SECRET), sim.url) as client:
            reply = await client.get_order_information(positionType="plan", instrument="eth")
        assert sim.seen[-1].raw_query == "positionType=plan&instrument=eth"
    assert isinstance(reply, OrderResponse) and reply.code == 0 and reply.data is not None
    expected = [decode_json(Order, json.dumps(o)) for o in ORDERS["plan"] if str(o["instrument"]).upper() == "ETH"]
    assert reply.data == expected


async def test_the_generated_method_raises_the_venues_typed_errors():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim:
        async with CoinwClient(CoinwCredentials(KEY, "not-the-secret"), sim.url) as client:
            with pytest.raises(AuthError) as refused:
                await client.get_order_information(positionType="plan")
        async with CoinwClient(CoinwCredentials(KEY, SECRET), sim.url) as client:
            with pytest.raises(InvalidRequest) as invalid:
                await client.get_order_information(positionType="plan", instrument="DOGE")
    assert refused.value.code == 6001 and SECRET not in str(refused.value)
    assert invalid.value.code == 9111


def test_the_request_target_is_exactly_what_is_signed_and_sent():
    target, query = request_target(ENDPOINT, {}, {"positionType": "plan", "sourceIds": "1,2", "instrument": None})
    assert (target, query) == ("/v1/perpum/order", "positionType=plan&sourceIds=1,2")
    assert request_target(ENDPOINT, {}, {"a": True, "b": 7, "c": "x y"})[1] == "a=true&b=7&c=x%20y"
    with pytest.raises(ValueError, match="no path parameter"):
        request_target(ENDPOINT, {"market": "stock"}, {})


def test_the_envelope_kind_is_registry_data():
    envelope = ENVELOPES[ENDPOINT.envelope]
    assert (envelope.code, envelope.success, envelope.text, envelope.data) == ("code", (0,), ("msg", "message"), "data")


def test_a_nan_anywhere_in_a_reply_is_a_decode_error_naming_the_field():
    body = b'{"code":0,"data":[' + EXAMPLES["order_response"][0].split(b'"data":[', 1)[1].replace(
        b'"fee":"0"', b'"fee":"NaN"', 1
    )
    with pytest.raises(DecodeError) as caught:
        read_reply(ENDPOINT, OrderResponse, 200, {}, body)
    assert caught.value.field_path == ("data", 0, "fee")


def test_the_served_example_is_the_schemas_example_and_decodes_typed():
    reply = msgspec.json.decode(sim_rest.example_reply(ENDPOINT), type=OrderResponse)
    assert reply.code == 0 and reply.data and reply.data[0].id == 33308753605637070
    assert reply.data[0].frozenFee == Decimal("0.0168")


async def test_a_post_with_path_parameters_signs_exactly_the_path_and_body_it_sends():
    import dataclasses

    from aiohttp import web

    from venuewire.generated.coinw.get_order_query import GetOrderQuery
    from venuewire.rest import RestCaller

    endpoint = dataclasses.replace(ENDPOINT, name="post_thing", method="POST", path="/v1/things/{thing}")
    seen: list[tuple[str, str, dict[str, str]]] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append((request.raw_path, (await request.read()).decode(), dict(request.headers)))
        return web.json_response({"code": 0, "data": []})

    app = web.Application()
    app.router.add_post("/v1/things/{thing}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        url = f"http://127.0.0.1:{port}"
        caller = RestCaller("coinw", url, CoinwCredentials(KEY, SECRET), clock=lambda: 1700000000.5)
        reply = await caller.call(
            endpoint, OrderResponse, path={"thing": "a b,c"}, body=GetOrderQuery(positionType="plan")
        )
        await caller.close()
    finally:
        await runner.cleanup()
    assert reply.code == 0 and reply.data == []
    ((raw_path, body, headers),) = seen
    assert raw_path == "/v1/things/a%20b,c" and body == '{"positionType":"plan"}'
    assert headers["Content-Type"] == "application/json" and headers["timestamp"] == "1700000000500"
    assert headers["sign"] == sim_rest.expected_coinw_sign(SECRET, "1700000000500", "POST", raw_path, "", body)
