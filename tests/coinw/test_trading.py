"""CoinW futures trading: the body-signed endpoints and the public ones, each called through its
generated typed method against the simulator (which keeps orders and positions as state), the
signing of JSON bodies, and the replies a hostile venue could send."""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from pathlib import Path

import aiohttp
import msgspec
import pytest

from tests.hostile.secrets import assert_no_secret
from venuewire.coinw import CoinwClient, order_book_from_coinw
from venuewire.credentials import CoinwCredentials
from venuewire.errors import AuthError, DecodeError, InvalidRequest, NotFound, RateLimited, VenueError
from venuewire.generated.coinw.ack_response import AckResponse
from venuewire.generated.coinw.batch_cancel_body import BatchCancelBody
from venuewire.generated.coinw.cancel_order_body import CancelOrderBody
from venuewire.generated.coinw.close_position_body import ClosePositionBody
from venuewire.generated.coinw.depth_response import DepthResponse
from venuewire.generated.coinw.modify_order_body import ModifyOrderBody
from venuewire.generated.coinw.order_id_response import OrderIdResponse
from venuewire.generated.coinw.order_page_response import OrderPageResponse
from venuewire.generated.coinw.place_order_body import PlaceOrderBody
from venuewire.generated.coinw.positions_response import PositionsResponse
from venuewire.generated.registry import (
    REST_COINW_CANCEL_ORDER,
    REST_COINW_GET_DEPTH,
    REST_COINW_GET_ORDER_HISTORY,
    REST_COINW_PLACE_ORDER,
    REST_ENDPOINTS,
)
from venuewire.rest import read_reply
from venuewire.signing import sign_coinw
from venuewire.sim.coinw import BOOKS, FIRST_ORDER_ID, CoinwSimulator

pytestmark = pytest.mark.timeout(30)

KEY, SECRET = "trading-test-key", "trading-test-secret-value"
CREDS = CoinwCredentials(KEY, SECRET)
VECTORS = json.loads((Path(__file__).resolve().parents[1] / "signing" / "vectors.json").read_text(encoding="utf-8"))


def plan(instrument: str = "BTC", price: str = "30000", **extra: object) -> PlaceOrderBody:
    return PlaceOrderBody(
        instrument=instrument,
        direction="long",
        leverage=Decimal("10"),
        quantityUnit="0",
        quantity=Decimal("10"),
        positionModel="1",
        positionType="plan",
        openPrice=Decimal(price),
        **extra,  # type: ignore[arg-type]
    )


def _coinw_vectors() -> list[dict[str, object]]:
    return list(VECTORS["coinw_futures"])


# ---------------------------------------------------------------- signing of bodies


BODY_VECTORS = [v for v in _coinw_vectors() if v["body"] is not None]


@pytest.mark.parametrize("vector", BODY_VECTORS, ids=lambda v: str(v["method"]))
def test_a_body_vector_is_reproduced_from_the_typed_body(vector):
    body = msgspec.json.decode(str(vector["body"]), type=PlaceOrderBody)
    sent = msgspec.json.encode(body).decode()
    assert sent == vector["body"]  # the typed body encodes to the vector's bytes, field for field
    secret, method, path = str(vector["secret"]), str(vector["method"]), str(vector["path"])
    sign = sign_coinw(secret, int(vector["timestamp_ms"]), method, path, None, sent)
    assert sign == vector["expect"]


async def test_the_sign_sent_covers_exactly_the_body_sent():
    now = 1_751_973_010.0
    async with CoinwSimulator(api_key=KEY, secret=SECRET, clock=lambda: now) as sim:
        async with CoinwClient(CoinwCredentials(KEY, SECRET), sim.url, clock=lambda: now) as client:
            reply = await client.place_order(plan())
        seen = sim.seen[-1]
    body = msgspec.json.encode(plan()).decode()
    assert seen.timestamp == str(int(now * 1000))
    assert seen.sign == sign_coinw(SECRET, int(now * 1000), "POST", REST_COINW_PLACE_ORDER.path, None, body)
    assert reply.code == 0 and reply.data is not None and reply.data.value == str(FIRST_ORDER_ID)


