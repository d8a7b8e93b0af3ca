"""The simulators' data files: each one a valid example of the message its path names, shipped
with the package, and what the simulators serve."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from tests.contract.jsonfixtures import ROOT, message_class, schema_error_paths, validator
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.qfex.all_orders_response import AllOrdersResponseMessage
from venuewire.generated.registry import MESSAGES
from venuewire.messages import encode_json
from venuewire.sim import bitmart, infoway, qfex
from venuewire.sim.books import book_parameters
from venuewire.sim.server import example

DATA = Path(str(resources.files("venuewire.sim").joinpath("data")))
FILES = sorted(DATA.glob("**/*.json"))
BY_NAME = {(m.venue, m.name): m for m in MESSAGES if m.format == "json"}


def test_the_data_files_are_there():
    names = {p.relative_to(DATA).as_posix() for p in FILES}
    assert {
        "bitmart/legacy_depth/seed_example.json",
        "bitmart/spot_depth/books.json",
        "infoway/batch_depth_response/books.json",
        "qfex/all_orders_response/open_orders.json",
        "qfex/all_orders_response/closed_orders.json",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_data_file_is_valid_against_the_schema_its_path_names(path: Path):
    venue, message, _name = path.relative_to(DATA).parts
    info = BY_NAME.get((venue, message))
    assert info is not None, f"{path}: data/<venue>/<message>/<name>.json must name a JSON message of the registry"
    payload = json.loads(path.read_text(encoding="utf-8"))
    errors = list(validator(info).iter_errors(payload))
    assert not errors, (path, schema_error_paths(errors), [e.message for e in errors])
    decoded = example(message_class(info), path.stem)
    assert json.loads(encode_json(decoded), parse_float=Decimal) == json.loads(path.read_bytes(), parse_float=Decimal)


def test_every_data_file_is_shipped_in_the_wheel():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = project["package-data"]["venuewire.sim"]
    for path in FILES:
        relative = path.relative_to(DATA.parent).as_posix()
        assert any(fnmatch.fnmatchcase(relative, p) for p in patterns), relative


def test_qfex_serves_the_orders_of_its_data_files():
    open_orders = example(AllOrdersResponseMessage, "open_orders").all_orders_response
    closed = example(AllOrdersResponseMessage, "closed_orders").all_orders_response
    assert (*open_orders.orders, *(open_orders.stop_orders or ())) == qfex.ORDERS
    assert (*closed.orders, *(closed.stop_orders or ())) == qfex.CLOSED_ORDERS
    assert (open_orders.orders[0].symbol, open_orders.orders[0].order_id) == (qfex.DEMO_SYMBOL, qfex.DEMO_ORDER_ID)


def test_bitmart_books_take_mid_tick_and_lot_from_the_data_files():
    assert bitmart.seed_push() == example(LegacyDepthPush, "seed_example")
    books = example(SpotDepthPush, "books").data
    assert {b.symbol for b in books} == set(bitmart.example_books())
    for book in books:
        exact = [[(Decimal(p), Decimal(s)) for p, s in side] for side in (book.bids, book.asks)]  # DecimalText
        mid, tick, lot, _levels = book_parameters(*exact)
        gen = bitmart.spot_generator(book.symbol)
        assert (gen.tick, gen.lot, gen.levels) == (tick, lot, bitmart.SPOT_MAX_LEVELS)
        assert gen.mid == mid
        bids, asks = gen.snapshot(7)
        assert all(price % tick == 0 and size % lot == 0 for price, size, _ in [*bids, *asks])


def test_infoway_books_take_mid_tick_lot_and_depth_from_the_data_file():
    reply = example(BatchDepthResponse, "books")
    assert reply.data
    for depth in reply.data:
        bids = [(Decimal(p), Decimal(s)) for p, s in zip(*depth.b, strict=True)]  # the sides hold text
        asks = [(Decimal(p), Decimal(s)) for p, s in zip(*depth.a, strict=True)]
        mid, tick, lot, levels = book_parameters(bids, asks)
        gen = infoway.book_generator(depth.s)
        assert (gen.tick, gen.lot, gen.levels) == (tick, lot, levels)
        assert gen.mid == mid
    assert infoway.book_generator("00700.HK").tick == Decimal("0.2")  # HK's tick at 200-500, from the prices
