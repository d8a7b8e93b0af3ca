"""BitMart spot trading: BitmartTradeClient against the embedded simulator on 127.0.0.1 (every
endpoint, the refusals with BitMart's codes, the signature checked by the simulator, exact ids
and prices), the pure normalization, and the simulator's desk on its own. Every wait is bounded."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from decimal import Decimal

import aiohttp
import pytest

from venuewire import sync
from venuewire.bitmart import BitmartTradeClient, order_from_bitmart
from venuewire.credentials import BitmartCredentials
from venuewire.errors import AuthError, DecodeError, InvalidRequest, NotFound, RateLimited
from venuewire.generated.bitmart.rest_order_response import RestOrderResponse
from venuewire.generated.bitmart.rest_submit_order_body import RestOrderType, RestSide, RestSubmitOrderBody
from venuewire.generated.registry import REST_BITMART_QUERY_ORDER, REST_BITMART_SUBMIT_ORDER
from venuewire.messages import decode_json
from venuewire.models import Balance, Fill, Order, OrderBook
from venuewire.rest import read_reply
from venuewire.signing import sign_bitmart
from venuewire.sim.bitmart import BitmartSimulator, PrivateSession
from venuewire.sim.bitmart_trade import FIRST_ORDER_ID, Desk, Refusal

KEY, SECRET, MEMO = "trade-key", "trade-secret", "trade-memo"
BIG_ID = str(FIRST_ORDER_ID)  # 2^53 + 1: a float would read it as 2^53


@pytest.fixture
async def sim() -> AsyncIterator[BitmartSimulator]:
    # push_interval of an hour: the book stays at step 0 unless a test moves it
    async with BitmartSimulator(api_key=KEY, secret=SECRET, memo=MEMO, push_interval=3600) as running:
        yield running


@pytest.fixture
async def client(sim: BitmartSimulator) -> AsyncIterator[BitmartTradeClient]:
    async with BitmartTradeClient(BitmartCredentials(KEY, SECRET, MEMO), sim.rest_url, timeout=5) as bitmart:
        yield bitmart


def book(sim: BitmartSimulator, symbol: str = "BTC_USDT") -> tuple[list[tuple[Decimal, Decimal, int]], ...]:
    return sim.spot_book(symbol).snapshot(sim.step)


def wallet(sim: BitmartSimulator, coin: str) -> list[Decimal]:
    return sim.trading.desk.wallet[coin]


# ---------------------------------------------------------------- every endpoint, normalized


async def test_order_book_is_the_simulated_book_exactly(sim, client):
    bids, asks = book(sim)
    got = await client.order_book("BTC_USDT", limit=5)
    assert isinstance(got, OrderBook) and got.venue == "bitmart" and got.symbol == "BTC_USDT"
    assert [(lvl.price, lvl.size) for lvl in got.bids] == [(p, s) for p, s, _ in bids[:5]]
    assert [(lvl.price, lvl.size) for lvl in got.asks] == [(p, s) for p, s, _ in asks[:5]]
    assert got.timestamp is not None and got.raw is not None


async def test_place_list_query_cancel_a_resting_limit_order(sim, client):
    bids, _asks = book(sim)
    price = bids[-1][0] - Decimal("100.01")  # below every bid and ask: rests
    usdt_before = wallet(sim, "USDT")[0]
    order_id = await client.place_order("BTC_USDT", "buy", size="0.01000", price=price, client_order_id="c1")
    assert order_id == BIG_ID  # the first id is above 2^53 and comes back exact
    assert wallet(sim, "USDT") == [usdt_before - Decimal("0.01") * price, Decimal("0.01") * price]

    listed = await client.open_orders("BTC_USDT")
    assert [o.order_id for o in listed] == [BIG_ID]
    order = await client.get_order(order_id)
    assert isinstance(order, Order)
    assert (order.side, order.type, order.status, order.client_order_id) == ("buy", "limit", "new", "c1")
    assert order.price == price and str(order.price) == format(price, "f")  # exact text, exact Decimal
    assert order.quantity == Decimal("0.01") and order.remaining == Decimal("0.01")
    assert order.filled_quantity == 0 and order.average_fill_price is None

    assert await client.cancel("BTC_USDT", order_id) is True
    assert (await client.get_order(order_id, "history")).status == "canceled"
    assert await client.open_orders() == []
    assert wallet(sim, "USDT") == [usdt_before, 0]  # the hold came back


async def test_crossing_limit_order_fills_partially_at_the_book_prices(sim, client):
    _bids, asks = book(sim)
    best_price, best_size, _ = asks[0]
    size = best_size + Decimal("0.5")  # more than the best level holds
    btc_before, usdt_before = wallet(sim, "BTC")[0], wallet(sim, "USDT")[0]
    order_id = await client.place_order("BTC_USDT", "buy", size=size, price=best_price)  # crosses the best ask only
    order = await client.get_order(order_id)
    assert order.status == "partially_filled"
    assert order.filled_quantity == best_size and order.average_fill_price == best_price
    assert order.remaining == size - best_size
    assert wallet(sim, "BTC")[0] == btc_before + best_size
    assert wallet(sim, "USDT") == [usdt_before - size * best_price, (size - best_size) * best_price]
    balances = {b.currency: b for b in await client.balances()}
    assert balances["BTC"].buying_power == btc_before + best_size
    assert balances["USDT"].frozen == (size - best_size) * best_price

    # the same liquidity is not sold twice at one step; once the book moves, the rest can fill
    assert (await client.get_order(order_id)).filled_quantity == best_size
    assert await client.cancel("BTC_USDT", order_id)
    assert (await client.get_order(order_id)).status == "partially_canceled"


async def test_market_orders_fill_across_the_book(sim, client):
    bids, _ = book(sim)
    sold = await client.get_order(await client.place_order("BTC_USDT", "sell", "market", size="0.001"))
    assert sold.status == "filled" and sold.price is None
    assert sold.average_fill_price is not None and sold.average_fill_price <= bids[0][0]
    bought = await client.get_order(await client.place_order("BTC_USDT", "buy", "market", notional="50"))
    assert bought.status in ("filled", "partially_canceled") and bought.filled_quantity


async def test_ioc_and_post_only_orders(sim, client):
    bids, asks = book(sim)
    ioc = await client.get_order(await client.place_order("BTC_USDT", "buy", "ioc", size="5", price=asks[0][0]))
    assert ioc.status == "partially_canceled" and ioc.filled_quantity == asks[0][1] and ioc.remaining == 0
    maker_id = await client.place_order("BTC_USDT", "sell", "limit_maker", size="0.001", price=bids[0][0])
    maker = await client.get_order(maker_id)
    assert maker.status == "canceled" and maker.filled_quantity == 0


async def test_wallet_balances_and_one_currency(sim, client):
    everything = await client.balances()
    assert {b.currency for b in everything} >= {"USDT", "BTC"}
    (usdt,) = await client.balances("USDT")
    assert isinstance(usdt, Balance) and usdt.account == "spot" and usdt.cash == Decimal("1000000")


async def test_generated_endpoint_methods_are_typed_and_signed(sim, client):
    body = RestSubmitOrderBody(symbol="ETH_USDT", side=RestSide.buy, type=RestOrderType.limit)
    body.size, body.price = Decimal("0.1"), Decimal("10.00")
    placed = await client.submit_order(body)
    assert placed.code == 1000 and placed.data.order_id.isdigit()
    text = sim.trading.desk.orders[placed.data.order_id]["price"]
    assert text == "10.00"  # the price travelled as the exact text


# ---------------------------------------------------------------- refusals, with BitMart's codes


async def test_refusals_carry_bitmarts_codes(sim, client):
    with pytest.raises(InvalidRequest) as caught:
        await client.place_order("BTC_USDT", "buy", size="1000", price="59000")  # 59,000,000 USDT
    assert caught.value.code == 50020 and caught.value.venue == "bitmart"
    with pytest.raises(InvalidRequest) as caught:
        await client.place_order("NOPE_USDT", "buy", size="1", price="1")
    assert caught.value.code == 50001
    with pytest.raises(NotFound) as caught:
        await client.get_order("123")
    assert caught.value.code == 50005
    with pytest.raises(NotFound) as caught:
        await client.cancel("BTC_USDT", "123")
    assert caught.value.code == 50032
    order_id = await client.place_order("BTC_USDT", "buy", size="0.001", price="1")
    await client.cancel("BTC_USDT", order_id)
    with pytest.raises(InvalidRequest) as caught:
        await client.cancel("BTC_USDT", order_id)
    assert caught.value.code == 50030
    assert sim.trading.stats.refused == {50020: 1, 50001: 1, 50005: 1, 50032: 1, 50030: 1}


async def test_a_bad_signature_is_refused_by_the_simulator(sim):
    async with BitmartTradeClient(BitmartCredentials(KEY, "wrong-secret", MEMO), sim.rest_url, timeout=5) as bad:
        with pytest.raises(AuthError) as caught:
            await bad.open_orders()
        assert caught.value.code == 30005
        assert (await bad.order_book("BTC_USDT")).symbol == "BTC_USDT"  # public: no signature needed
    async with BitmartTradeClient(BitmartCredentials("nobody", SECRET, MEMO), sim.rest_url, timeout=5) as stranger:
        for call in (stranger.balances(), stranger.open_orders()):
            with pytest.raises(AuthError) as caught:
                await call
            assert caught.value.code == 30002
    async with BitmartTradeClient(
        BitmartCredentials(KEY, SECRET, MEMO), sim.rest_url, timeout=5, clock=lambda: time.time() - 120
    ) as stale:
        with pytest.raises(AuthError) as caught:
            await stale.open_orders()
        assert caught.value.code == 30007


async def test_the_signature_covers_the_exact_body_sent(sim):
    """A raw request: the simulator checks hex HMAC(secret, ts#memo#body) over the bytes as they
    arrived; the same body with one byte changed is refused."""
    body = '{"symbol": "BTC_USDT", "side": "buy", "type": "limit", "size": "0.001", "price": "1"}'
    stamp = str(int(time.time() * 1000))
    headers = {"X-BM-KEY": KEY, "X-BM-TIMESTAMP": stamp, "X-BM-SIGN": sign_bitmart(SECRET, MEMO, int(stamp), body)}
    headers["Content-Type"] = "application/json"
    url = sim.rest_url + REST_BITMART_SUBMIT_ORDER.path
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
        async with http.post(url, data=body, headers=headers) as reply:
            assert reply.status == 200 and (await reply.json())["code"] == 1000
        async with http.post(url, data=body.replace('"1"}', '"2"}'), headers=headers) as reply:
            assert reply.status == 401 and (await reply.json())["code"] == 30005


def test_argument_checks_send_nothing():
    creds = BitmartCredentials(KEY, SECRET, MEMO)
    client = BitmartTradeClient(creds, "http://127.0.0.1:9")

    async def run() -> None:
        for bad, kwargs in (
            (ValueError, {"side": "long", "size": "1", "price": "1"}),
            (ValueError, {"side": "buy", "size": "-1", "price": "1"}),
            (ValueError, {"side": "buy", "size": "NaN", "price": "1"}),
            (ValueError, {"side": "buy", "size": "1"}),
            (TypeError, {"side": "buy", "size": 1.5, "price": "1"}),
        ):
            with pytest.raises(bad):
                await client.place_order("BTC_USDT", **kwargs)
        with pytest.raises(ValueError, match="exactly one"):
            await client.cancel("BTC_USDT")
        with pytest.raises(ValueError):
            await client.open_orders(limit=0)
        await client.close()

    asyncio.run(run())
    with pytest.raises(TypeError):
        BitmartTradeClient("key", "http://127.0.0.1:9")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        BitmartTradeClient(creds, "http://127.0.0.1:9/path")
    assert SECRET not in repr(client) and MEMO not in repr(client)


# ---------------------------------------------------------------- replies read exactly (pure)


def order_reply(**changes: object) -> bytes:
    data = {
        "orderId": "123456789012345678901234567890",
        "clientOrderId": "",
        "symbol": "BTC_USDT",
        "side": "sell",
        "type": "limit",
        "state": "partially_filled",
        "price": "60000.000000000000000001",
        "priceAvg": "60000.000000000000000001",
        "size": "0.30000",
        "filledSize": "0.10000",
        "createTime": 1751973010000,
        "updateTime": 1751973011000,
    }
    data.update(changes)
    return json.dumps({"code": 1000, "message": "OK", "trace": "t", "data": data}).encode()


def test_ids_and_prices_are_exact_and_times_utc():
    reply = read_reply(REST_BITMART_QUERY_ORDER, RestOrderResponse, 200, {}, order_reply())
    order = order_from_bitmart(reply.data)
    assert order.order_id == "123456789012345678901234567890"
    assert order.price == Decimal("60000.000000000000000001") and order.client_order_id is None
    assert order.remaining == Decimal("0.2") and order.created_at is not None
    assert order.created_at.tzinfo is not None and order.created_at.year == 2025


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (401, b'{"code":30005,"message":"Header X-BM-SIGN is wrong","trace":"t","data":{}}', AuthError, 30005),
        (429, b'{"code":30013,"message":"too many","trace":"t","data":{}}', RateLimited, 30013),
        (400, b'{"code":50005,"message":"Order Id not found","trace":"t","data":{}}', NotFound, 50005),
        (401, b"<html>no</html>", AuthError, 401),
    ],
)
def test_error_replies_keep_bitmarts_code(status, body, error, code):
    with pytest.raises(error) as caught:
        read_reply(REST_BITMART_QUERY_ORDER, RestOrderResponse, status, {}, body)
    assert caught.value.code == code and caught.value.venue == "bitmart"


def test_nan_or_bad_times_are_decode_errors_naming_the_field():
    with pytest.raises(DecodeError) as caught:
        read_reply(REST_BITMART_QUERY_ORDER, RestOrderResponse, 200, {}, order_reply(price="NaN"))
    assert caught.value.field_path == ("data", "price")
    reply = decode_json(RestOrderResponse, order_reply(createTime=10**18))
    with pytest.raises(DecodeError) as caught:
        order_from_bitmart(reply.data)
    assert caught.value.field_path == ("data", "createTime")


def test_a_nan_in_the_rest_book_is_a_decode_error_naming_the_rest_message():
    from venuewire.bitmart.trade import order_book_from_rest
    from venuewire.generated.bitmart.rest_books_response import RestBooksResponse
    from venuewire.generated.registry import REST_BITMART_GET_BOOKS

    body = b'{"code":1000,"data":{"ts":"1","symbol":"X_Y","asks":[["1.5","2"],["NaN","1"]],"bids":[]}}'
    reply = read_reply(REST_BITMART_GET_BOOKS, RestBooksResponse, 200, {}, body)
    with pytest.raises(DecodeError) as caught:
        order_book_from_rest(reply.data)
    assert caught.value.message_name == "rest_books_response"
    assert caught.value.field_path == ("data", "asks", 1, 0)


# ---------------------------------------------------------------- the desk on its own (pure)


def test_desk_fills_against_levels_and_releases_holds():
    bids = [(Decimal("99"), Decimal("1"), 1), (Decimal("98"), Decimal("2"), 1)]
    asks = [(Decimal("101"), Decimal("1"), 1), (Decimal("102"), Decimal("3"), 1)]
    desk = Desk(frozenset({"X_USDT"}), {"USDT": (Decimal(1000), Decimal(0)), "X": (Decimal(5), Decimal(0))})
    events = []
    desk.listeners.append(events.append)

    def place(side: str, size: str, price: str, now: int) -> dict[str, str] | Refusal:
        return desk.place({"symbol": "X_USDT", "side": side, "type": "limit", "size": size, "price": price}, now, of, 0)

    def of(_symbol: str) -> tuple[list[tuple[Decimal, Decimal, int]], ...]:
        return bids, asks

    placed = place("buy", "3", "102", 1)
    assert not isinstance(placed, Refusal)
    order = desk.orders[placed["order_id"]]
    assert order["state"] == "filled" and order["priceAvg"] == "101.66666666" and order["filledNotional"] == "305"
    assert desk.wallet["USDT"] == [Decimal(1000) - 305, 0] and desk.wallet["X"][0] == 8
    assert [e.fill["price"] for e in events if e.fill] == ["101", "102"]
    again = place("buy", "2", "102", 2)
    assert not isinstance(again, Refusal)
    assert desk.orders[again["order_id"]]["filledSize"] == "1"  # 2 of the 3 at 102 are gone this step
    refused = place("sell", "100", "1", 3)
    assert isinstance(refused, Refusal) and refused.code == 50020


def test_sync_facade_places_and_cancels():
    simulator = BitmartSimulator(api_key=KEY, secret=SECRET, memo=MEMO, push_interval=3600)
    with (
        sync.serve(simulator) as sim,
        sync.BitmartTradeClient(BitmartCredentials(KEY, SECRET, MEMO), sim.rest_url, timeout=5) as bitmart,
    ):
        order_id = bitmart.place_order("BTC_USDT", "buy", size="0.001", price="1")
        assert [o.order_id for o in bitmart.open_orders()] == [order_id]
        assert bitmart.cancel("BTC_USDT", order_id) and bitmart.open_orders() == []


# ---------------------------------------------------------------- the private socket


async def subscribed(sim: BitmartSimulator, topic: str) -> None:
    """Wait (bounded) until a logged-in private connection of `sim` has subscribed to `topic`."""
    deadline = time.monotonic() + 5
    while not any(isinstance(c.session, PrivateSession) and topic in c.session.topics for c in sim.connections):
        assert time.monotonic() < deadline, f"no subscription to {topic} within 5 s"
        await asyncio.sleep(0.01)


async def take(stream: AsyncIterator[object], count: int) -> list[object]:
    got: list[object] = []
    async with asyncio.timeout(5):
        async for item in stream:
            if isinstance(item, Order | Fill | Balance):
                got.append(item)
            if len(got) == count:
                return got
    return got


@pytest.fixture
async def private_client(sim: BitmartSimulator) -> AsyncIterator[BitmartTradeClient]:
    creds = BitmartCredentials(KEY, SECRET, MEMO)
    async with BitmartTradeClient(creds, sim.rest_url, ws_url=sim.private_url, timeout=5) as bitmart:
        yield bitmart


async def test_order_pushes_follow_the_desk_with_fills(sim, private_client):
    stream = private_client.order_updates("BTC_USDT")
    items = asyncio.ensure_future(take(stream, 4))
    await subscribed(sim, "spot/user/order:BTC_USDT")
    _bids, asks = book(sim)
    best_price, best_size, _ = asks[0]
    order_id = await private_client.place_order("BTC_USDT", "buy", size=best_size * 2, price=best_price)
    await private_client.cancel("BTC_USDT", order_id)
    new, fill, partial, cancelled = await items
    assert isinstance(new, Order) and new.status == "new" and new.order_id == order_id == BIG_ID
    assert isinstance(fill, Fill) and (fill.order_id, fill.price, fill.quantity, fill.side) == (
        BIG_ID,
        best_price,
        best_size,
        "buy",
    )
    assert fill.timestamp is not None and fill.fill_id
    assert isinstance(partial, Order) and partial.status == "partially_filled" and partial.remaining == best_size
    assert partial.average_fill_price == best_price
    assert isinstance(cancelled, Order) and cancelled.status == "partially_canceled" and cancelled.remaining == 0
    await stream.aclose()


async def test_balance_pushes_follow_holds_and_fills(sim, private_client):
    stream = private_client.balance_updates()
    items = asyncio.ensure_future(take(stream, 1))
    await subscribed(sim, "spot/user/balance:BALANCE_UPDATE")
    await private_client.place_order("BTC_USDT", "buy", size="0.01", price="1000")  # rests: USDT held
    (usdt,) = await items
    assert isinstance(usdt, Balance) and usdt.currency == "USDT"
    assert usdt.frozen == Decimal("10") and usdt.buying_power == Decimal("999990")
    await stream.aclose()


async def test_other_pairs_and_other_accounts_are_not_pushed(sim, private_client):
    stream = private_client.order_updates(["ETH_USDT"])
    items = asyncio.ensure_future(take(stream, 1))
    await subscribed(sim, "spot/user/order:ETH_USDT")
    await private_client.place_order("BTC_USDT", "buy", size="0.01", price="1000")  # another pair: silent
    await private_client.place_order("ETH_USDT", "buy", size="0.1", price="10")
    (only,) = await items
    assert isinstance(only, Order) and only.symbol == "ETH_USDT"
    await stream.aclose()


async def test_a_refused_login_ends_the_private_stream_typed(sim):
    creds = BitmartCredentials(KEY, "wrong-secret", MEMO)
    async with BitmartTradeClient(creds, sim.rest_url, ws_url=sim.private_url, timeout=5) as bad:
        stream = bad.order_updates("BTC_USDT")
        with pytest.raises(AuthError) as caught:
            async with asyncio.timeout(5):
                async for _item in stream:
                    pass
        assert caught.value.code == 30013 and stream.failure is caught.value


def test_push_entries_normalize_exactly():
    from venuewire.bitmart.trade import balances_from_push, order_events_from_push
    from venuewire.generated.bitmart.user_balance import UserBalancePush
    from venuewire.generated.bitmart.user_order import UserOrderPush
    from venuewire.sim.rest import examples

    (entry,) = decode_json(UserOrderPush, examples("bitmart", "user_order")[0]).data
    fill, order = order_events_from_push(entry)
    assert isinstance(fill, Fill) and fill.price == Decimal("59999.72") and fill.quantity == Decimal("0.00011")
    assert isinstance(order, Order) and order.order_id == "9007199254740993" and order.remaining == Decimal("0.00989")
    bad = json.loads(examples("bitmart", "user_order")[0])
    bad["data"][0]["create_time"] = "99999999999999999"
    with pytest.raises(DecodeError) as caught:
        order_events_from_push(decode_json(UserOrderPush, json.dumps(bad)).data[0])
    assert caught.value.field_path == ("data", 0, "create_time")
    (usdt,) = balances_from_push(decode_json(UserBalancePush, examples("bitmart", "user_balance")[0]))
    assert usdt.buying_power == Decimal("999999.34000308") and usdt.frozen == Decimal("599.33")


async def test_demo_order_life_cycle_places_lists_and_cancels(sim, client):
    from venuewire.demo.bitmart_trading import bitmart_order_life_cycle

    lines = await bitmart_order_life_cycle(client)
    assert len(lines) == 7 and lines[1].startswith("placed") and BIG_ID in lines[1]
    assert "new" in lines[2] and "canceled" in lines[5] and lines[-1].endswith("USDT held 0")
    assert sim.trading.stats.placed == 1 and sim.trading.stats.cancelled == 1
    assert sim.trading.desk.orders[BIG_ID]["clientOrderId"] == "vwdemo"


async def test_the_simulator_limits_each_endpoint_per_key_with_30013(sim):
    """More book requests in one second than the registry's requests_per_second: HTTP 429 with
    BitMart's 30013, which the client reads as RateLimited (its own limiter never gets there)."""
    from venuewire.generated.registry import REST_BITMART_GET_BOOKS

    limit = REST_BITMART_GET_BOOKS.requests_per_second
    assert limit is not None
    url = f"{sim.rest_url}{REST_BITMART_GET_BOOKS.path}?symbol=BTC_USDT"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
        statuses = []
        for _ in range(limit + 1):
            async with http.get(url) as reply:
                statuses.append((reply.status, (await reply.json())["code"]))
    assert statuses[:limit] == [(200, 1000)] * limit and statuses[-1] == (429, 30013)
    with pytest.raises(RateLimited) as caught:
        body = b'{"code":30013,"message":"x"}'
        read_reply(REST_BITMART_GET_BOOKS, RestOrderResponse, 429, {"Retry-After": "1"}, body)
    assert caught.value.retry_after == 1.0


def test_a_bad_private_push_is_a_decode_failure_and_the_stream_goes_on():
    from venuewire.bitmart.trade import UserOrderProtocol
    from venuewire.events import DecodeFailure
    from venuewire.sim.bitmart import deflate
    from venuewire.sim.rest import examples

    channel = UserOrderProtocol("ws://127.0.0.1:9/user", "BTC_USDT", BitmartCredentials(KEY, SECRET, MEMO))
    assert channel.opening()[0].startswith('{"op":"login"')  # the login goes first
    bad = channel.receive(deflate(b'{"table":"spot/user/order","data":[{"symbol":1}]}'))
    assert len(bad.items) == 1 and isinstance(bad.items[0], DecodeFailure) and bad.fatal is None
    good = channel.receive(deflate(examples("bitmart", "user_order")[0]))
    assert [type(item) for item in good.items] == [Fill, Order]


def test_rest_auth_headers_by_bitmart_scheme():
    from venuewire.signing import bitmart_headers, rest_auth_headers

    creds = BitmartCredentials(KEY, SECRET, MEMO)
    body = '{"symbol":"BTC_USDT"}'
    scheme, stamp = "bitmart_hmac_sha256_hex", 1_700_000_000_000
    signed = rest_auth_headers(scheme, creds, timestamp_ms=stamp, method="POST", path="/x", query=None, body=body)
    assert signed == bitmart_headers(creds, 1_700_000_000_000, body)
    assert signed["X-BM-SIGN"] == sign_bitmart(SECRET, MEMO, 1_700_000_000_000, body)
    by_query = rest_auth_headers(scheme, creds, timestamp_ms=stamp, method="GET", path="/x", query="a=1", body=None)
    assert by_query["X-BM-SIGN"] == sign_bitmart(SECRET, MEMO, 1_700_000_000_000, "a=1")
    keyed = rest_auth_headers("bitmart_api_key", creds, timestamp_ms=1, method="GET", path="/x", query=None, body=None)
    assert keyed == {"X-BM-KEY": KEY}
    with pytest.raises(TypeError):
        rest_auth_headers("bitmart_api_key", None, timestamp_ms=1, method="GET", path="/x", query=None, body=None)
