"""Adding a WebSocket request is registry + schemas (the reply's example inside), nothing else.

From a temporary copy of schemas/ with one extra QFEX trade-socket request declared
(get_user_leverage: one `[[ws.requests]]` entry, a request schema and a reply schema carrying its
example), codegen writes a temporary generated/ (the repository's is never touched) whose
ws_api.py holds the typed method; run against that output through a path overlay, the stock
`QfexTradeClient` calls it against the stock `QfexSimulator` and gets the example back, typed.
No runtime file and no simulator code is changed.
"""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import pytest

from tests.codegen.overlay import ROOT, changed, codegen, overlay, run_with, workspace

pytestmark = pytest.mark.timeout(60)

# The request added. Its facts are test data (the test proves the pipeline, not QFEX): QFEX
# lists get_user_leverage among its trade-socket messages ([doc] https://docs.qfex.com/websocket/rate,
# the weights table); the frame's params and the answer's shape below are a [guess].
ANCHOR = 'reply_key = "cancel_on_disconnect"\n'
REGISTRY_ENTRY = """# get_user_leverage: [guess] test data for tests/codegen/test_add_ws_request.py
[[ws.requests]]
name = "get_user_leverage"
request = "qfex/get_user_leverage"
reply = "qfex/user_leverage_response"
reply_key = "user_leverage_response"
"""

REQUEST_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "GetUserLeverage",
    "description": "Client frame asking for the account's recent fills in one market.",
    "x-source": "[guess] test data",
    "type": "object",
    "properties": {
        "type": {"const": "get_user_leverage", "description": "Frame kind."},
        "params": {"$ref": "#/$defs/GetUserLeverageParams", "description": "Which fills."},
    },
    "required": ["type", "params"],
    "$defs": {
        "GetUserLeverageParams": {
            "title": "GetUserLeverageParams",
            "description": "Which fills.",
            "type": "object",
            "properties": {
                "symbol": {"type": "string", "description": "Market, e.g. AAPL-USD."},
                "limit": {"type": "integer", "description": "At most this many fills."},
            },
            "required": ["symbol"],
        }
    },
}

EXAMPLE = {
    "user_leverage_response": {
        "trades": [
            {
                "trade_id": "c0ffee00-1111-4222-8333-444455556666",
                "symbol": "AAPL-USD",
                "side": "BUY",
                "price": 186.5,
                "quantity": 3.0,
                "time": 1758208600.5,
            }
        ]
    }
}

REPLY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "UserLeverageResponseMessage",
    "description": "Server frame answering get_user_leverage.",
    "x-source": "[guess] test data",
    "type": "object",
    "properties": {"user_leverage_response": {"$ref": "#/$defs/UserLeverageResponse", "description": "The fills."}},
    "required": ["user_leverage_response"],
    "$defs": {
        "UserLeverageResponse": {
            "title": "UserLeverageResponse",
            "description": "The fills.",
            "type": "object",
            "properties": {"trades": {"type": "array", "items": {"$ref": "#/$defs/Fill"}, "description": "Fills."}},
            "required": ["trades"],
        },
        "Fill": {
            "title": "Fill",
            "description": "One fill.",
            "type": "object",
            "properties": {
                "trade_id": {"type": "string", "description": "Trade id (UUID)."},
                "symbol": {"type": "string", "description": "Market."},
                "side": {"type": "string", "description": "BUY or SELL."},
                "price": {"type": "number", "description": "Fill price."},
                "quantity": {"type": "number", "description": "Filled quantity."},
                "time": {"type": "number", "description": "Unix seconds."},
            },
            "required": ["trade_id", "symbol", "side", "price", "quantity", "time"],
        },
    },
    "examples": [EXAMPLE],
}

