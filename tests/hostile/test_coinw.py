"""CoinwClient against misbehaving HTTP servers on 127.0.0.1 (tests/hostile/peers.py), through
the public client only.

What every case pins (design.md, the error contract): only `VenueError`s reach the caller, each
naming the venue and a message, a `DecodeError` also the message name and the field path; broken
JSON, invalid UTF-8, wrong types in any order field, nulls where none is allowed and times or
numbers out of range are `DecodeError`s; big numbers stay exact; HTML error pages are server errors
naming the HTTP status (not rate limits, not JSON decode errors); 429 is `RateLimited` with
`retry_after`; a stall is `Timeout` (a `TimeoutError`); a reply cut short is `ConnectionLost` (a
`ConnectionError`); the API key and the secret are nowhere in an error, its whole
`__context__`/`__cause__` chain or a log line."""

from __future__ import annotations

import asyncio
import email.utils
import json
import socket
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.hostile.peers import Peer, hold, http_peer
from tests.hostile.secrets import assert_no_secret
from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials
from venuewire.errors import (
    AuthError,
    ConnectionLost,
    DecodeError,
    InvalidRequest,
    PayloadTooLarge,
    RateLimited,
    Timeout,
    VenueError,
    WrongEventLoop,
)
from venuewire.transport import RateLimiter

pytestmark = pytest.mark.timeout(30)

KEY = "Hostile-CoinW-Key-7f3a2c"
SECRET = "Hostile-CoinW-Secret-e91b04d6"
SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "json" / "coinw" / "order.json").read_text())
PROPERTIES: dict[str, Any] = SCHEMA["properties"]
REQUIRED: list[str] = SCHEMA["required"]
ROW: dict[str, Any] = {
    "id": 33308753605637070,
    "instrument": "BTC",
    "direction": "long",
    "orderStatus": "unFinish",
    "posType": "plan",
    "createdDate": 1740905644000,
    "quantity": 100,
    "orderPrice": "84000",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def nullable(name: str) -> bool:
    spec = PROPERTIES[name]
    return {"type": "null"} in spec.get("anyOf", []) or "null" in (spec.get("type") or [])


def client_of(peer: Peer, *, timeout: float = 1.0, **options: Any) -> CoinwClient:
    """A client for `peer`; its limiter lets the many requests of one case through at once."""
    options.setdefault("limiter", RateLimiter(10_000, 1.0))
    return CoinwClient(CoinwCredentials(KEY, SECRET), peer.url, timeout=timeout, **options)


def reply(*rows: dict[str, Any], code: int = 0) -> bytes:
    return json.dumps({"code": code, "data": list(rows), "msg": ""}).encode()


def answering(status: int, body: bytes, headers: dict[str, str] | None = None, content_type: str = "application/json"):
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=body, headers=headers, content_type=content_type)

    return handler


