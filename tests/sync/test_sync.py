"""The synchronous facade: the same calls, results and errors as the async clients, streams as
iterators, no thread left behind. Every venue against its embedded simulator."""

from __future__ import annotations

import threading

import pytest

from venuewire import AuthError, ConnectionLost, OpenDError, SubType, order_book_from_s2c, sync
from venuewire.credentials import CoinwCredentials, InfowayCredentials, QfexCredentials
from venuewire.events import DecodeFailure, Gap
from venuewire.generated.coinw.order import Order as CoinwOrder
from venuewire.generated.futu import GetGlobalState_pb2
from venuewire.models import Order, OrderBook
from venuewire.sim import bitmart as bitmart_sim
from venuewire.sim import coinw as coinw_sim
from venuewire.sim import infoway as infoway_sim
from venuewire.sim import qfex as qfex_sim
from venuewire.sim.opend import OpenDSimulator

pytestmark = pytest.mark.timeout(30)


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


def test_opend_script_connect_subscribe_book_pushes_without_async() -> None:
    before = _threads()
    with sync.serve(OpenDSimulator(port=0)) as sim, sync.OpenDClient(sim.host, sim.port) as futu:
        futu.subscribe(["HK.00700"], [SubType.OrderBook], push=True)
        book = order_book_from_s2c(futu.get_order_book("HK.00700", num=5))
        assert isinstance(book, OrderBook) and book.symbol == "HK.00700" and len(book.bids) == 5
        with futu.order_book_updates("HK.00700") as updates:
            push = next(item for item in updates if not isinstance(item, Gap | DecodeFailure))
        assert order_book_from_s2c(push).symbol == "HK.00700"
        state = futu.request(GetGlobalState_pb2.Request(c2s=GetGlobalState_pb2.C2S(userID=0)))
        assert isinstance(state, GetGlobalState_pb2.Response) and state.retType == 0
    assert _threads() <= before  # both background loops are gone


def test_opend_errors_are_the_async_clients_errors() -> None:
    with sync.serve(OpenDSimulator(port=0)) as sim, sync.OpenDClient(sim.host, sim.port) as futu:
        with pytest.raises(OpenDError) as caught:
            futu.get_order_book("HK.09988")  # not subscribed: OpenD answers retType -1
        assert caught.value.ret_type == -1
        with pytest.raises(ValueError, match="num"):
            futu.get_order_book("HK.00700", num=0)


def test_a_closed_client_says_so() -> None:
    with sync.serve(OpenDSimulator(port=0)) as sim:
        futu = sync.OpenDClient(sim.host, sim.port)
        futu.connect()
        futu.close()
        with pytest.raises(ConnectionLost):
            futu.get_global_state()


def test_infoway_rest_and_stream() -> None:
    key = InfowayCredentials(infoway_sim.DEFAULT_API_KEY)
    with (
        sync.serve(infoway_sim.InfowaySimulator()) as sim,
        sync.InfowayClient(key, sim.url, sim.ws_url) as infoway,
    ):
        books = infoway.order_books("stock", ["00700.HK", "TSLA.US"])
        assert [b.symbol for b in books] == ["00700.HK", "TSLA.US"]
        assert infoway.batch_depth("crypto", ["BTCUSDT"]).ret == 200
        stream = infoway.depth_stream("crypto", ["BTCUSDT"])
        book = next(item for item in stream if isinstance(item, OrderBook))
        assert book.symbol == "BTCUSDT"
        stream.close()
        assert list(stream) == []


def test_bitmart_depth_stream_is_an_iterator() -> None:
    with sync.serve(bitmart_sim.BitmartSimulator()) as sim, sync.BitmartClient(sim.legacy_url, sim.url) as bitmart:
        for item in bitmart.depth_stream("BTC_USDT", levels=5):
            if isinstance(item, OrderBook):
                assert item.symbol == "BTC_USDT" and len(item.bids) == 5
                break


def test_coinw_calls_and_typed_errors() -> None:
    good = CoinwCredentials(coinw_sim.DEFAULT_API_KEY, coinw_sim.DEFAULT_SECRET)
    with sync.serve(coinw_sim.CoinwSimulator()) as sim:
        with sync.CoinwClient(good, sim.url) as coinw:
            assert all(isinstance(o, CoinwOrder) for o in coinw.get_open_orders("execute"))
            assert all(isinstance(o, Order) for o in coinw.get_open_orders_normalized("plan"))
        bad = CoinwCredentials(coinw_sim.DEFAULT_API_KEY, "wrong")
        with sync.CoinwClient(bad, sim.url) as coinw, pytest.raises(AuthError):
            coinw.get_open_orders("execute")


def test_qfex_get_order() -> None:
    creds = QfexCredentials(qfex_sim.DEFAULT_API_KEY, qfex_sim.DEFAULT_SECRET)
    with sync.serve(qfex_sim.QfexSimulator()) as sim, sync.QfexTradeClient(creds, url=sim.url) as qfex:
        reply = qfex.get_order("AAPL-USD", qfex_sim.DEMO_ORDER_ID)
        assert [o.order_id for o in reply.orders] == [qfex_sim.DEMO_ORDER_ID]
        assert qfex.get_order_normalized("AAPL-USD", qfex_sim.DEMO_ORDER_ID)[0].venue == "qfex"


def test_the_facade_takes_the_async_clients_parameters() -> None:
    with pytest.raises(ValueError, match=r"^timeout"):
        sync.OpenDClient("127.0.0.1", 1, timeout=0)