CLIENT_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, typing
    import msgspec
    import venuewire
    from venuewire.credentials import QfexCredentials
    from venuewire.generated.qfex import ws_api
    from venuewire.qfex.client import QfexTradeClient
    from venuewire.sim.qfex import DEMO_ORDER_ID, DEMO_SYMBOL, QfexSimulator, TradeConnection

    async def main():
        out = {"venuewire": venuewire.__file__, "generated": ws_api.__file__}
        async with QfexSimulator(api_key="k", secret="s") as sim:
            async with QfexTradeClient(QfexCredentials("k", "s"), sim.url, timeout=5) as qfex:
                reply = await qfex.get_user_leverage("AAPL-USD", limit=1)
                out["class"] = f"{type(reply).__module__}.{type(reply).__name__}"
                out["fill"] = type(reply.trades[0]).__name__
                out["reply"] = json.loads(msgspec.json.encode(reply))
                out["hints"] = {k: str(v) for k, v in typing.get_type_hints(qfex.get_user_leverage).items()}
                try:
                    await qfex.get_user_leverage(5)
                except TypeError as exc:
                    out["local"] = str(exc)
                orders = await qfex.get_order(DEMO_SYMBOL, DEMO_ORDER_ID)  # the real behaviour is kept
                out["orders"] = [o.order_id for o in orders.orders]
            out["served"] = sim.stats.served
            conn = TradeConnection(sim.state, "k")  # a frame the request schema refuses: the simulator checks it
            conn.authenticated = True
            (refused,) = conn.receive('{"type": "get_user_leverage", "params": {}}', now=0.0, mono=0.0)
            out["refused"] = json.loads(refused)["err"]["error_code"]
        print(json.dumps(out))

    asyncio.run(main())
    """
)


def _add_the_request(schemas: Path) -> None:
    qfex = schemas / "json" / "qfex"
    (qfex / "get_user_leverage.json").write_text(json.dumps(REQUEST_SCHEMA, indent=1), encoding="utf-8")
    (qfex / "user_leverage_response.json").write_text(json.dumps(REPLY_SCHEMA, indent=1), encoding="utf-8")
    registry = schemas / "registry.toml"
    text = registry.read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1
    registry.write_text(text.replace(ANCHOR, ANCHOR + REGISTRY_ENTRY), encoding="utf-8")


def test_a_ws_request_needs_only_registry_and_schemas(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    _add_the_request(root / "schemas")
    assert changed(root / "schemas", ROOT / "schemas") == [
        "json/qfex/get_user_leverage.json",
        "json/qfex/user_leverage_response.json",
        "registry.toml",
    ]
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "generated").rglob("*") if p.is_file()}
    built = codegen(root)
    assert built.returncode == 0, built.stderr
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "generated").rglob("*") if p.is_file()} == before
    generated = root / "generated"
    api = ast.parse((generated / "qfex" / "ws_api.py").read_text(encoding="utf-8"))
    (method,) = [n for n in ast.walk(api) if isinstance(n, ast.AsyncFunctionDef) and n.name == "get_user_leverage"]
    params = {a.arg: ast.unparse(a.annotation) for a in method.args.args if a.annotation is not None}
    assert params == {"symbol": "str", "limit": "int | None"}
    assert [ast.unparse(d) for d in method.args.defaults] == ["None"]  # symbol is required
    assert ast.unparse(method.returns) == "UserLeverageResponse"

    src = overlay(tmp_path, generated)
    run = run_with(src, tmp_path, CLIENT_SCRIPT)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["venuewire"].startswith(str(src)) and out["generated"].startswith(str(src))
    assert out["class"] == "venuewire.generated.qfex.user_leverage_response.UserLeverageResponse"
    assert out["fill"] == "Fill"
    assert out["reply"] == EXAMPLE["user_leverage_response"]
    assert out["hints"] == {
        "symbol": "<class 'str'>",
        "limit": "int | None",
        "return": "<class 'venuewire.generated.qfex.user_leverage_response.UserLeverageResponse'>",
    }
    assert "get_user_leverage" in out["local"] and "symbol" in out["local"]  # checked before sending
    assert out["refused"] == "InvalidParameter"
    assert out["orders"] and out["served"] == 2


def test_codegen_refuses_a_declared_ws_request_whose_reply_has_no_example(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    _add_the_request(root / "schemas")
    reply = root / "schemas" / "json" / "qfex" / "user_leverage_response.json"
    reply.write_text(json.dumps({k: v for k, v in REPLY_SCHEMA.items() if k != "examples"}), encoding="utf-8")
    built = codegen(root)
    assert built.returncode != 0
    assert "user_leverage_response.json" in built.stderr and "get_user_leverage" in built.stderr
    assert not (root / "generated").exists()


def test_codegen_refuses_a_request_whose_type_is_not_its_name(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    _add_the_request(root / "schemas")
    bad = {**REQUEST_SCHEMA, "properties": {**REQUEST_SCHEMA["properties"], "type": {"const": "user_trades"}}}
    (root / "schemas" / "json" / "qfex" / "get_user_leverage.json").write_text(json.dumps(bad), encoding="utf-8")
    built = codegen(root)
    assert built.returncode != 0
    assert "get_user_leverage.json" in built.stderr and "#/properties/type" in built.stderr
