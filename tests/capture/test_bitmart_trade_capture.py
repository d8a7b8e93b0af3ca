"""BitmartTradeClient's `capture=`: one file for its signed REST and its private socket, the
records in the order they crossed the wire, and no key, secret, memo or signature (X-BM-SIGN
of every signed request, the login frame's signature) in any form in the file."""

from __future__ import annotations

import asyncio
import json
import zlib
from pathlib import Path

import pytest

from tests.capture._support import SECRET_MARK, assert_no_secrets, kinds, single_capture
from tests.drift.bitmart_trade_session import KEY, MEMO, SECRET, SYMBOL, credentials, record
from venuewire import sync
from venuewire.bitmart import BitmartTradeClient
from venuewire.capture import Record, read_capture
from venuewire.capture.format import CaptureWriter
from venuewire.capture.tap import ENV_VAR
from venuewire.generated.registry import (
    REST_BITMART_CANCEL_ORDER,
    REST_BITMART_GET_BOOKS,
    REST_BITMART_GET_WALLET,
    REST_BITMART_QUERY_OPEN_ORDERS,
    REST_BITMART_QUERY_ORDER,
    REST_BITMART_SUBMIT_ORDER,
)
from venuewire.signing import sign_bitmart, sign_bitmart_ws_login
from venuewire.sim.bitmart import BitmartSimulator

pytestmark = pytest.mark.timeout(60)


def text_of(record: Record) -> bytes:
    """A frame's text: BitMart's binary frames are raw DEFLATE."""
    return zlib.decompress(record.data, -15) if record.transport == "ws-binary" else record.data


def requests(path: Path) -> list[tuple[str, str]]:
    return [
        (r.meta["method"], r.meta["target"].partition("?")[0])
        for r in read_capture(path).records
        if r.transport == "http-request"
    ]


def signatures(path: Path) -> list[str]:
    """Every signature the session sent, recomputed from the recorded timestamps and bodies:
    X-BM-SIGN of each signed request, and the login frames' signs."""
    out = []
    for r in read_capture(path).records:
        stamp = r.meta.get("headers", {}).get("X-BM-TIMESTAMP") if r.transport == "http-request" else None
        if stamp is not None:
            out.append(sign_bitmart(SECRET, MEMO, int(stamp), r.data.decode()))
        if r.transport == "ws-text" and r.direction == "out" and r.data.startswith(b'{"op":"login"'):
            out.append(sign_bitmart_ws_login(SECRET, MEMO, int(json.loads(r.data)["args"][1])))
    return out


