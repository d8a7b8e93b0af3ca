"""The official futu-api `OpenQuoteContext` reads quotes, tickers and candles from `venuewire
sim futu` (a subprocess: the moving market of venuewire.sim.opend_quotes), plain, RSA +
AES-CBC and RSA + FTAES_ECB: get_stock_quote, get_rt_ticker, get_cur_kline, request_history_kline and query_subscription
after the refusal OpenD gives before subscribing, and StockQuoteHandlerBase / TickerHandlerBase /
CurKlineHandlerBase receive the pushes. Each result is compared field by field with what
venuewire's own client (`venuewire.sync.OpenDClient`) reads from the same simulator.

futu-api's globals and threads are handled as in test_futu_official_client.py (its
`futu_globals` fixture and `simulator` helper are reused).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.interop.test_futu_official_client import KEY, futu_globals, simulator, wait_until
from venuewire import sync
from venuewire.generated.futu.enums import KLType
from venuewire.generated.futu.enums import SubType as Sub
from venuewire.generated.registry import OPEND
from venuewire.models import Candle, Quote, Trade

from futu import (  # isort: skip  (imported after test_futu_official_client restored SIGINT)
    RET_OK,
    CurKlineHandlerBase,
    OpenQuoteContext,
    StockQuoteHandlerBase,
    SubType,
    SysConfig,
    TickerHandlerBase,
)
from futu import KLType as FutuKLType  # isort: skip
from futu.common.constant import ContextStatus  # isort: skip

__all__ = ["futu_globals"]  # the fixture, used by name

pytestmark = [
    pytest.mark.interop,
    pytest.mark.timeout(120),
    pytest.mark.filterwarnings("ignore:setDaemon:DeprecationWarning"),
]

HK = "HK.00700"
PUSH_INTERVAL = "0.5"  # slow enough that two clients asking at once see the same step
SIDES = {"buy": "BUY", "sell": "SELL", None: "NEUTRAL"}


class Recorder:
    """Keeps every parsed push of one futu handler class (a mixin over it)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.errors: list[Any] = []

    def on_recv_rsp(self, rsp_pb: Any) -> tuple[int, Any]:
        ret, data = super().on_recv_rsp(rsp_pb)  # type: ignore[misc]
        if ret == RET_OK:
            self.rows.extend(data.to_dict("records"))
        else:
            self.errors.append(data)
        return ret, data


class QuoteRecorder(Recorder, StockQuoteHandlerBase):  # type: ignore[misc]
    pass


class TickerRecorder(Recorder, TickerHandlerBase):  # type: ignore[misc]
    pass


class KlineRecorder(Recorder, CurKlineHandlerBase):  # type: ignore[misc]
    pass


def assert_same_quote(row: dict[str, Any], quote: Quote) -> None:
    raw: Any = quote.raw
    assert row["code"] == quote.symbol and row["name"] == quote.name
    assert f"{row['data_date']} {row['data_time']}" == raw.updateTime
    assert row["last_price"] == float(quote.price)
    assert row["open_price"] == float(quote.open)
    assert row["high_price"] == float(quote.high)
    assert row["low_price"] == float(quote.low)
    assert row["prev_close_price"] == float(quote.prev_close)
    assert row["volume"] == int(quote.volume)
    assert row["turnover"] == float(quote.turnover)
    assert row["suspension"] is quote.suspended


def assert_same_trade(row: dict[str, Any], trade: Trade) -> None:
    raw: Any = trade.raw
    assert row["code"] == trade.symbol and int(row["sequence"]) == int(str(trade.trade_id))
    assert row["time"] == raw.time
    assert row["price"] == float(trade.price)
    assert row["volume"] == int(trade.size)
    assert row["turnover"] == float(trade.turnover or 0)
    assert row["ticker_direction"] == SIDES[trade.side]


def assert_same_candle(row: dict[str, Any], candle: Candle, *, forming: bool = False) -> None:
    """Field by field; for the candle being formed only what cannot change within its period."""
    raw: Any = candle.raw
    assert row["code"] == candle.symbol and row["time_key"] == raw.time
    assert row["open"] == float(candle.open)
    assert row["last_close"] == float(candle.prev_close or 0)
    if not forming:
        assert (row["high"], row["low"], row["close"]) == (float(candle.high), float(candle.low), float(candle.close))
        assert row["volume"] == int(candle.volume) and row["turnover"] == float(candle.turnover)


def same_step(ask: Any, key: Any, attempts: int = 10) -> tuple[Any, Any]:
    """`ask()` -> (futu's, ours) until both carry the same `key` (the simulator moved in between)."""
    for _ in range(attempts):
        theirs, ours = ask()
        if key(theirs) == key(ours):
            return theirs, ours
    raise AssertionError("futu-api and venuewire never read the same simulator step")