async def test_a_body_signed_with_another_secret_is_refused_for_every_body_method():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim:
        async with CoinwClient(CoinwCredentials(KEY, "not-the-secret"), sim.url) as client:
            for call in (
                client.place_order(plan()),
                client.cancel_order(CancelOrderBody(id="1")),
                client.batch_cancel_orders(BatchCancelBody(sourceIds=[1])),
                client.close_position(ClosePositionBody(id="1")),
            ):
                with pytest.raises(AuthError) as refused:
                    await call
                assert refused.value.code == 6001
        assert sim.stats.bad_signature == 4 and sim.desk.stats.placed == 0


# ---------------------------------------------------------------- the order life cycle


async def test_place_shows_in_open_orders_then_modify_then_cancel_then_history():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim:
        async with CoinwClient(CREDS, sim.url) as client:
            placed = await client.place_order(plan(thirdOrderId="vw-1"))
            assert placed.data is not None
            order_id = str(placed.data.value)
            page = await client.get_current_orders(instrument="btc", positionType="plan")
            assert isinstance(page, OrderPageResponse) and page.data is not None
            (row,) = page.data.rows
            assert (str(row.id), row.orderPrice, row.thirdOrderId, str(row.orderStatus)) == (
                order_id,
                Decimal("30000"),
                "vw-1",
                "unFinish",
            )
            changed = await client.modify_order(
                ModifyOrderBody(id=order_id, **msgspec.structs.asdict(plan(price="29500")))
            )
            assert changed.data is not None and str(changed.data.originId) == order_id
            new_id = str(changed.data.editId)
            page = await client.get_current_orders(instrument="BTC", positionType="plan")
            assert page.data is not None
            assert [(str(r.id), r.orderPrice) for r in page.data.rows] == [(new_id, Decimal("29500"))]
            ack = await client.cancel_order(CancelOrderBody(id=new_id))
            assert ack.code == 0
            page = await client.get_current_orders(instrument="BTC", positionType="plan")
            assert page.data is not None and page.data.rows == []
            history = await client.get_order_history(instrument="BTC")
            assert history.data is not None
            assert [(str(r.id), str(r.orderStatus)) for r in history.data.rows] == [(new_id, "cancel")]
        assert (sim.desk.stats.placed, sim.desk.stats.modified, sim.desk.stats.cancelled) == (1, 1, 1)


async def test_batch_cancel_cancels_every_listed_open_order():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim, CoinwClient(CREDS, sim.url) as client:
        ids = []
        for price in ("30000", "29900", "29800"):
            reply = await client.place_order(plan(price=price))
            assert reply.data is not None
            ids.append(int(str(reply.data.value)))
        await client.batch_cancel_orders(BatchCancelBody(sourceIds=ids[:2]))
        page = await client.get_current_orders(instrument="BTC", positionType="plan")
        assert page.data is not None and [int(str(r.id)) for r in page.data.rows] == [ids[2]]
        with pytest.raises(NotFound) as gone:
            await client.batch_cancel_orders(BatchCancelBody(sourceIds=ids[:2]))
    assert gone.value.code == 9012 and gone.value.venue == "coinw"


async def test_a_market_order_opens_a_position_that_close_position_closes_in_two_steps():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim, CoinwClient(CREDS, sim.url) as client:
        before = await client.get_all_positions()
        body = msgspec.structs.replace(
            plan("ETH"), positionType="execute", openPrice=msgspec.UNSET, quantity=Decimal("4")
        )
        await client.place_order(body)
        positions = await client.get_positions(instrument="eth")
        assert isinstance(positions, PositionsResponse) and positions.data is not None
        (position,) = positions.data
        assert position.openPrice == Decimal(str(BOOKS["eth"]["asks"][0]["p"]))  # filled at the best ask
        assert position.currentPiece == Decimal("4")
        half = await client.close_position(ClosePositionBody(id=str(position.id), closeRate=Decimal("0.5")))
        assert isinstance(half, OrderIdResponse) and half.data is not None
        positions = await client.get_positions(instrument="ETH")
        assert positions.data is not None and positions.data[0].currentPiece == Decimal("2")
        await client.close_position(ClosePositionBody(id=str(position.id)))
        after = await client.get_all_positions()
        with pytest.raises(NotFound):
            await client.close_position(ClosePositionBody(id=str(position.id)))
    assert before.data == after.data and before.data  # the data file's position stays, ETH's is gone
    assert sim.desk.stats.closed == 2


