"""`venuewire demo`'s trading sections: Futu's quote, candles and simulated order life cycle,
CoinW's order life cycle through the generated typed bodies, QFEX's order life cycle with its
order_responses pushes, and BitMart's incremental book surviving an injected gap, then its spot
order's life cycle with BitmartTradeClient (recorded into the demo's capture)."""

from __future__ import annotations

import asyncio
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console

from venuewire.capture import read_capture
from venuewire.cli.venues import BITMART_ACCOUNT
from venuewire.demo import DemoFailed, DemoOptions, run_demo
from venuewire.demo.bitmart_trading import LIFE_CYCLE_REQUESTS
from venuewire.generated.registry import REST_BITMART_SUBMIT_ORDER


async def _run(venue: str, **options: Any) -> tuple[list[DemoFailed], list[str], str]:
    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=False, color_system=None)
    errors: list[str] = []
    async with asyncio.timeout(60):
        failures = await run_demo([venue], console, DemoOptions(seconds=1.0, **options), errors.append)
    return failures, errors, out.getvalue()


def _after(out: str, label: str) -> list[list[str]]:
    """The words after `label` of each line that starts with it."""
    return [line.strip()[len(label) :].split() for line in out.splitlines() if line.strip().startswith(label)]


def _rows(out: str, label: str) -> list[list[str]]:
    return [line.split() for line in out.splitlines() if line.strip().startswith(label)]


async def test_futu_shows_a_quote_candles_and_a_simulated_orders_life_cycle() -> None:
    failures, errors, out = await _run("futu")
    assert failures == [] and errors == [], errors
    (quote,) = [r for r in _rows(out, "HK.00700") if "TENCENT" in r]
    assert re.fullmatch(r"(39\d|40\d)\.\d", quote[2]), quote  # the last price, from Qot_GetBasicQot
    candles = re.search(r"last (\d+) 1-minute candles \(Qot_GetKL\)", out)
    assert candles is not None and int(candles[1]) >= 1
    title = re.search(r"futu simulated order (\S+), account (\d+)", out)
    assert title is not None
    order_id = title[1]
    steps = {label: _rows(out, label) for label in ("place -> push", "order list", "modify -> push", "cancel -> push")}
    assert all(len(rows) == 1 for rows in steps.values()), steps
    place, listed, modify, cancel = (rows[0] for rows in steps.values())
    for row in (place, listed, modify, cancel):
        assert order_id in row and "HK.00700" in row and "buy" in row
    assert "Submitted" in place and "Submitted" in listed
    assert "100.0" in place and "200.0" in modify  # the modified quantity arrived in the push
    assert float(modify[modify.index("200.0") + 2]) < float(place[place.index("100.0") + 2])  # and the lower price
    assert any(s.startswith("Cancelled") for s in cancel), cancel


async def test_coinw_shows_an_orders_life_cycle() -> None:
    failures, errors, out = await _run("coinw")
    assert failures == [] and errors == [], errors
    title = re.search(r"CoinW order (\d+): placed, listed open, cancelled \(no longer open\)", out)
    assert title is not None
    (row,) = _rows(out, "open after place")
    assert title[1] in row and "BTC" in row and "plan" in row and "20000.5" in row


async def test_qfex_shows_an_orders_life_cycle_with_its_pushes() -> None:
    failures, errors, out = await _run("qfex")
    assert failures == [] and errors == [], errors
    title = re.search(r"QFEX order (\S+): added, modified, cancelled \(order_responses pushes\)", out)
    assert title is not None
    order_id = title[1]
    steps = {label: _rows(out, label) for label in ("add -> push", "modify -> push", "cancel -> push")}
    assert all(len(rows) == 1 for rows in steps.values()), steps
    add, modify, cancel = (rows[0] for rows in steps.values())
    for row in (add, modify, cancel):
        assert row[3] == order_id and "AAPL-USD" in row and "buy" in row and "LIMIT" in row
    assert "ACK" in add and "150.05" in add
    assert "MODIFIED" in modify and "151.5" in modify  # the push carries the new price
    assert "CANCELLED" in cancel
    assert out.index("add -> push") < out.index("modify -> push") < out.index("cancel -> push")


