"""CoinwClient against the embedded simulator on 127.0.0.1: typed and normalized open orders,
the signature verified end to end, the exact query sent, the client-side rate limiter, every
check before sending, every fault, and secrecy. Every test is bounded by a timeout."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from venuewire.coinw import RATE_WINDOW_S, CoinwClient, order_query
from venuewire.credentials import CoinwCredentials
from venuewire.errors import (
    AuthError,
    ConnectionLost,
    DecodeError,
    InvalidRequest,
    PayloadTooLarge,
    RateLimited,
    Timeout,
    WrongEventLoop,
    error_code,
)
from venuewire.generated.coinw.order import Order as CoinwOrder
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.messages import decode_json
from venuewire.models import Order
from venuewire.sim.coinw import ORDERS, CoinwSimulator, Fault
from venuewire.transport import RateLimiter

pytestmark = pytest.mark.timeout(30)

KEY = "coinw-client-test-key"
SECRET = "CoInW-SeCrEt-Do-Not-Leak-123"
WRONG = "Wrong-SeCrEt-Do-Not-Leak-000"
PATH = "/v1/perpum/order"
BIG = 33308753605637070


@pytest.fixture
async def sim() -> AsyncIterator[CoinwSimulator]:
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as server:
        yield server


def make_client(sim: CoinwSimulator, secret: str = SECRET, key: str = KEY, **options: Any) -> CoinwClient:
    return CoinwClient(CoinwCredentials(key, secret), sim.url, **options)


def sim_error_code(name: str) -> int:
    return error_code("coinw", name)


def unlimited() -> RateLimiter:
    return RateLimiter(1000, 1.0)


def hand_sign(secret: str, timestamp: str, query: str) -> str:
    text = f"{timestamp}GET{PATH}?{query}"
    return base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()).decode()


# --- orders -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("position_type", ENDPOINT.choices["positionType"])
async def test_open_orders_are_the_typed_orders_the_venue_sent(sim, position_type):
    async with make_client(sim) as client:
        orders = await client.get_open_orders(position_type)
    assert orders and all(isinstance(o, CoinwOrder) for o in orders)
    expected = [decode_json(CoinwOrder, json.dumps(o)) for o in ORDERS[position_type]]
    assert orders == expected


async def test_the_seed_order_comes_back_with_its_big_id_exact_and_mixed_types_as_decimals(sim):
    async with make_client(sim) as client:
        (seed,) = await client.get_open_orders("plan", source_ids=[BIG])
    assert seed.id == BIG and type(seed.id) is int
    assert seed.fee == Decimal("0") and seed.makerFee == Decimal("0.0001")  # strings on the wire
    assert seed.baseSize == Decimal("0.002") and seed.orderPrice == Decimal(84000)  # numbers on the wire
    assert type(seed.baseSize) is Decimal and type(seed.orderPrice) is Decimal


async def test_normalized_orders(sim):
    async with make_client(sim) as client:
        orders = await client.get_open_orders_normalized("execute")
    assert all(isinstance(o, Order) and o.venue == "coinw" for o in orders)
    by_id = {o.order_id: o for o in orders}
    assert set(by_id) == {"33308753616147587", "1234567", "33308753605637070"}
    pepe = by_id["33308753616147587"]
    assert (pepe.symbol, pepe.side, pepe.type, pepe.status) == ("1000PEPE", "buy", "execute", "part")
    assert pepe.price == Decimal("0.0123456") and pepe.quantity == Decimal(50) and pepe.remaining is None
    usdc = by_id["1234567"]
    assert (usdc.side, usdc.price, usdc.quantity, usdc.remaining) == (
        "sell",
        Decimal("86012.5"),
        Decimal(250),
        Decimal(250),
    )
    assert by_id["33308753605637070"].client_order_id == "103-12-53"


async def test_source_ids_and_instrument_narrow_the_answer(sim):
    async with make_client(sim) as client:
        found = await client.get_open_orders("plan", ["33308753606524437", BIG, "1"], "eth")
        assert [o.id for o in found] == ["33308753606524437"]
        assert (
            sim.seen[-1].raw_query == "positionType=plan&sourceIds=33308753606524437,33308753605637070,1&instrument=eth"
        )
        for name in ("btc", "BTC", "bTc"):
            assert [o.id for o in await client.get_open_orders("moveStop", instrument=name)] == [33308753620000001]
            assert sim.seen[-1].raw_query.endswith(f"&instrument={name}")  # sent as given
        assert await client.get_open_orders("plan", instrument="SOL") == []
        with pytest.raises(InvalidRequest) as caught:
            await client.get_open_orders("plan", instrument="DOGE")
        assert caught.value.code == 9111


@pytest.mark.parametrize("position_type", ["market", "Execute", "someNewKind"])
async def test_an_unknown_position_type_is_sent_and_the_venues_refusal_comes_back_typed(sim, position_type):
    async with make_client(sim) as client:
        with pytest.raises(InvalidRequest) as caught:
            await client.get_open_orders(position_type)
    assert caught.value.code == sim_error_code("invalid_parameter") and caught.value.venue == "coinw"
    assert sim.stats.requests == 1 and sim.seen[-1].raw_query == f"positionType={position_type}"


async def test_plan_trigger_and_move_stop_profit_loss_are_served(sim):
    async with make_client(sim) as client:
        triggered = await client.get_open_orders_normalized("planTrigger")
        trailing = await client.get_open_orders("moveStopProfitLoss")
    assert triggered and trailing
    market = [o for o in triggered if o.price is None]
    assert market and all(o.client_order_id is None for o in market)  # orderPrice and thirdOrderId null


# --- signing --------------------------------------------------------------------------------------------


async def test_a_wrong_secret_is_an_auth_error(sim):
    async with make_client(sim, WRONG) as client:
        with pytest.raises(AuthError) as caught:
            await client.get_open_orders("execute")
    assert caught.value.code == 6001 and caught.value.venue == "coinw"
    assert sim.stats.bad_signature == 1 and sim.stats.served == 0


async def test_an_unknown_key_is_an_auth_error(sim):
    async with make_client(sim, key="somebody-else") as client:
        with pytest.raises(AuthError) as caught:
            await client.get_open_orders("execute")
    assert caught.value.code == 6000


async def test_a_skewed_clock_is_an_auth_error(sim):
    async with make_client(sim, clock=lambda: time.time() - 120) as client:
        with pytest.raises(AuthError) as caught:
            await client.get_open_orders("execute")
    assert caught.value.code == 6001 and sim.stats.bad_timestamp == 1


async def test_the_query_sent_is_exactly_the_signed_one_with_raw_commas(sim):
    ids = ["33308753606524437", "33308753605637070", "33308753616147587"]
    async with make_client(sim) as client:
        await client.get_open_orders("execute", ids, "BTC")
    seen = sim.seen[-1]
    assert seen.code == 0 and seen.api_key == KEY
    assert seen.raw_query == order_query("execute", ids, "BTC")
    assert seen.raw_query == f"positionType=execute&sourceIds={','.join(ids)}&instrument=BTC"
    assert "%2C" not in seen.raw_query
    assert seen.timestamp is not None and seen.sign == hand_sign(SECRET, seen.timestamp, seen.raw_query)
    assert abs(int(seen.timestamp) - time.time() * 1000) < 5000


# --- limits ---------------------------------------------------------------------------------------------


async def test_a_burst_of_25_stays_within_ten_a_second_and_the_venue_limit_is_never_hit(sim):
    assert sim.limit.limit == ENDPOINT.requests_per_second == 10 and sim.limit.window_s == 1.0
    async with make_client(sim) as client:
        started = time.monotonic()
        replies = await asyncio.gather(*(client.get_open_orders("plan") for _ in range(25)))
        elapsed = time.monotonic() - started
    assert all(len(r) == 2 for r in replies)
    assert sim.stats.rate_limited == 0 and sim.stats.served == 25
    assert sim.limit.most_in_window <= 10
    arrivals = sorted(s.arrived for s in sim.seen)
    assert all(arrivals[i + 10] - arrivals[i] >= 1.0 for i in range(len(arrivals) - 10))
    assert elapsed >= 2 * RATE_WINDOW_S  # 10 at once, 10 a window later, 5 a window after that


async def test_the_simulator_would_catch_a_client_without_the_limiter(sim):
    async with make_client(sim, limiter=unlimited()) as client:
        results = await asyncio.gather(*(client.get_open_orders("plan") for _ in range(15)), return_exceptions=True)
    limited = [r for r in results if isinstance(r, RateLimited)]
    served = [r for r in results if isinstance(r, list)]
    assert len(limited) + len(served) == 15 and 10 <= len(served) < 15  # 5 limited unless the machine stalls
    assert all(r.code == 29001 for r in limited)


async def test_http_429_is_rate_limited():
    async with (
        CoinwSimulator(api_key=KEY, secret=SECRET, rate_limit=1, rate_window_s=30, rate_limit_reply="http429") as sim,
        make_client(sim) as client,
    ):
        await client.get_open_orders("plan")
        with pytest.raises(RateLimited) as caught:
            await client.get_open_orders("plan")
    assert caught.value.code == 429


async def test_more_than_twenty_ids_are_refused_before_sending(sim):
    async with make_client(sim) as client:
        twenty = [str(BIG + i) for i in range(20)]
        assert [o.id for o in await client.get_open_orders("plan", twenty)] == [BIG]  # BIG + 0 is the seed order
        with pytest.raises(ValueError, match="at most 20"):
            await client.get_open_orders("plan", [*twenty, "1"])
    assert sim.stats.requests == 1


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("",), ValueError, "position_type"),
        (("plan&x=1",), ValueError, "position_type"),
        ((7,), TypeError, "position_type"),
        (("plan", ["12", "3x"]), ValueError, r"source_ids\[1\]"),
        (("plan", "12,13"), TypeError, "source_ids"),
        (("plan", []), ValueError, "source_ids"),
        (("plan", None, "BTC-USDT"), ValueError, "instrument"),
    ],
)
async def test_arguments_are_checked_before_anything_is_sent(sim, args, error, match):
    async with make_client(sim) as client:
        with pytest.raises(error, match=match):
            await client.get_open_orders(*args)
        with pytest.raises(error, match=match):
            await client.get_open_orders_normalized(*args)
    assert sim.stats.requests == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": -1.0}, ValueError, "timeout"),
        ({"url": "api.coinw.com"}, ValueError, r"^url "),
        ({"url": "https://api.coinw.com/v1"}, ValueError, r"^url "),
        ({"credentials": SECRET}, TypeError, "credentials"),
    ],
)
def test_client_arguments_are_checked(kwargs, error, match):
    args = {"credentials": CoinwCredentials(KEY, SECRET), "url": "http://127.0.0.1:1"}
    with pytest.raises(error, match=match):
        CoinwClient(**(args | kwargs))


async def test_a_reply_over_max_body_is_refused_before_it_is_buffered(sim):
    async with make_client(sim, max_body=512) as client:
        with pytest.raises(PayloadTooLarge) as caught:
            await client.get_open_orders("execute")
        assert caught.value.limit == 512 and caught.value.venue == "coinw"
        assert isinstance(caught.value, DecodeError)
    async with make_client(sim, max_body=1 << 20) as roomy:
        assert await roomy.get_open_orders("execute")


def test_max_body_is_checked():
    with pytest.raises(ValueError, match="max_body"):
        CoinwClient(CoinwCredentials(KEY, SECRET), "http://127.0.0.1:1", max_body=0)


def test_a_client_used_from_a_second_event_loop_fails_at_once_then_works_after_close():
    async def scenario() -> None:
        async with CoinwSimulator(api_key=KEY, secret=SECRET) as server:
            client = make_client(server)
            await client.get_open_orders("plan")

            def second_loop() -> float:
                async def use() -> None:
                    await client.get_open_orders("plan")

                started = time.monotonic()
                with pytest.raises(WrongEventLoop) as caught:
                    asyncio.run(use())
                assert caught.value.venue == "coinw" and isinstance(caught.value, RuntimeError)
                with pytest.raises(WrongEventLoop):
                    asyncio.run(client.get_open_orders_normalized("plan"))
                return time.monotonic() - started

            took = await asyncio.to_thread(second_loop)
            assert took < 1.0  # at once, not after the timeout
            await client.close()
            assert await client.get_open_orders("plan")  # released: usable again
            await client.close()

    asyncio.run(scenario())


def test_a_second_loop_fails_at_once_even_while_the_limiter_would_make_it_wait():
    # The limiter's window is full (1 request per 30 s): a call from another loop must not sit
    # in the limiter's wait before anything notices the loop is wrong.
    async def scenario() -> None:
        async with CoinwSimulator(api_key=KEY, secret=SECRET) as server:
            client = make_client(server, limiter=RateLimiter(1, 30.0))
            await client.get_open_orders("plan")

            def second_loop() -> float:
                started = time.monotonic()
                with pytest.raises(WrongEventLoop):
                    asyncio.run(asyncio.wait_for(client.get_open_orders("plan"), 5))
                return time.monotonic() - started

            assert await asyncio.to_thread(second_loop) < 1.0
            await client.close()

    asyncio.run(scenario())


def test_two_asyncio_runs_with_the_client_still_open():
    async def first(client: CoinwClient, url: str) -> None:
        with pytest.raises(ConnectionLost):  # nothing listens there: bound to this loop all the same
            await client.get_open_orders("plan")

    client = CoinwClient(CoinwCredentials(KEY, SECRET), "http://127.0.0.1:9", timeout=2)
    asyncio.run(first(client, "http://127.0.0.1:9"))
    started = time.monotonic()
    with pytest.raises(WrongEventLoop):
        asyncio.run(client.get_open_orders("plan"))
    assert time.monotonic() - started < 1.0
    asyncio.run(client.close())  # from yet another loop: released, nothing raised
    with pytest.raises(ConnectionLost):
        asyncio.run(client.get_open_orders("plan"))
    asyncio.run(client.close())


def test_defaults_are_the_registrys():
    client = CoinwClient(CoinwCredentials(KEY, SECRET))
    assert client.url == ENDPOINT.base_url == "https://api.coinw.com"
    assert client.limiter.limit == 10 and client.limiter.per == RATE_WINDOW_S and client.timeout == 10.0


# --- faults ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [(Fault.DROP_CONNECTION, ConnectionLost), (Fault.GARBAGE_FRAME, DecodeError), (Fault.SLOW_REPLY, Timeout)],
)
async def test_faults_fail_with_the_documented_error_then_recover(fault, error):
    async with (
        CoinwSimulator(api_key=KEY, secret=SECRET, slow_reply_s=1.0) as sim,
        make_client(sim, timeout=0.3) as client,
    ):
        sim.faults.add(fault)
        with pytest.raises(error) as caught:
            await client.get_open_orders("plan")
        assert caught.value.venue == "coinw"
        if isinstance(caught.value, DecodeError):
            assert caught.value.message_name == "order_response" and caught.value.field_path == ()
            assert "order_response at $" in str(caught.value)
        sim.faults.discard(fault)
        await asyncio.sleep(0.8 if fault is Fault.SLOW_REPLY else 0)  # let the slow handler finish
        assert len(await client.get_open_orders("plan")) == 2


async def test_the_client_can_be_used_again_after_close(sim):
    client = make_client(sim)
    assert await client.get_open_orders("moveStop")
    await client.close()
    assert await client.get_open_orders("moveStop")
    await client.close()


# --- secrecy ---------------------------------------------------------------------------------------------


async def test_the_secret_never_shows_in_logs_errors_or_reprs(sim, caplog):
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    async with make_client(sim) as client:
        texts += [repr(client), str(client)]
        await client.get_open_orders("plan", [BIG], "btc")
        await client.get_open_orders_normalized("execute")
        for fault in (Fault.GARBAGE_FRAME, Fault.DROP_CONNECTION):
            sim.faults.add(fault)
            with pytest.raises((DecodeError, ConnectionLost)) as caught:
                await client.get_open_orders("plan")
            texts.append(str(caught.value))
            sim.faults.clear()
    async with make_client(sim, WRONG) as bad:
        texts.append(repr(bad))
        with pytest.raises(AuthError) as auth:
            await bad.get_open_orders("plan")
        texts.append(str(auth.value))
    texts.append(caplog.text)
    texts += [repr(s) for s in sim.seen]
    assert "GET /v1/perpum/order?positionType=plan" in caplog.text  # requests are logged ...
    for text in texts:
        assert SECRET not in text and WRONG not in text  # ... secrets never