async def test_assets_instruments_and_depth_are_served_typed_and_the_book_normalizes():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim:
        async with CoinwClient(CREDS, sim.url) as client:
            assets = await client.get_user_assets()
            instruments = await client.get_instruments(name="eth")
            depth = await client.get_depth(base="btc")
        public = [s for s in sim.seen if s.sign is None]
    assert assets.data is not None and assets.data.availableUsdt == Decimal("987.9958")
    assert instruments.data is not None and [i.name for i in instruments.data] == ["ETH"]
    assert len(public) == 2  # instruments and depth go out unsigned (auth none)
    book = order_book_from_coinw(depth)
    assert (book.venue, book.symbol, book.raw) == ("coinw", "BTC", depth)
    expected = [(Decimal(str(a["p"])), Decimal(str(a["m"]))) for a in BOOKS["btc"]["asks"]]
    assert [(lv.price, lv.size) for lv in book.asks] == expected
    assert book.bids[0].price < book.asks[0].price and book.timestamp is not None


async def test_the_venues_refusals_come_back_typed():
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim, CoinwClient(CREDS, sim.url) as client:
        with pytest.raises(InvalidRequest) as untradable:
            await client.place_order(plan("DOGE"))
        with pytest.raises(InvalidRequest) as no_price:
            await client.place_order(msgspec.structs.replace(plan(), openPrice=msgspec.UNSET))
        await client.place_order(plan())
        with pytest.raises(InvalidRequest) as locked:
            await client.place_order(msgspec.structs.replace(plan(), positionModel="0"))
        with pytest.raises(NotFound) as unknown:
            await client.cancel_order(CancelOrderBody(id="42"))
        with pytest.raises(InvalidRequest) as no_book:
            await client.get_depth(base="doge")
    assert (untradable.value.code, no_price.value.code, locked.value.code) == (9111, 402, 9050)
    assert unknown.value.code == 9012 and "not found" in unknown.value.message.lower()
    assert no_book.value.code == 9111


async def test_the_simulator_refuses_a_body_that_is_not_a_json_object():
    now = 1_751_973_010.0
    path = REST_COINW_CANCEL_ORDER.path
    async with CoinwSimulator(api_key=KEY, secret=SECRET, clock=lambda: now) as sim, aiohttp.ClientSession() as http:
        for body in ("[1, 2]", "{not json"):
            ts = int(now * 1000)
            headers = {"api_key": KEY, "timestamp": str(ts), "sign": sign_coinw(SECRET, ts, "DELETE", path, None, body)}
            async with http.delete(sim.url + path, data=body.encode(), headers=headers) as response:
                reply = json.loads(await response.read())
            assert reply["code"] == 1 and reply["data"] is None


# ---------------------------------------------------------------- hostile replies

DEPTH = b'{"code":0,"data":{"asks":[%s],"bids":[],"n":"btc"}}'