async def test_bitmart_shows_an_incremental_book_surviving_an_injected_gap() -> None:
    failures, errors, out = await _run("bitmart")
    assert failures == [] and errors == [], errors
    first = re.search(r"incremental BTC_USDT: valid \(True\) at version (\d+)", out)
    gap = re.search(r"BookGap BTC_USDT: expected version (\d+), received (\d+) \(gap\); the book is invalid", out)
    resynced = re.search(r"BookResynced BTC_USDT: snapshot at version (\d+), \d+ buffered update\(s\) replayed", out)
    valid = re.search(r"valid again: is_valid\(BTC_USDT\) True", out)
    after = re.search(r"incremental BTC_USDT after the resync,\s+version (\d+)", out)
    assert first and gap and resynced and valid and after, out
    assert first.start() < gap.start() < resynced.start() < valid.start() < after.start()
    assert int(gap[1]) > int(first[1]) and int(gap[2]) > int(gap[1])  # one version skipped
    assert int(resynced[1]) >= int(gap[2]) and int(after[1]) >= int(resynced[1])
    assert re.search(r"^bitmart: \d+ messages, 0 decode errors, 0 gaps", out, re.MULTILINE)  # no reconnect


async def test_bitmart_shows_a_spot_orders_life_cycle_recorded_in_the_capture(tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    failures, errors, out = await _run("bitmart", capture=path)
    assert failures == [] and errors == [], errors
    assert "BitMart spot order life cycle (BTC_USDT, signed REST):" in out
    assert out.index("valid again: is_valid(BTC_USDT) True") < out.index("BitMart spot order life cycle")
    book = re.search(r"^book BTC_USDT: best bid (\S+), best ask (\S+); buying 0\.001 @ (\S+)$", out, re.M)
    assert book is not None, out
    bid, ask, price = (Decimal(v) for v in book.groups())
    assert price < bid < ask and price == (bid * Decimal("0.9")).quantize(bid)
    submit = f"{REST_BITMART_SUBMIT_ORDER.method} {REST_BITMART_SUBMIT_ORDER.path}"
    placed = re.search(rf"^placed +(\d+) \({submit}, signed\)$", out, re.M)
    assert placed is not None, out
    order_id = placed[1]
    rows = {label: _after(out, label) for label in ("open orders", "query by id", "after cancel")}
    (listed, gone), (queried,), (cancelled,) = rows.values()
    for row in (listed, queried, cancelled):  # id, pair, side, type, size @ price, state, filled, left
        assert row[:7] == [order_id, "BTC_USDT", "buy", "limit", "0.001", "@", str(price)], row
    assert listed[7:] == queried[7:] == ["new", "filled", "0", "left", "0.001"]
    assert cancelled[7:] == ["canceled", "filled", "0", "left", "0"]
    assert gone == ["none", "left;", "USDT", "held", "0"]
    held = re.search(r"^held for it +(\S+) USDT$", out, re.M)
    assert held is not None and Decimal(held[1]) == price * Decimal("0.001")
    # the life cycle's REST, recorded by its own client into the demo's capture, signatures redacted
    capture = read_capture(path)
    requests = [r for r in capture.records if r.venue == "bitmart" and r.transport == "http-request"]
    replies = [r for r in capture.records if r.venue == "bitmart" and r.transport == "http-response"]
    assert len(requests) == len(replies) == LIFE_CYCLE_REQUESTS
    signed = [r for r in requests if r.meta["method"] == "POST"]
    assert signed and all(r.meta["headers"]["X-BM-SIGN"] == "[redacted]" for r in signed)
    raw = path.read_bytes()
    assert all(s.encode() not in raw for s in BITMART_ACCOUNT.values())
    summary = re.search(r"^bitmart: (\d+) messages, 0 decode errors, 0 gaps", out, re.M)
    assert summary is not None and int(summary[1]) > LIFE_CYCLE_REQUESTS
    assert "no drift" in out
