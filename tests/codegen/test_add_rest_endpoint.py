"""Adding a REST endpoint is registry + schemas (its example inside), nothing else.

From a temporary copy of schemas/ with one extra CoinW endpoint declared (GET
/v1/perpum/positions/history: one [[rest]] entry, a query schema and a response schema carrying its
example), codegen writes a temporary generated/; a subprocess that loads venuewire with that
generated/ in place of the repo's calls the new typed method of the stock `CoinwClient`
against the stock `CoinwSimulator` and gets the example back, typed. No runtime file, no
simulator code and none of the repo's generated/ is changed.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(60)

# The one endpoint added. Its facts are test data (the test proves the pipeline, not CoinW).
REGISTRY_ENTRY = """
# CoinW position history: [guess] test data for tests/codegen/test_add_rest_endpoint.py
[[rest]]
venue = "coinw"
name = "get_position_history"
method = "GET"
base_url = "https://api.coinw.com"
path = "/v1/perpum/positions/history"
auth = "coinw_hmac_sha256_base64"
envelope = "coinw"
request = "coinw/get_position_history_query"
response = "coinw/position_history_response"
requests_per_second = 10
"""

QUERY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "GetPositionHistoryQuery",
    "description": "Query string of GET /v1/perpum/positions/history.",
    "x-source": "[guess] test data",
    "type": "object",
    "properties": {
        "instrument": {"type": "string", "description": "Base currency of the market, e.g. BTC."},
        "openIds": {"type": "string", "description": "Optional: position ids joined with commas."},
    },
    "required": ["instrument"],
}

EXAMPLE = {
    "code": 0,
    "msg": "",
    "data": [
        {"id": 33308753605637070, "instrument": "BTC", "direction": "long", "openPrice": "84000.5", "currentPiece": 3}
    ],
}

RESPONSE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "PositionHistoryResponse",
    "description": "Reply to GET /v1/perpum/positions/history.",
    "x-source": "[guess] test data",
    "type": "object",
    "properties": {
        "code": {"type": "integer", "description": "0 on success, else a CoinW error code."},
        "msg": {"type": ["string", "null"], "description": "The reason for a failure."},
        "message": {"type": ["string", "null"], "description": "The reason, in the other error shape."},
        "data": {"type": ["array", "null"], "description": "Open positions.", "items": {"$ref": "#/$defs/Position"}},
    },
    "required": ["code"],
    "$defs": {
        "Position": {
            "title": "Position",
            "description": "One open position.",
            "type": "object",
            "properties": {
                "id": {"type": "integer", "description": "Position id (may exceed 2^53)."},
                "instrument": {"type": "string", "description": "Base currency."},
                "direction": {"type": "string", "description": "long or short."},
                "openPrice": {"type": "string", "format": "decimal", "description": "Average open price."},
                "currentPiece": {"type": "integer", "description": "Contracts held."},
            },
            "required": ["id", "instrument", "direction", "openPrice", "currentPiece"],
        }
    },
    "examples": [EXAMPLE],
}

CLIENT = """
import asyncio, importlib.util, json, sys
from pathlib import Path

generated = Path(sys.argv[1])
spec = importlib.util.spec_from_file_location(
    "venuewire.generated", generated / "__init__.py", submodule_search_locations=[str(generated)]
)
module = importlib.util.module_from_spec(spec)
sys.modules["venuewire.generated"] = module
spec.loader.exec_module(module)

import msgspec
from venuewire.coinw import CoinwClient
from venuewire.credentials import CoinwCredentials
from venuewire.errors import AuthError
from venuewire.sim.coinw import CoinwSimulator

async def main() -> None:
    async with CoinwSimulator(api_key="k", secret="s") as sim:
        async with CoinwClient(CoinwCredentials("k", "s"), sim.url) as client:
            reply = await client.get_position_history(instrument="BTC")
        async with CoinwClient(CoinwCredentials("k", "wrong"), sim.url) as bad:
            try:
                await bad.get_position_history(instrument="BTC")
                refused = None
            except AuthError as exc:
                refused = exc.code
        (position,) = reply.data
        print(json.dumps({
            "class": f"{type(reply).__module__}.{type(reply).__name__}",
            "item": type(position).__name__,
            "open_price": repr(position.openPrice),
            "id": position.id,
            "reply": json.loads(msgspec.json.encode(reply)),
            "refused": refused,
            "sent": sim.seen[0].raw_query,
            "generated_from": sys.modules["venuewire.generated.registry"].__file__,
        }))

asyncio.run(main())
"""

BUILD = """
import sys
from pathlib import Path
import codegen.__main__ as main
main.ROOT = Path(sys.argv[1])
main.build(Path(sys.argv[2]))
"""


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_one_registry_entry_and_its_schemas_give_a_typed_method_the_simulator_answers(tmp_path: Path) -> None:
    before = _digest(ROOT / "generated")
    work = tmp_path / "root"
    shutil.copytree(ROOT / "schemas", work / "schemas")
    (work / "codegen").symlink_to(ROOT / "codegen")  # the templates and config, unchanged
    (work / ".build").symlink_to(ROOT / ".build")  # protoc's tool environment
    added = [
        work / "schemas" / "json" / "coinw" / "get_position_history_query.json",
        work / "schemas" / "json" / "coinw" / "position_history_response.json",
    ]
    added[0].write_text(json.dumps(QUERY_SCHEMA, indent=1), encoding="utf-8")
    added[1].write_text(json.dumps(RESPONSE_SCHEMA, indent=1), encoding="utf-8")
    registry = work / "schemas" / "registry.toml"
    registry.write_text(registry.read_text(encoding="utf-8") + REGISTRY_ENTRY, encoding="utf-8")
    changed = [p for p in (work / "schemas").rglob("*") if p.is_file() and _differs(p, work)]
    assert sorted(changed) == sorted([*added, registry])  # three files: the registry and two schemas

    out = tmp_path / "out" / "generated"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    build = subprocess.run(
        [sys.executable, "-c", BUILD, str(work), str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert build.returncode == 0, build.stderr
    api = ast.parse((out / "coinw" / "api.py").read_text(encoding="utf-8"))
    (method,) = [n for n in ast.walk(api) if isinstance(n, ast.AsyncFunctionDef) and n.name == "get_position_history"]
    keywords = {a.arg: ast.unparse(a.annotation) for a in method.args.kwonlyargs if a.annotation is not None}
    assert keywords == {"instrument": "str", "openIds": "str | None"}
    required, optional = method.args.kw_defaults
    assert required is None and optional is not None and ast.unparse(optional) == "None"  # instrument is required
    assert ast.unparse(method.returns) == "PositionHistoryResponse"

    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CLIENT), str(out)],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["generated_from"].startswith(str(out))
    assert result["class"] == "venuewire.generated.coinw.position_history_response.PositionHistoryResponse"
    assert result["item"] == "Position" and result["open_price"] == "Decimal('84000.5')"
    assert result["id"] == 33308753605637070  # above 2^53, exact
    assert result["reply"] == EXAMPLE
    assert result["sent"] == "instrument=BTC"
    assert result["refused"] == 6001  # the simulator checks the new route's signature by its auth scheme
    assert _digest(ROOT / "generated") == before


def _differs(path: Path, work: Path) -> bool:
    original = ROOT / path.relative_to(work)
    return not original.is_file() or original.read_bytes() != path.read_bytes()
