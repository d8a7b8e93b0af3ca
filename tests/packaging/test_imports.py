"""What importing venuewire costs a consumer, and the protobuf range it promises.

JSON-only imports never load google.protobuf; the OpenD names still resolve from `venuewire`.
The generated OpenD code carries the gencode version that pyproject's protobuf floor, the
codegen configuration and the CI matrix all name (one fact, checked in four places).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from venuewire.generated.futu import Qot_UpdateOrderBook_pb2
from venuewire.messages import _locate_in_json

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(60)

NO_PROTOBUF = "assert 'google.protobuf' not in sys.modules, sorted(m for m in sys.modules if m.startswith('google'))"


def run(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_json_only_imports_never_load_protobuf() -> None:
    run(f"import sys, venuewire.coinw, venuewire.bitmart, venuewire.infoway, venuewire.qfex, venuewire; {NO_PROTOBUF}")


def test_decode_json_and_encode_json_never_load_protobuf() -> None:
    run(
        "import sys, importlib, msgspec, venuewire\n"
        "from venuewire.generated.registry import MESSAGES\n"
        "m = next(m for m in MESSAGES if m.format == 'json')\n"
        "cls = getattr(importlib.import_module(m.module), m.class_name)\n"
        "try:\n"
        "    venuewire.decode_json(cls, b'{')\n"
        "except venuewire.DecodeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('no DecodeError')\n"
        f"{NO_PROTOBUF}\n"
    )


def test_opend_names_still_resolve_from_venuewire_on_first_use() -> None:
    run(
        "import sys, venuewire\n"
        f"{NO_PROTOBUF}\n"
        "from venuewire.opend.client import OpenDClient\n"
        "assert venuewire.OpenDClient is OpenDClient\n"
        "assert venuewire.SubType.OrderBook == 2 and venuewire.OpenDError and venuewire.order_book_from_s2c\n"
        "assert {'OpenDClient', 'UpdateStream', 'Gap', 'ClientStats'} <= set(dir(venuewire))\n"
        "assert set(venuewire.__all__) <= set(dir(venuewire))\n"
        "try:\n"
        "    venuewire.NoSuchName\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('no AttributeError')\n"
    )


def test_gencode_version_is_the_protobuf_floor_everywhere() -> None:
    config = tomllib.loads((ROOT / "codegen" / "config.toml").read_text(encoding="utf-8"))["protobuf"]
    gencode = config["gencode"]
    major, minor, patch = gencode.split(".")
    stamps = {}
    for module in sorted((ROOT / "generated" / "futu").glob("*_pb2.py")):
        text = module.read_text(encoding="utf-8")
        version = re.search(r"^# Protobuf Python Version: (\S+)$", text, re.M)
        call = re.search(r"ValidateProtobufRuntimeVersion\(\s*\S+,\s*(\d+),\s*(\d+),\s*(\d+),", text)
        assert version and call, module.name
        stamps[module.name] = (version.group(1), call.groups())
    assert len(stamps) >= 8
    assert set(stamps.values()) == {(gencode, (major, minor, patch))}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"protobuf>={gencode},<8" in project["dependencies"]
    matrix = (ROOT / "requirements" / "matrix-protobuf.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^protobuf==(\S+)$", matrix, re.M)
    assert pins[0] == gencode and [p.split(".")[0] for p in pins] == ["5", "6", "7"]
    assert "grpcio-tools==1.66.2" in (ROOT / "requirements" / "protoc.lock").read_text(encoding="utf-8").split()


def test_json_field_path_is_found_when_protobuf_names_only_the_chain_of_fields() -> None:
    # protobuf 5 reports `"volume": "1.5"` as "Failed to parse s2c field: Failed to parse
    # orderBookAskList field: Failed to parse volume field: invalid literal ..." with no index.
    ask = {"price": 1.0, "volume": 1, "orederCount": 1}
    body = {"retType": 0, "s2c": {"orderBookAskList": [ask, dict(ask, volume="1.5")]}}
    found = _locate_in_json(Qot_UpdateOrderBook_pb2.Response, json.dumps(body), ["s2c", "orderBookAskList", "volume"])
    assert found == ["s2c", "orderBookAskList", 1, "volume"]
