"""Client sessions against our simulators, recorded through the proxies of tests/drift/recorder.py."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from tests.drift.recorder import http_proxy, opend_proxy
from venuewire.capture.format import CaptureWriter
from venuewire.credentials import CoinwCredentials, InfowayCredentials, QfexCredentials
from venuewire.events import StreamEvent

TIMEOUT = 20.0


def _ws(url: str) -> str:
    return "ws" + url.removeprefix("http")


def _origin(ws_url: str) -> str:
    """http://host:port of a simulator's ws:// URL."""
    parts = urlsplit(ws_url)
    return f"http://{parts.netloc}"


def _tail(url: str) -> str:
    """The path and query of a URL."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def record_opend(path) -> None:
    from venuewire import OpenDClient, SubType
    from venuewire.sim.opend import OpenDSimulator

    with CaptureWriter(path) as capture:
        async with (
            OpenDSimulator(port=0) as sim,
            opend_proxy(capture, sim.host, sim.port) as port,
            OpenDClient(host="127.0.0.1", port=port, reconnect=False) as client,
        ):
            await client.subscribe(["HK.00700"], sub_types=[SubType.OrderBook], push=True)
            await client.get_order_book("HK.00700", num=5)
            async for item in client.depth_stream("HK.00700"):
                if not isinstance(item, StreamEvent):
                    break


async def record_bitmart(path) -> None:
    from venuewire.bitmart.client import BitmartClient
    from venuewire.sim.bitmart import BitmartSimulator

    with CaptureWriter(path) as capture:
        async with BitmartSimulator() as sim, http_proxy(capture, "bitmart", _origin(sim.url)) as base:
            legacy = _ws(base) + "/"
            spot = _ws(base) + _tail(sim.url)
            async with BitmartClient(legacy, spot, reconnect=False) as bitmart:
                async for item in bitmart.depth_stream("BTC_USDT", levels=20):
                    if not isinstance(item, StreamEvent):
                        break
                async for item in bitmart.legacy_depth_stream("BMX_ETH", precision=6):
                    if not isinstance(item, StreamEvent):
                        break


async def record_infoway(path) -> None:
    from venuewire.infoway import InfowayClient
    from venuewire.sim.infoway import DEFAULT_API_KEY, InfowaySimulator

    with CaptureWriter(path, redact=[DEFAULT_API_KEY]) as capture:
        async with InfowaySimulator() as sim, http_proxy(capture, "infoway", sim.url) as base:
            ws_url = _ws(base) + _tail(sim.ws_url)
            async with InfowayClient(InfowayCredentials(DEFAULT_API_KEY), base, ws_url, reconnect=False) as infoway:
                await infoway.order_books("stock", ["00700.HK"])
                async for item in infoway.depth_stream("crypto", ["BTCUSDT"]):
                    if not isinstance(item, StreamEvent):
                        break


async def record_coinw(path) -> None:
    from venuewire.coinw import CoinwClient
    from venuewire.sim.coinw import DEFAULT_API_KEY, DEFAULT_SECRET, CoinwSimulator

    with CaptureWriter(path, redact=[DEFAULT_API_KEY, DEFAULT_SECRET]) as capture:
        async with (
            CoinwSimulator() as sim,
            http_proxy(capture, "coinw", sim.url) as base,
            CoinwClient(CoinwCredentials(DEFAULT_API_KEY, DEFAULT_SECRET), base) as coinw,
        ):
            await coinw.get_open_orders("plan", source_ids=["33308753605637070"], instrument="btc")
            await coinw.get_open_orders_normalized("execute")


async def record_qfex(path) -> None:
    from venuewire.qfex.client import QfexTradeClient
    from venuewire.sim.qfex import DEFAULT_API_KEY, DEFAULT_SECRET, DEMO_ORDER_ID, QfexSimulator

    with CaptureWriter(path, redact=[DEFAULT_API_KEY, DEFAULT_SECRET]) as capture:
        async with QfexSimulator() as sim, http_proxy(capture, "qfex", _origin(sim.url)) as base:
            credentials = QfexCredentials(DEFAULT_API_KEY, DEFAULT_SECRET)
            async with QfexTradeClient(credentials, url=_ws(base)) as qfex:
                await qfex.get_order("AAPL-USD", DEMO_ORDER_ID)


RECORDERS = {
    "futu": record_opend,
    "bitmart": record_bitmart,
    "infoway": record_infoway,
    "coinw": record_coinw,
    "qfex": record_qfex,
}


async def record(venue: str, path) -> None:
    await asyncio.wait_for(RECORDERS[venue](path), TIMEOUT)
