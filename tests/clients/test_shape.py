"""One client shape for every venue: the same parameter names for the same things, the same
life cycle (`async with` connects or is ready, leaving closes), the same order-book stream
items (`OrderBook | Gap | DecodeFailure`, the typed raw message one attribute away), and the
same top-level exports in every venue package."""

from __future__ import annotations

import asyncio
import base64
import importlib
import inspect
import re
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

import venuewire
from venuewire import exports, sync
from venuewire.bitmart import BitmartClient
from venuewire.bitmart.book import order_book_from_legacy, order_book_from_spot
from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials, InfowayCredentials, QfexCredentials
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthData
from venuewire.generated.futu import Qot_UpdateOrderBook_pb2
from venuewire.generated.infoway.depth import Depth
from venuewire.generated.registry import VENUES, OpenDProtoID
from venuewire.infoway import InfowayClient
from venuewire.infoway.book import order_book_from_depth
from venuewire.models import Order, OrderBook
from venuewire.opend import OpenDClient
from venuewire.opend.book import order_book_from_s2c
from venuewire.qfex import QfexTradeClient
from venuewire.sim import bitmart as bitmart_sim
from venuewire.sim import coinw as coinw_sim
from venuewire.sim import infoway as infoway_sim
from venuewire.sim import qfex as qfex_sim
from venuewire.sim.opend import OpenDSimulator

pytestmark = pytest.mark.timeout(60)

CLIENTS: dict[str, tuple[type[Any], ...]] = {
    "futu": (OpenDClient,),
    "bitmart": (BitmartClient,),
    "coinw": (CoinwClient,),
    "infoway": (InfowayClient,),
    "qfex": (QfexTradeClient,),
}
PACKAGES = {"futu": "venuewire.opend", "bitmart": "venuewire.bitmart", "coinw": "venuewire.coinw",
            "infoway": "venuewire.infoway", "qfex": "venuewire.qfex"}  # fmt: skip
COMMON = {"VENUE", "Order", "OrderBook", "Gap", "DecodeFailure"}
SYNONYMS = (
    {"url", "base_url", "endpoint"},
    {"timeout", "request_timeout"},
    {"buffer", "push_buffer", "maxlen", "queue_size"},
    {"ping_interval", "heartbeat_interval"},
    {"max_body", "max_body_len"},
)
"""Names that would mean the same thing: every client uses at most one of each group."""
STREAMING = (OpenDClient, BitmartClient, InfowayClient)
WAIT = 10.0


def params(cls: type[Any]) -> list[str]:
    return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]


def all_clients() -> list[type[Any]]:
    return [cls for classes in CLIENTS.values() for cls in classes]


# --- parameter names -----------------------------------------------------------------------------


def test_the_table_covers_every_registry_venue() -> None:
    assert set(CLIENTS) == set(PACKAGES) == {v.key for v in VENUES}


def test_one_name_per_thing_across_every_client() -> None:
    used = {name for cls in all_clients() for name in params(cls)}
    for group in SYNONYMS:
        assert len(group & used) == 1, (group, group & used)
    assert not {"base_url", "request_timeout", "push_buffer", "heartbeat_interval", "max_body_len"} & used


def test_every_client_has_a_timeout_and_every_streaming_client_a_buffer() -> None:
    for cls in all_clients():
        assert "timeout" in params(cls), cls
    for cls in STREAMING:
        assert "buffer" in params(cls), cls
        for name in ("reconnect", "backoff_initial", "backoff_max", "healthy_after", "idle_timeout"):
            assert name in params(cls), (cls, name)


def test_connect_timeout_only_beside_a_timeout_and_urls_are_named_url() -> None:
    for cls in all_clients():
        names = params(cls)
        if "connect_timeout" in names:
            assert "timeout" in names
        if cls is not OpenDClient:  # OpenD is TCP: host and port
            assert "url" in names, cls
    assert params(OpenDClient)[:2] == ["host", "port"]


