"""QFEX: a trading session recorded by the client's own `capture=`, replayed. The client makes
up a new client_order_id each session and pairs the answer by it (the registry's `pair_by`),
so the replay puts the live id in the recorded answers and pushes; every other byte is the
recording's."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest

from venuewire.capture import CaptureTarget, read_capture
from venuewire.credentials import QfexCredentials
from venuewire.models import Order
from venuewire.qfex.client import QfexTradeClient
from venuewire.replay import Replay
from venuewire.replay.plan import echoed_ids, pair_fields, rewrite_ids
from venuewire.sim.qfex import DEFAULT_API_KEY, DEFAULT_SECRET, DEMO_ORDER_ID, DEMO_SYMBOL, QfexSimulator

pytestmark = pytest.mark.timeout(60)

WAIT = 10.0


async def session(url: str, capture: CaptureTarget = None) -> list[Any]:
    """get_order, add_order (its order_responses push too), modify, cancel, close_position."""
    answers: list[Any] = []
    credentials = QfexCredentials(DEFAULT_API_KEY, DEFAULT_SECRET)
    async with QfexTradeClient(credentials, url, timeout=5, capture=capture) as client, asyncio.timeout(WAIT):
        updates = client.order_updates()
        await updates.ready()
        answers.append(await client.get_order(DEMO_SYMBOL, DEMO_ORDER_ID))
        added = await client.add_order("AAPL-USD", "BUY", "LIMIT", "GTC", 2, Decimal("150.05"))
        answers.append(added)
        async for item in updates:
            if isinstance(item, Order):
                answers.append(item)  # the normalized order (its raw is None for QFEX)
                break
        order_id = added.order_response.order_id
        answers.append(await client.modify_order("AAPL-USD", order_id, Decimal("151.5"), 2, "BUY", "LIMIT"))
        answers.append(await client.cancel_order("AAPL-USD", "order_id", order_id=order_id))
        answers.append(await client.close_position("AAPL-USD"))
    return answers


def sent_ids(path: Path) -> list[str]:
    """The client_order_id of every frame the client sent, in order."""
    out = []
    for record in read_capture(path).records:
        if record.direction == "out" and record.transport == "ws-text":
            params = json.loads(record.data).get("params", {})
            if isinstance(params, dict) and "client_order_id" in params:
                out.append(params["client_order_id"])
    return out


def with_ids(answer: Any, ids: dict[str, str]) -> Any:
    """`answer` with each client_order_id it carries mapped through `ids`."""
    doc = msgspec.to_builtins(answer)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: ids.get(v, v) if k == "client_order_id" else walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return msgspec.convert(walk(doc), type(answer), strict=False)


async def test_a_qfex_trading_session_replays_with_the_clients_new_order_ids(tmp_path: Path) -> None:
    recorded_path, replayed_path = tmp_path / "recorded.jsonl", tmp_path / "replayed.jsonl"
    async with QfexSimulator() as sim:
        recorded = await session(sim.url, recorded_path)
    async with Replay(recorded_path, speed=0) as replay:
        url = replay.url_for("qfex").split("?")[0]  # the client adds its api_key itself
        replayed = await asyncio.wait_for(session(url, replayed_path), 30)
    assert replay.unanswered == []
    old, new = sent_ids(recorded_path), sent_ids(replayed_path)
    assert len(old) == len(new) == 2  # add_order and close_position, each a fresh id
    assert set(old).isdisjoint(new)
    ids = dict(zip(old, new, strict=True))
    assert len(replayed) == len(recorded) == 6
    assert replayed == [with_ids(answer, ids) for answer in recorded]
    assert replayed[1].order_response.client_order_id == new[0]  # the answer the client paired
    assert replayed[2].client_order_id == new[0]  # the order_responses push, rewritten too


def test_echoed_ids_reads_the_recorded_and_live_value_of_pair_by_fields_only() -> None:
    names = pair_fields("qfex", "/")
    assert "client_order_id" in names and "order_id" in names
    recorded = b'{"type":"add_order","params":{"symbol":"X","client_order_id":"aaa-1","note":"n1"}}'
    sent = b'{"type":"add_order","params":{"symbol":"X","client_order_id":"bbb-2","note":"n2"}}'
    assert echoed_ids(recorded, sent, names) == {"aaa-1": "bbb-2"}
    assert echoed_ids(recorded, recorded, names) == {}
    assert echoed_ids(b"ping", b"ping", names) == {}
    assert echoed_ids(recorded, sent, frozenset()) == {}


def test_rewrite_ids_changes_only_the_echoed_fields_and_keeps_every_other_byte() -> None:
    names = frozenset({"client_order_id"})
    data = b'{"order_response":{"client_order_id": "aaa-1","memo":"aaa-1","price":150.050,"x":"aaa-10"}}'
    out = rewrite_ids(data, names, {"aaa-1": "bbb-2"})
    assert out == b'{"order_response":{"client_order_id": "bbb-2","memo":"aaa-1","price":150.050,"x":"aaa-10"}}'
    assert rewrite_ids(data, names, {}) is data
    assert rewrite_ids(data, names, {"zzz": "y"}) == data