def ours(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log lines of the client side (the peer's own aiohttp server logs are not the client's)."""
    return [r.getMessage() for r in caplog.records if not r.name.startswith("aiohttp")]


def contract(error: BaseException, caplog: pytest.LogCaptureFixture | None = None) -> VenueError:
    """The error contract for one error: a VenueError naming the venue and a message, a
    DecodeError also its message and field path; no secret anywhere in its chain or the logs."""
    assert isinstance(error, VenueError), f"{type(error).__name__} escaped: {error!r}"
    assert error.venue == "coinw" and error.message
    if isinstance(error, PayloadTooLarge):  # refused by the transport, named after the request
        assert error.message_name == "GET /v1/perpum/order reply" and error.field_path == ()
    elif isinstance(error, DecodeError):
        assert error.message_name == "order_response" and isinstance(error.field_path, tuple)
    assert_no_secret(error, [KEY, SECRET])
    for line in ours(caplog) if caplog is not None else []:
        assert KEY not in line and SECRET not in line, line[:200]
    return error


async def failure(call: Callable[[CoinwClient], Awaitable[object]], client: CoinwClient) -> BaseException:
    try:
        await call(client)
    except BaseException as exc:  # everything: the point is to see what escapes
        return exc
    raise AssertionError("the call succeeded")


async def error_of(handler: Handler, caplog: pytest.LogCaptureFixture | None = None, **options: Any) -> VenueError:
    """What `get_open_orders_normalized("plan")` raises against a peer answering with `handler`."""
    async with http_peer(handler) as peer, client_of(peer, **options) as client:
        caught = await failure(lambda c: c.get_open_orders_normalized("plan"), client)
    return contract(caught, caplog)


# --- bodies that are not the reply -------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"[]",
        b"{",
        b'{"code":0,"data":[',
        b'{"code":0,"data":[{"id":1',
        b"\xff\xfe{}",
        b"\x00" * 64,
        b'{"code":0,"data":[]}{"code":0}',
        b"<html><body>maintenance</body></html>",
    ],
)
async def test_broken_json_is_a_decode_error_of_the_whole_reply(body, caplog):
    error = await error_of(answering(200, body), caplog)
    assert isinstance(error, DecodeError)
    assert error.field_path in ((), ("code",))


@pytest.mark.parametrize(
    "body",
    [
        b'{"code":0,"data":[{"id":"\xff\xfe","instrument":"BTC"}],"msg":""}',
        b'{"code":0,"data":[],"msg":"\xc3\x28"}',
        b'{"code":6001,"msg":"bad \xed\xa0\x80 sign"}',  # an encoded surrogate
        b'{"code":0,"data":[{"instrument":"BTC\xf0\x28\x8c\x28"}]}',
    ],
)
async def test_invalid_utf8_inside_a_json_string_is_a_decode_error(body, caplog):
    error = await error_of(answering(200, body), caplog)
    assert isinstance(error, DecodeError) and "UTF-8" in error.detail


@pytest.mark.parametrize(
    ("envelope", "path"),
    [
        ({"code": "0", "data": []}, ("code",)),
        ({"code": 0.5, "data": []}, ("code",)),
        ({"code": None, "data": []}, ("code",)),
        ({"data": []}, ("code",)),
        ({"code": 0, "data": {}}, ("data",)),
        ({"code": 0, "data": "none"}, ("data",)),
        ({"code": 0, "data": [None]}, ("data", 0)),
        ({"code": 0, "data": [[]]}, ("data", 0)),
        ({"code": 0, "data": [], "msg": 7}, ("msg",)),
        ({"code": 6001, "message": ["bad sign"]}, ("message",)),
    ],
)
async def test_a_wrong_envelope_names_the_field(envelope, path, caplog):
    error = await error_of(answering(200, json.dumps(envelope).encode()), caplog)
    assert isinstance(error, DecodeError) and error.field_path == path


async def test_wrong_types_in_every_order_field_name_that_field(caplog):
    wrong: dict[str, Any] = {}
    for name in PROPERTIES:
        wrong[name] = {"not": "a value"}  # no field of an order is an object
    for name, bad in [("id", 1.5), ("createdDate", "1740905644000"), ("direction", 1), ("userId", True)]:
        wrong[name + "#2"] = (name, bad)
    body: dict[str, bytes] = {}

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body["now"], content_type="application/json")

    async with http_peer(handler) as peer, client_of(peer) as client:
        for key, value in wrong.items():
            name, bad = value if key.endswith("#2") else (key, value)
            body["now"] = reply({**ROW, name: bad})
            for call in (lambda c: c.get_open_orders("plan"), lambda c: c.get_open_orders_normalized("plan")):
                error = contract(await failure(call, client), caplog)
                assert isinstance(error, DecodeError), (name, error)
                assert error.field_path == ("data", 0, name), (name, str(error))
                assert f"$.data[0].{name}" in str(error)


async def test_null_is_accepted_where_allowed_and_named_where_not(caplog):
    allowed = [name for name in PROPERTIES if nullable(name)]
    assert {"orderPrice", "thirdOrderId", "margin", "triggerPrice", "avgPrice", "stopLossType"} <= set(allowed)
    body: dict[str, bytes] = {"now": reply({**ROW, **dict.fromkeys(allowed)})}

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body["now"], content_type="application/json")

    async with http_peer(handler) as peer, client_of(peer) as client:
        (order,) = await client.get_open_orders_normalized("plan")
        assert order.price is None and order.client_order_id is None and order.quantity == 100
        for name in [n for n in PROPERTIES if n not in allowed]:
            body["now"] = reply({**ROW, name: None})
            error = contract(await failure(lambda c: c.get_open_orders("plan"), client), caplog)
            assert isinstance(error, DecodeError) and error.field_path == ("data", 0, name), (name, str(error))
        for name in REQUIRED:
            body["now"] = reply({k: v for k, v in ROW.items() if k != name})
            error = contract(await failure(lambda c: c.get_open_orders("plan"), client), caplog)
            assert isinstance(error, DecodeError) and error.field_path[:2] == ("data", 0), (name, str(error))
            assert name in str(error)


# --- values out of range, huge numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("createdDate", 10**17),
        ("createdDate", -(10**17)),
        ("createdDate", 10**30),
        ("createdDate", -(10**30)),
        ("createdDate", 2**64),
        ("updatedDate", 10**17),
        ("updatedDate", -(2**63)),
    ],
)
async def test_a_time_out_of_range_for_a_date_is_a_decode_error_naming_it(field, value, caplog):
    error = await error_of(answering(200, reply({**ROW, field: value})), caplog)
    assert isinstance(error, DecodeError) and error.field_path == ("data", 0, field)
    assert "out of range" in error.detail


@pytest.mark.parametrize(
    "field", ["createdDate", "updatedDate", "userId", "positionModel", "quantityUnit", "processStatus"]
)
@pytest.mark.parametrize("text", ["1e400", "-1e400", "1.5", "1e3"])
async def test_a_non_integer_where_an_integer_belongs_is_a_decode_error(field, text, caplog):
    body = reply({**ROW, field: 0}).replace(f'"{field}": 0'.encode(), f'"{field}": {text}'.encode())
    error = await error_of(answering(200, body), caplog)
    assert isinstance(error, DecodeError) and error.field_path == ("data", 0, field)


@pytest.mark.parametrize("field", ["quantity", "orderPrice"])
@pytest.mark.parametrize("text", ['"NaN"', '"Infinity"', '"-Infinity"', '"sNaN"', '"-NaN"'])
async def test_nan_and_infinity_in_a_price_or_size_are_decode_errors(field, text, caplog):
    body = reply({**ROW, field: 0}).replace(f'"{field}": 0'.encode(), f'"{field}": {text}'.encode())
    async with http_peer(answering(200, body)) as peer, client_of(peer) as client:
        for call in (lambda c: c.get_open_orders("plan"), lambda c: c.get_open_orders_normalized("plan")):
            error = contract(await failure(call, client), caplog)
            assert isinstance(error, DecodeError) and error.field_path == ("data", 0, field)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "nan", "inf"])
async def test_bare_nan_tokens_are_not_json(text, caplog):
    body = reply({**ROW, "quantity": 0}).replace(b'"quantity": 0', f'"quantity": {text}'.encode())
    error = await error_of(answering(200, body), caplog)
    assert isinstance(error, DecodeError) and error.field_path in ((), ("data", 0, "quantity"))


async def test_huge_numbers_stay_exact_never_through_a_float():
    size = "123456789012345678901234567890.123456789012345678901"
    big_id = 2**80 + 1
    body = reply({**ROW, "id": 0, "quantity": 0, "orderPrice": 0, "margin": 0})
    body = body.replace(b'"id": 0', f'"id": {big_id}'.encode())
    body = body.replace(b'"quantity": 0', f'"quantity": {size}'.encode())
    body = body.replace(b'"orderPrice": 0', b'"orderPrice": "0.000000000000000000000000000001"')
    body = body.replace(b'"margin": 0', b'"margin": -98765432109876543210987654321')
    async with http_peer(answering(200, body)) as peer, client_of(peer) as client:
        (typed,) = await client.get_open_orders("plan")
        (order,) = await client.get_open_orders_normalized("plan")
    assert typed.id == big_id and order.order_id == str(big_id)
    assert order.quantity == Decimal(size) and str(order.quantity) == size
    assert order.price == Decimal("1E-30") and typed.margin == Decimal("-98765432109876543210987654321")
    assert float(size) != Decimal(size)


# --- HTTP statuses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504, 520, 599])
async def test_an_html_error_page_is_a_server_error_naming_the_status(status, caplog):
    page = f"<html><head><title>{status}</title></head><body>nginx</body></html>".encode()
    error = await error_of(answering(status, page, content_type="text/html"), caplog)
    assert type(error) is VenueError and error.code == status
    assert not isinstance(error, (RateLimited, DecodeError))
    assert f"HTTP {status}" in str(error) and "gateway or server error" in str(error)


@pytest.mark.parametrize("status", [400, 402, 404, 405, 418])
async def test_other_statuses_without_an_envelope_are_not_read_as_body_codes(status, caplog):
    error = await error_of(answering(status, b"<html>no</html>", content_type="text/html"), caplog)
    assert type(error) is VenueError and error.code == status and f"HTTP {status}" in str(error)


@pytest.mark.parametrize("status", [401, 403])
async def test_401_and_403_are_auth_errors(status, caplog):
    error = await error_of(answering(status, b"Unauthorized", content_type="text/plain"), caplog)
    assert type(error) is AuthError and error.code == status


@pytest.mark.parametrize(
    ("headers", "wait"),
    [({"Retry-After": "7"}, 7.0), ({"Retry-After": "0.25"}, 0.25), ({}, None), ({"Retry-After": "soon"}, None)],
)
@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"<html>slow down</html>", "text/html"), (b'{"code":29001,"msg":"API access frequently"}', "application/json")],
)  # fmt: skip
async def test_429_is_rate_limited_with_retry_after(headers, wait, body, content_type, caplog):
    error = await error_of(answering(429, body, headers, content_type), caplog)
    assert type(error) is RateLimited and error.code == 429 and error.retry_after == wait


async def test_429_with_an_http_date_retry_after():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    error = await error_of(answering(429, b"", {"Retry-After": when}))
    assert isinstance(error, RateLimited) and error.retry_after is not None and 20 < error.retry_after <= 31


async def test_the_venues_rate_limit_code_carries_retry_after():
    error = await error_of(answering(200, b'{"code":29001,"msg":"API access frequently"}', {"Retry-After": "2"}))
    assert type(error) is RateLimited and error.code == 29001 and error.retry_after == 2.0


@pytest.mark.parametrize(
    ("body", "kind", "text"),
    [
        (b'{"code":6003,"message":"require more permission","retry":false}', AuthError, "require more permission"),
        (b'{"code":6001,"msg":"sign error"}', AuthError, "sign error"),
        (b'{"code":402,"msg":"param required"}', InvalidRequest, "param required"),
        (b'{"code":500,"msg":"Internal server error"}', VenueError, "Internal server error"),
        (b'{"code":123456,"message":"something new"}', VenueError, "something new"),
    ],
)  # fmt: skip
async def test_an_error_envelope_raises_with_the_venues_own_text(body, kind, text, caplog):
    error = await error_of(answering(200, body), caplog)
    assert type(error) is kind and error.message == text


# --- the connection ---------------------------------------------------------------------------------


async def test_a_stall_before_the_reply_is_a_timeout(caplog):
    async def stall(request: web.Request) -> web.StreamResponse:
        await hold(5)
        return web.Response(body=reply())

    started = time.monotonic()
    error = await error_of(stall, caplog, timeout=0.3)
    assert isinstance(error, Timeout) and isinstance(error, TimeoutError)
    assert time.monotonic() - started < 2


async def test_a_stall_in_the_middle_of_the_body_is_a_timeout(caplog):
    async def dribble(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": "5000"})
        await response.prepare(request)
        await response.write(b'{"code":0,"data":[')
        await hold(5)
        return response

    error = await error_of(dribble, caplog, timeout=0.3)
    assert isinstance(error, Timeout) and isinstance(error, TimeoutError)


async def test_a_server_closing_mid_reply_is_connection_lost(caplog):
    async def cut(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": "5000"})
        await response.prepare(request)
        await response.write(b'{"code":0,"data":[{"id":1,')
        assert request.transport is not None
        request.transport.close()
        return response

    error = await error_of(cut, caplog)
    assert isinstance(error, ConnectionLost) and isinstance(error, ConnectionError)


async def test_a_server_dropping_the_connection_before_replying_is_connection_lost(caplog):
    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.abort()
        raise asyncio.CancelledError

    error = await error_of(drop, caplog)
    assert isinstance(error, ConnectionLost) and isinstance(error, ConnectionError)


async def test_connection_refused_is_connection_lost(caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    async with CoinwClient(CoinwCredentials(KEY, SECRET), f"http://127.0.0.1:{port}", timeout=1) as client:
        error = contract(await failure(lambda c: c.get_open_orders("plan"), client), caplog)
    assert isinstance(error, ConnectionLost) and isinstance(error, ConnectionError)


async def test_a_reply_over_the_body_cap_is_refused(caplog):
    body = reply(*[ROW] * 2000)
    error = await error_of(answering(200, body), caplog, max_body=64 * 1024)
    assert isinstance(error, PayloadTooLarge) and error.limit == 64 * 1024

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(200):
            await response.write(b" " * 4096)
        return response

    error = await error_of(chunked, caplog, max_body=64 * 1024)
    assert isinstance(error, PayloadTooLarge)


async def test_the_client_carries_on_after_each_failure(caplog):
    answers = [answering(502, b"<html/>", content_type="text/html"), answering(200, b"{"), answering(200, reply(ROW))]

    async def handler(request: web.Request) -> web.StreamResponse:
        return await answers.pop(0)(request)

    async with http_peer(handler) as peer, client_of(peer) as client:
        contract(await failure(lambda c: c.get_open_orders("plan"), client), caplog)
        contract(await failure(lambda c: c.get_open_orders("plan"), client), caplog)
        assert len(await client.get_open_orders("plan")) == 1


def test_a_second_event_loop_fails_at_once_with_wrong_event_loop():
    async def first() -> CoinwClient:
        async with http_peer(answering(200, reply(ROW))) as peer:
            client = client_of(peer, timeout=5)
            assert len(await client.get_open_orders("plan")) == 1
        return client  # still open, bound to this loop

    client = asyncio.run(first())
    started = time.monotonic()
    with pytest.raises(WrongEventLoop) as caught:
        asyncio.run(client.get_open_orders("plan"))
    assert time.monotonic() - started < 1 and caught.value.venue == "coinw"
    assert_no_secret(caught.value, [KEY, SECRET])
    asyncio.run(client.close())