@pytest.mark.parametrize("mode", ["plain", "cbc", "ecb"])
def test_official_quote_calls_and_handlers_match_venuewire(mode: str, futu_globals: None) -> None:
    options = ["--push-interval", PUSH_INTERVAL]
    key_path: Path | None = None
    if mode != "plain":
        options += ["--rsa-key", str(KEY), f"--{mode}"]
        SysConfig.enable_proto_encrypt(True)
        SysConfig.set_init_rsa_file(str(KEY))
        key_path = KEY
    with simulator(*options) as port, sync.OpenDClient("127.0.0.1", port, rsa_key_path=key_path) as ours:
        ctx = OpenQuoteContext(host="127.0.0.1", port=port, is_async_connect=True)
        try:
            wait_until(lambda: ctx.status == ContextStatus.READY, 20, "InitConnect")
            recorders = {"quote": QuoteRecorder(), "ticker": TickerRecorder(), "kline": KlineRecorder()}
            for recorder in recorders.values():
                assert ctx.set_handler(recorder) == RET_OK

            # like OpenD: nothing before subscribing
            for ret, message in (ctx.get_stock_quote([HK]), ctx.get_rt_ticker(HK, 10), ctx.get_cur_kline(HK, 5)):
                assert ret != RET_OK and "subscribe" in message.lower(), message

            futu_types = [SubType.QUOTE, SubType.TICKER, SubType.K_1M, SubType.K_DAY]
            ret, message = ctx.subscribe([HK], futu_types)
            assert ret == RET_OK, message
            ours.subscribe([HK], [Sub.Basic, Sub.Ticker, Sub.KL_1Min, Sub.KL_Day], push=False)
            ret, subscriptions = ctx.query_subscription()
            assert ret == RET_OK, subscriptions
            assert (subscriptions["own_used"], subscriptions["total_used"]) == (4, 4)  # its own connection's
            assert subscriptions["remain"] == OPEND.sub_quota - 4
            assert subscriptions["sub_list"] == {t: [HK] for t in ("QUOTE", "TICKER", "K_1M", "K_DAY")}

            def quotes() -> tuple[dict[str, Any], Quote]:
                ret, frame = ctx.get_stock_quote([HK])
                assert ret == RET_OK, frame
                return frame.to_dict("records")[0], ours.get_quotes(HK)[0]

            row, quote = same_step(quotes, lambda x: x["data_time"] if isinstance(x, dict) else x.raw.updateTime[11:])
            assert_same_quote(row, quote)

            ret, ticks = ctx.get_rt_ticker(HK, 50)
            assert ret == RET_OK, ticks
            trades = {int(str(t.trade_id)): t for t in ours.get_trades(HK, 1000)}
            tick_rows = ticks.to_dict("records")
            assert tick_rows and [r["sequence"] for r in tick_rows] == sorted(r["sequence"] for r in tick_rows)
            for tick in tick_rows:
                assert_same_trade(tick, trades[int(tick["sequence"])])

            for futu_kl, kl_type in ((FutuKLType.K_DAY, KLType.Day), (FutuKLType.K_1M, KLType.KLType_1Min)):
                ret, klines = ctx.get_cur_kline(HK, 10, futu_kl)
                assert ret == RET_OK, klines
                candles = {c.raw.time: c for c in ours.get_candles(HK, kl_type, num=10)}  # type: ignore[attr-defined]
                kline_rows = klines.to_dict("records")
                assert kline_rows
                for kline in kline_rows:
                    assert_same_candle(kline, candles[kline["time_key"]], forming=kline is kline_rows[-1])

            ret, history, page_key = ctx.request_history_kline(HK, start="2025-03-01", end="2025-03-31")
            assert ret == RET_OK, history
            ours_history = ours.history_candles(HK, "2025-03-01", "2025-03-31")
            history_rows = history.to_dict("records")
            assert len(history_rows) == len(ours_history) == 21 and page_key is None
            for kline, candle in zip(history_rows, ours_history, strict=True):
                assert_same_candle(kline, candle)

            wait_until(lambda: all(len(r.rows) >= 3 for r in recorders.values()), 30, "quote, ticker and kline pushes")
            assert all(r.errors == [] for r in recorders.values())
            assert {r["code"] for r in recorders["quote"].rows} == {HK}
            volumes = [r["volume"] for r in recorders["quote"].rows]
            assert volumes == sorted(volumes) and volumes[-1] > volumes[0], "the quote moves"
            assert {r["k_type"] for r in recorders["kline"].rows} == {FutuKLType.K_1M, FutuKLType.K_DAY}
            trades = {int(str(t.trade_id)): t for t in ours.get_trades(HK, 1000)}
            for tick in recorders["ticker"].rows:  # every pushed trade is on venuewire's tape, the same
                assert_same_trade(tick, trades[int(tick["sequence"])])
        finally:
            ctx.close()