@pytest.mark.parametrize(
    ("endpoint", "response", "body", "field"),
    [
        (REST_COINW_PLACE_ORDER, OrderIdResponse, b'{"code":0,"data":{"value":1.5},"msg":""}', ("data", "value")),
        (REST_COINW_GET_ORDER_HISTORY, OrderPageResponse, b'{"code":0,"data":{"rows":[{"id":1}]}}', ("data", "rows")),
        (REST_COINW_GET_DEPTH, DepthResponse, DEPTH % b'{"p":true,"m":1}', ("data", "asks", 0, "p")),
        (REST_COINW_GET_DEPTH, DepthResponse, DEPTH % b'{"p":"NaN","m":"1"}', ("data", "asks", 0, "p")),
    ],
    ids=["float_id", "row_missing_fields", "price_as_bool", "nan_price"],
)
def test_a_reply_of_the_wrong_shape_is_a_decode_error_naming_venue_message_and_field(endpoint, response, body, field):
    with pytest.raises(DecodeError) as caught:
        read_reply(endpoint, response, 200, {}, body)
    error = caught.value
    assert error.venue == "coinw" and error.message_name == endpoint.response.split("/")[1]
    assert tuple(error.field_path[: len(field)]) == field


@pytest.mark.parametrize("body", [b"{", b'{"code":0,"data":', b"\xff\xfe", b"<html>502</html>", b"[]"])
def test_a_broken_body_is_a_decode_error(body):
    with pytest.raises(DecodeError) as caught:
        read_reply(REST_COINW_CANCEL_ORDER, AckResponse, 200, {}, body)
    assert caught.value.venue == "coinw" and caught.value.message_name == "ack_response"


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (400, b'{"code":6001,"msg":"sign error"}', AuthError, 6001),
        (400, b'{"code":9012,"msg":"Position not found."}', NotFound, 9012),
        (403, b"<html>forbidden</html>", AuthError, 403),
        (404, b"<html>not found</html>", VenueError, 404),
        (429, b'{"code":29001,"msg":"API access frequently"}', RateLimited, 429),
    ],
)
def test_a_4xx_reply_is_the_typed_error_of_its_envelope_or_status(status, body, kind, code):
    with pytest.raises(kind) as caught:
        read_reply(REST_COINW_CANCEL_ORDER, AckResponse, status, {}, body)
    assert caught.value.venue == "coinw" and caught.value.code == code and caught.value.message


async def test_secrets_never_reach_a_repr_a_log_or_an_error(caplog):
    caplog.set_level(logging.DEBUG)
    async with CoinwSimulator(api_key=KEY, secret=SECRET) as sim:
        client = CoinwClient(CoinwCredentials(KEY, SECRET + "x"), sim.url)
        async with client:
            with pytest.raises(AuthError) as refused:
                await client.place_order(plan())
            assert SECRET not in repr(client) and SECRET not in repr(client._rest)
    assert_no_secret(refused.value, [SECRET, SECRET + "x"])
    assert SECRET not in caplog.text


def test_every_trading_endpoint_is_declared_with_its_body_or_query():
    coinw = {e.name: e for e in REST_ENDPOINTS if e.venue == "coinw"}
    bodies = {n: e.body for n, e in coinw.items() if e.body is not None}
    assert bodies == {
        "place_order": "coinw/place_order_body",
        "cancel_order": "coinw/cancel_order_body",
        "modify_order": "coinw/modify_order_body",
        "batch_cancel_orders": "coinw/batch_cancel_body",
        "close_position": "coinw/close_position_body",
    }
    assert {coinw[n].auth for n in ("get_instruments", "get_depth")} == {"none"}


def test_the_desk_starts_from_its_data_files():
    from tests.contract.jsonfixtures import message_class
    from venuewire.generated.registry import MESSAGES
    from venuewire.messages import decode_json
    from venuewire.sim.coinw import Desk, sim_data

    desk = Desk()
    by_name = {m.name: m for m in MESSAGES if m.venue == "coinw"}
    positions = sim_data("positions_response", "positions")
    assert list(desk.positions.values()) == positions["data"]
    assert desk.assets == sim_data("assets_response", "assets")["data"]
    assert desk.instruments == sim_data("instruments_response", "instruments")["data"]
    for base in BOOKS:
        book = decode_json(message_class(by_name["depth_response"]), json.dumps(sim_data("depth_response", base)))
        assert book.data.n == base