def test_credentials_come_first_where_a_client_needs_them() -> None:
    for cls in (CoinwClient, InfowayClient, QfexTradeClient):
        assert params(cls)[:2] == ["credentials", "url"], cls
    assert inspect.signature(BitmartClient.__init__).parameters["credentials"].kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: OpenDClient("127.0.0.1", 1, timeout=0), "timeout"),
        (lambda: OpenDClient("127.0.0.1", 1, buffer=0), "buffer"),
        (lambda: BitmartClient(timeout=0), "timeout"),
        (lambda: BitmartClient(buffer=0), "buffer"),
        (lambda: InfowayClient(InfowayCredentials("k"), timeout=0), "timeout"),
        (lambda: InfowayClient(InfowayCredentials("k"), buffer=0), "buffer"),
        (lambda: InfowayClient(InfowayCredentials("k"), ping_interval=0), "ping_interval"),
        (lambda: InfowayClient(InfowayCredentials("k"), url="nowhere"), "url"),
        (lambda: CoinwClient(CoinwCredentials("k", "s"), url="nowhere"), "url"),
        (lambda: CoinwClient(CoinwCredentials("k", "s"), timeout=0), "timeout"),
        (lambda: QfexTradeClient(QfexCredentials("k", "s"), timeout=0), "timeout"),
    ],
)
def test_a_bad_value_is_refused_naming_the_shared_parameter(make: Any, name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        make()


def test_the_sync_facades_take_the_same_names() -> None:
    with pytest.raises(ValueError, match=r"^timeout\b"):
        sync.OpenDClient("127.0.0.1", 1, timeout=0)
    with pytest.raises(ValueError, match=r"^buffer\b"):
        sync.BitmartClient(buffer=0)
    with pytest.raises(ValueError, match=r"^url\b"):
        sync.CoinwClient(CoinwCredentials("k", "s"), url="nowhere")
    with pytest.raises(ValueError, match=r"^url\b"):
        sync.InfowayClient(InfowayCredentials("k"), url="nowhere")
    with pytest.raises(ValueError, match=r"^timeout\b"):
        sync.QfexTradeClient(QfexCredentials("k", "s"), timeout=0)


# --- life cycle ----------------------------------------------------------------------------------


async def test_opend_connects_on_async_with_and_closes_on_exit() -> None:
    async with OpenDSimulator(port=0) as sim:
        async with OpenDClient(sim.host, sim.port) as client:
            assert client.connected and client.conn_id is not None
            stream = client.depth_stream("HK.00700")
        assert not client.connected
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(anext(stream.pushes), WAIT)


async def test_qfex_connects_on_async_with_and_closes_on_exit() -> None:
    credentials = QfexCredentials(qfex_sim.DEFAULT_API_KEY, qfex_sim.DEFAULT_SECRET)
    async with qfex_sim.QfexSimulator() as sim:
        async with QfexTradeClient(credentials, sim.url) as client:
            assert client.connected and client.stats.connects == 1
        assert not client.connected


async def test_stream_clients_are_ready_on_async_with_and_close_their_streams_on_exit() -> None:
    async with bitmart_sim.BitmartSimulator() as sim:
        async with BitmartClient(sim.legacy_url, sim.url) as bitmart:
            stream = bitmart.depth_stream("BTC_USDT", 5)
            assert isinstance(await asyncio.wait_for(anext(stream), WAIT), OrderBook)
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(anext(stream), WAIT)
    async with infoway_sim.InfowaySimulator() as sim:
        async with InfowayClient(InfowayCredentials(infoway_sim.DEFAULT_API_KEY), sim.url, sim.ws_url) as infoway:
            stream = infoway.depth_stream("crypto", ["BTCUSDT"])
            assert isinstance(await first_book(stream), OrderBook)
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(anext(stream), WAIT)


async def test_coinw_is_ready_on_async_with_and_usable_again_after_close() -> None:
    credentials = CoinwCredentials(coinw_sim.DEFAULT_API_KEY, coinw_sim.DEFAULT_SECRET)
    async with coinw_sim.CoinwSimulator() as sim:
        client = CoinwClient(credentials, sim.url)
        async with client as entered:
            assert entered is client
            assert all(isinstance(o, Order) for o in await client.get_open_orders_normalized("plan"))
        async with client:  # closed, then opened again on first use
            assert await client.get_open_orders("plan")


def test_every_client_closes_with_close() -> None:
    for cls in all_clients():
        assert inspect.iscoroutinefunction(cls.close), cls
        assert inspect.iscoroutinefunction(cls.__aenter__) and inspect.iscoroutinefunction(cls.__aexit__), cls


# --- stream items --------------------------------------------------------------------------------


async def first_book(stream: AsyncIterator[object]) -> OrderBook:
    async with asyncio.timeout(WAIT):
        for _ in range(100):
            item = await anext(stream)
            if isinstance(item, OrderBook):
                return item
            assert isinstance(item, Gap | DecodeFailure), item
    raise AssertionError("no book")


def encoded_raw(book: OrderBook) -> Any:
    return msgspec.json.decode(msgspec.json.encode(book))["raw"]


async def test_bitmart_books_carry_their_typed_message_and_encode() -> None:
    async with bitmart_sim.BitmartSimulator() as sim, BitmartClient(sim.legacy_url, sim.url) as bitmart:
        spot = await first_book(bitmart.depth_stream("BTC_USDT", 5))
        legacy = await first_book(bitmart.legacy_depth_stream("BMX_ETH", 6))
    assert isinstance(spot.raw, SpotDepthData) and isinstance(legacy.raw, LegacyDepthPush)
    assert msgspec.structs.replace(spot, raw=None) == order_book_from_spot(spot.raw)
    assert msgspec.structs.replace(legacy, raw=None) == order_book_from_legacy(legacy.raw)
    assert encoded_raw(spot) == msgspec.json.decode(msgspec.json.encode(spot.raw))
    assert encoded_raw(legacy)["symbol"] == "BMX_ETH"


async def test_infoway_books_carry_their_typed_depth_from_rest_and_the_stream() -> None:
    async with (
        infoway_sim.InfowaySimulator() as sim,
        InfowayClient(InfowayCredentials(infoway_sim.DEFAULT_API_KEY), sim.url, sim.ws_url) as infoway,
    ):
        streamed = await first_book(infoway.depth_stream("crypto", ["BTCUSDT"]))
        rest = await infoway.order_books("stock", ["00700.HK", "AAPL.US"])
    for book in [streamed, *rest]:
        assert isinstance(book.raw, Depth) and book.raw.s == book.symbol
        assert msgspec.structs.replace(book, raw=None) == order_book_from_depth(book.raw)
        assert encoded_raw(book)["s"] == book.symbol
    assert [b.symbol for b in rest] == ["00700.HK", "AAPL.US"]


async def test_opend_depth_stream_subscribes_and_yields_normalized_books_with_the_s2c() -> None:
    async with OpenDSimulator(port=0, push_interval=0.05) as sim, OpenDClient(sim.host, sim.port) as client:
        stream = client.depth_stream(["HK.00700", "US.AAPL"])
        assert stream.symbols == ("HK.00700", "US.AAPL")
        seen: dict[str, OrderBook] = {}
        async with asyncio.timeout(WAIT):
            while len(seen) < 2:
                book = await first_book(stream)
                seen[book.symbol] = book
        await stream.aclose()
    for symbol, book in seen.items():
        assert isinstance(book.raw, Qot_UpdateOrderBook_pb2.S2C)
        assert book.venue == "futu" and book.bids and book.asks
        assert msgspec.structs.replace(book, raw=None) == order_book_from_s2c(book.raw)
        assert book.symbol == symbol
        plain = msgspec.json.decode(msgspec.json.encode(msgspec.structs.replace(book, raw=None)))
        assert plain["symbol"] == symbol and plain["raw"] is None
        encoded = encoded_raw(book)  # a protobuf message: its full name and wire bytes
        assert encoded["type"].endswith("Qot_UpdateOrderBook.S2C")
        assert Qot_UpdateOrderBook_pb2.S2C.FromString(base64.b64decode(encoded["data"])) == book.raw


async def test_opend_depth_stream_only_takes_its_symbols() -> None:
    async with OpenDSimulator(port=0, push_interval=0.05) as sim, OpenDClient(sim.host, sim.port) as client:
        await client.subscribe(["US.AAPL"], push=True)
        async with client.depth_stream("HK.00700") as stream:
            symbols = {(await first_book(stream)).symbol for _ in range(6)}
    assert symbols == {"HK.00700"}


async def test_opend_depth_stream_gives_a_gap_after_a_reconnect_and_a_decode_failure_for_a_bad_push() -> None:
    async with (
        OpenDSimulator(port=0, push_interval=0.05) as sim,
        OpenDClient(sim.host, sim.port, backoff_initial=0.05) as client,
    ):
        stream = client.depth_stream("HK.00700")
        await first_book(stream)
        await sim.push(OpenDProtoID.Qot_UpdateOrderBook, b"\xff\xff\xff")
        await sim.drop_connections()
        kinds: list[type[object]] = []
        async with asyncio.timeout(WAIT):
            while Gap not in kinds or DecodeFailure not in kinds or kinds[-1] is not OrderBook:
                kinds.append(type(await anext(stream)))
        failure_at, gap_at = kinds.index(DecodeFailure), kinds.index(Gap)
        assert failure_at < gap_at and OrderBook in kinds[gap_at:]  # books again after the gap
        assert len(stream.gaps) == 1 and stream.pushes.decode_errors == 1
        await stream.aclose()


async def test_opend_depth_stream_refuses_a_bad_symbol_at_once_and_ends_when_the_subscription_fails() -> None:
    async with OpenDSimulator(port=0) as sim, OpenDClient(sim.host, sim.port) as client:
        with pytest.raises(ValueError, match="symbol"):
            client.depth_stream("00700")
        with pytest.raises(ValueError, match="at least one symbol"):
            client.depth_stream([])
    async with OpenDSimulator(port=0) as sim:
        client = OpenDClient(sim.host, sim.port, reconnect=False)
        await client.connect()
        stream = client.depth_stream("HK.00700")
        await sim.drop_connections()
        with pytest.raises(venuewire.ConnectionLost):  # the subscription cannot go out
            await asyncio.wait_for(anext(stream), WAIT)
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(anext(stream), WAIT)
        await client.close()


def test_the_sync_opend_facade_has_the_same_depth_stream() -> None:
    with (
        sync.serve(OpenDSimulator(port=0, push_interval=0.05)) as sim,
        sync.OpenDClient(sim.host, sim.port) as futu,
        futu.depth_stream("HK.00700") as books,
    ):
        book = next(item for item in books if isinstance(item, OrderBook))
    assert book.symbol == "HK.00700" and isinstance(book.raw, Qot_UpdateOrderBook_pb2.S2C)


# --- exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize("venue", sorted(PACKAGES))
def test_every_venue_package_exports_the_same_names(venue: str) -> None:
    package = importlib.import_module(PACKAGES[venue])
    names = set(package.__all__)
    clients = {cls.__name__ for cls in CLIENTS[venue]}
    assert COMMON | clients <= names
    assert set(exports.__all__) <= names
    for name in exports.__all__:  # one contract: every venue package re-exports the same objects
        assert getattr(package, name) is getattr(exports, name)
    for name in names:
        assert getattr(package, name) is not None
    assert venue == package.VENUE
    assert (package.Order, package.OrderBook) == (Order, OrderBook)
    assert (package.Gap, package.DecodeFailure) == (Gap, DecodeFailure)
    for cls in CLIENTS[venue]:
        assert getattr(package, cls.__name__) is cls
        assert getattr(venuewire, cls.__name__) is cls  # and at the top level


@pytest.mark.parametrize("venue", sorted(PACKAGES))
def test_every_venue_package_names_its_simulator_where_it_is(venue: str) -> None:
    package = importlib.import_module(PACKAGES[venue])
    found = re.search(r"`(venuewire\.sim\.\w+)`", package.__doc__ or "")
    assert found, package.__name__
    simulator = importlib.import_module(found.group(1))
    assert any(name.endswith("Simulator") and inspect.isclass(obj) for name, obj in vars(simulator).items())


def test_the_shared_exports_are_the_common_names_but_the_venue_key() -> None:
    assert set(exports.__all__) == COMMON - {"VENUE"}
    assert exports.Order is Order and exports.OrderBook is OrderBook
    assert exports.Gap is Gap and exports.DecodeFailure is DecodeFailure


def test_the_top_level_exports_the_models_and_events() -> None:
    assert venuewire.Order is Order and venuewire.OrderBook is OrderBook
    assert venuewire.Gap is Gap and venuewire.DecodeFailure is DecodeFailure
    assert set(venuewire.__all__) <= set(dir(venuewire))