async def test_a_trading_session_is_recorded_in_order_without_secrets(tmp_path: Path) -> None:
    path = tmp_path / "bitmart-trade.jsonl"
    session = await asyncio.wait_for(record(path), 45)
    assert [o.status for o in session.order_updates if not hasattr(o, "fill_id")].count("new") == 2
    assert any(type(i).__name__ == "Fill" for i in session.order_updates)

    capture = assert_no_secrets(path, KEY, SECRET, MEMO, *signatures(path))
    assert len(signatures(path)) >= 6 + 2  # six signed POSTs and two logins, each redacted
    records = capture.records
    assert [r.seq for r in records] == sorted(r.seq for r in records)
    assert {r.venue for r in records} == {"bitmart"}
    books, submit, cancel = REST_BITMART_GET_BOOKS, REST_BITMART_SUBMIT_ORDER, REST_BITMART_CANCEL_ORDER
    query, listing, wallet_call = REST_BITMART_QUERY_ORDER, REST_BITMART_QUERY_OPEN_ORDERS, REST_BITMART_GET_WALLET
    assert requests(path) == [
        (e.method, e.path) for e in (books, submit, submit, listing, query, cancel, cancel, query, wallet_call)
    ]
    # every request is followed by its own response
    by_seq = {r.seq: r for r in records}
    for r in records:
        if r.transport == "http-response":
            assert by_seq[r.meta["request"]].transport == "http-request"
    signed = [r for r in records if r.transport == "http-request" and r.meta["method"] == "POST"]
    assert all(r.meta["headers"]["X-BM-SIGN"] == SECRET_MARK.decode() for r in signed)
    assert all(r.meta["headers"]["X-BM-KEY"] == SECRET_MARK.decode() for r in signed)
    assert all(r.meta["headers"]["X-BM-TIMESTAMP"].isdigit() for r in signed)  # no secret: kept
    wallet = next(r for r in records if r.transport == "http-request" and "wallet" in r.meta["target"])
    assert wallet.meta["headers"]["X-BM-KEY"] == SECRET_MARK.decode() and "X-BM-SIGN" not in wallet.meta["headers"]

    # the private socket: two connections, each login -> login reply -> subscribe -> pushes
    web = ("open", "ws-text", "ws-binary", "close")
    sockets = [r for r in records if r.transport in web and r.conn != signed[0].conn]
    assert len({r.conn for r in sockets}) == 2
    for conn in {r.conn for r in sockets}:
        frames = [r for r in sockets if r.conn == conn]
        assert kinds(frames[:2]) == [("meta", "open"), ("out", "ws-text")]
        login = json.loads(frames[1].data)
        assert login["op"] == "login" and login["args"][0] == SECRET_MARK.decode()
        assert login["args"][1].isdigit() and login["args"][2] == SECRET_MARK.decode()
        assert json.loads(text_of(frames[2]))["event"] == "login"
        assert json.loads(frames[3].data)["op"] == "subscribe"
        assert frames[-1].transport == "close"
    pushed = b"\n".join(text_of(r) for r in sockets if r.direction == "in")
    assert b"spot/user/order" in pushed and b"spot/user/balance" in pushed
    assert b"last_fill_count" in pushed
    for secret in (KEY, SECRET, MEMO):
        assert secret.encode() not in pushed


async def test_closing_the_client_closes_only_a_file_it_opened(tmp_path: Path) -> None:
    async with BitmartSimulator(api_key=KEY, secret=SECRET, memo=MEMO, push_interval=3600) as sim:
        owned = BitmartTradeClient(credentials(), sim.rest_url, timeout=5, capture=tmp_path / "own.jsonl")
        assert owned.capture is not None and owned.capture.owned
        await owned.order_book(SYMBOL, limit=1)
        await owned.close()
        assert owned.capture.writer.write(1, "bitmart", "meta", "close") == -1  # closed with the client
        with CaptureWriter(tmp_path / "shared.jsonl") as shared:
            async with BitmartTradeClient(credentials(), sim.rest_url, timeout=5, capture=shared) as borrowed:
                await borrowed.order_book(SYMBOL, limit=1)
            assert borrowed.capture is not None and borrowed.capture.writer is shared
            assert shared.write(9, "bitmart", "meta", "close") >= 0  # still open: its owner's to close
    assert len(requests(tmp_path / "own.jsonl")) == 1
    assert len(requests(tmp_path / "shared.jsonl")) == 1


def test_the_environment_variable_and_the_sync_facade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    simulator = BitmartSimulator(api_key=KEY, secret=SECRET, memo=MEMO, push_interval=3600)
    with sync.serve(simulator) as sim:
        with sync.BitmartTradeClient(credentials(), sim.rest_url, timeout=5, capture=tmp_path / "s.jsonl") as bm:
            bm.place_order(SYMBOL, "buy", size="0.001", price="1000")
            assert bm.capture is not None
        monkeypatch.setenv(ENV_VAR, str(tmp_path / "env" / "process.jsonl"))
        (tmp_path / "env").mkdir()
        with sync.BitmartTradeClient(credentials(), sim.rest_url, timeout=5) as bm:
            bm.place_order(SYMBOL, "buy", size="0.001", price="1000")
    submit = (REST_BITMART_SUBMIT_ORDER.method, REST_BITMART_SUBMIT_ORDER.path)
    assert requests(tmp_path / "s.jsonl") == [submit]
    env_file = single_capture(tmp_path / "env")
    assert requests(env_file) == [submit]
    for path in (tmp_path / "s.jsonl", env_file):
        assert_no_secrets(path, KEY, SECRET, MEMO, *signatures(path))
