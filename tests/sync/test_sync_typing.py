"""The synchronous OpenD facade's `request` and `pushes` are typed per message exactly like
the async client's (the generated OpenDSyncTypedAPI): mypy --strict infers each Response
and push S2C, and refuses other messages; at run time the same calls return those classes.
The JSON venues' facades (Infoway market streams, QFEX trading and channels, the BitMart
incremental book) keep their async twins' parameters and results for mypy likewise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync import typed_sync_usage
from venuewire import sync
from venuewire.credentials import InfowayCredentials, QfexCredentials
from venuewire.errors import InvalidRequest
from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.futu.dispatch import OpenDSyncTypedAPI
from venuewire.models import Order, Trade
from venuewire.sim import bitmart as bitmart_sim
from venuewire.sim import infoway as infoway_sim
from venuewire.sim import qfex as qfex_sim
from venuewire.sim.opend import OpenDSimulator

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(30)
def test_sync_request_and_pushes_return_the_typed_classes_at_run_time() -> None:
    with sync.serve(OpenDSimulator(port=0, push_interval=0.05)) as sim, sync.OpenDClient(sim.host, sim.port) as futu:
        assert isinstance(futu, OpenDSyncTypedAPI)
        s2c = typed_sync_usage.typed_calls(futu)
        assert isinstance(s2c, Qot_UpdateOrderBook_pb2.S2C) and s2c.security.code == "00700"
        with pytest.raises(InvalidRequest):
            futu.request(Qot_GetOrderBook_pb2.C2S())  # type: ignore[call-overload]
        with pytest.raises(InvalidRequest):
            futu.pushes(Qot_GetOrderBook_pb2.Response)  # type: ignore[call-overload]


@pytest.mark.timeout(30)
def test_the_typed_json_venue_facades_return_those_types_at_run_time() -> None:
    key = InfowayCredentials(infoway_sim.DEFAULT_API_KEY)
    with sync.serve(infoway_sim.InfowaySimulator()) as sim, sync.InfowayClient(key, sim.url, sim.ws_url) as infoway:
        assert isinstance(typed_sync_usage.typed_infoway(infoway), Trade)
    creds = QfexCredentials(qfex_sim.DEFAULT_API_KEY, qfex_sim.DEFAULT_SECRET)
    with sync.serve(qfex_sim.QfexSimulator()) as sim, sync.QfexTradeClient(creds, url=sim.url) as qfex:
        order = typed_sync_usage.typed_qfex(qfex)
        assert isinstance(order, Order) and order.status == "ACK"
    bitmart = bitmart_sim.BitmartSimulator(port=0, push_interval=0.05)
    with sync.serve(bitmart) as sim, sync.BitmartClient(sim.legacy_url, sim.url) as client:
        assert typed_sync_usage.typed_bitmart(client) is True


@pytest.mark.timeout(240)
def test_mypy_strict_infers_sync_responses_and_refuses_other_messages(tmp_path: Path) -> None:
    package = tmp_path / "src" / "venuewire"
    package.mkdir(parents=True)
    for entry in (ROOT / "runtime").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    (package / "generated").symlink_to(ROOT / "generated")
    bad = tmp_path / "bad_sync_usage.py"
    bad.write_text(
        "from venuewire import sync\n"
        "from venuewire.generated.futu import Qot_GetOrderBook_pb2, Qot_UpdateOrderBook_pb2\n"
        "def f(client: sync.OpenDClient) -> None:\n"
        "    client.request(Qot_GetOrderBook_pb2.C2S())\n"
        "    client.pushes(Qot_GetOrderBook_pb2.Response)\n"
        "    r: Qot_UpdateOrderBook_pb2.Response = client.request(Qot_GetOrderBook_pb2.Request())\n"
        "    s: Qot_GetOrderBook_pb2.S2C = next(client.pushes(Qot_UpdateOrderBook_pb2.Response))\n"
        "def g(qfex: sync.QfexTradeClient, infoway: sync.InfowayClient, bitmart: sync.BitmartClient) -> None:\n"
        "    qfex.add_order('AAPL-USD', 'BUY', 'LIMIT', 'GTC', 1, colour=2)\n"
        "    n: int = qfex.cancel_order('AAPL-USD', 'order_id')\n"
        "    t: str = next(infoway.trade_stream('crypto', ['BTCUSDT']))\n"
        "    bitmart.incremental_depth_stream('BTC_USDT').is_valid(1)\n"
        "    qfex.fills().ready(timeout='soon')\n",
        encoding="utf-8",
    )
    good = ROOT / "tests" / "sync" / "typed_sync_usage.py"
    cmd = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent"]
    cmd += ["--cache-dir", str(tmp_path / "cache"), str(good), str(bad)]
    env = {**os.environ, "MYPYPATH": str(tmp_path / "src")}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=220, check=False)
    assert result.returncode == 1 and not result.stderr.strip(), result.stdout + result.stderr  # mypy ran and refused
    errors = [line.split(":")[:2] for line in result.stdout.splitlines() if ": error:" in line]
    # typed_sync_usage.py is accepted; each misuse in bad_sync_usage.py is refused, by its line
    assert errors == [[bad.name, str(n)] for n in (4, 5, 6, 7, 9, 10, 11, 12, 13)], result.stdout
