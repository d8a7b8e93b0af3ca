"""CoinW benchmarks (target in brackets), on one get-order-information reply of 50 open orders
built from the simulator's orders (ids above 2^53 as bare integers, decimals mixed as strings
and numbers, the same bytes for both sides):

(a) bytes -> typed `OrderResponse` (`orders_result`: decode, envelope and error checks; decimal
    strings and numbers alike as exact Decimal, big ids exact) vs the stdlib's untyped
    `json.loads` [>= 1.5x].
Information rows: the normalized `venuewire.models.Order` list vs `json.loads` plus what a
stdlib user must do for the same numbers (`Decimal(str)` of strings, `Decimal(repr)` of floats).
No official CoinW client package exists, so there is no client to compare with.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import msgspec

from bench.harness import Result, compare
from venuewire.coinw.orders import orders_from_coinw
from venuewire.coinw.rest import orders_result
from venuewire.sim.coinw import ORDERS

ORDER_COUNT = 50
_NUMERIC = ("quantity", "orderPrice", "fee", "margin", "leverage", "baseSize", "makerFee", "takerFee")


def reply_bytes(count: int = ORDER_COUNT) -> bytes:
    """A successful reply with `count` orders, compact JSON as the simulator sends it."""
    every = [order for orders in ORDERS.values() for order in orders]
    data: list[dict[str, Any]] = []
    for index in range(count):
        order = dict(every[index % len(every)])
        order["id"] = 33308753605637070 + index if index % 2 else str(33308753605637070 + index)
        data.append(order)
    return msgspec.json.encode({"code": 0, "data": data, "msg": ""})


def _decimal(value: object) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def run() -> list[Result]:
    data = reply_bytes()
    assert len(orders_result(200, {}, data)) == ORDER_COUNT

    def typed() -> object:
        return orders_result(200, {}, data)

    def stdlib() -> object:
        return json.loads(data)

    def normalized() -> object:
        return orders_from_coinw(orders_result(200, {}, data))

    def stdlib_decimals() -> object:
        reply: dict[str, Any] = json.loads(data)
        if reply["code"] != 0:
            raise RuntimeError(reply["msg"])
        for order in reply["data"]:
            for key in _NUMERIC:
                if order.get(key) is not None:
                    order[key] = _decimal(order[key])
        return reply

    name = f"(a) {ORDER_COUNT}-order get order information reply ({len(data)} B)"
    return [
        Result(
            f"{name} -> typed orders",
            "orders_result (decode_json(OrderResponse))",
            "json.loads",
            compare(typed, stdlib),
            1.5,
        ),
        Result(
            f"{name} -> normalized Orders",
            "orders_result + orders_from_coinw",
            "json.loads + Decimal() per numeric field",
            compare(normalized, stdlib_decimals),
            None,
        ),
    ]


if __name__ == "__main__":
    from bench.harness import table

    print(table(run(), "CoinW futures"))
