"""Every shared signing vector, reproduced exactly: the signed string, the signature, the frame.

tests/signing/vectors.json is a verbatim copy of the project's shared signing vectors
(produced by the official BitMart and QFEX clients and by CoinW's documented formula).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from venuewire.credentials import BitmartCredentials, CoinwCredentials, QfexCredentials
from venuewire.generated.bitmart.login import Login
from venuewire.generated.qfex.auth import Auth
from venuewire.messages import decode_json
from venuewire.signing import (
    bitmart_headers,
    bitmart_prehash,
    bitmart_ws_login_frame,
    bitmart_ws_login_prehash,
    coinw_headers,
    coinw_prehash,
    qfex_auth_frame,
    qfex_prehash,
    qfex_rest_headers,
    sign_bitmart,
    sign_bitmart_ws_login,
    sign_coinw,
    sign_qfex,
)

VECTORS: dict[str, Any] = json.loads((Path(__file__).parent / "vectors.json").read_text())


def cases(section: str) -> list[Any]:
    return [pytest.param(v, id=f"{section}[{i}]") for i, v in enumerate(VECTORS[section])]


def test_every_section_is_covered() -> None:
    assert set(VECTORS) - {"about"} == {"coinw_futures", "bitmart_rest", "bitmart_ws_login", "qfex_auth"}
    assert all(VECTORS[k] for k in set(VECTORS) - {"about"})


@pytest.mark.parametrize("v", cases("coinw_futures"))
def test_coinw_vector(v: dict[str, Any]) -> None:
    args = (v["timestamp_ms"], v["method"], v["path"], v["query"], v["body"])
    assert coinw_prehash(*args) == v["signed_string"]
    assert sign_coinw(v["secret"], *args) == v["expect"]
    headers = coinw_headers(CoinwCredentials("key-1", v["secret"]), *args)
    assert headers == {"sign": v["expect"], "api_key": "key-1", "timestamp": str(v["timestamp_ms"])}


@pytest.mark.parametrize("v", cases("bitmart_rest"))
def test_bitmart_rest_vector(v: dict[str, Any]) -> None:
    assert bitmart_prehash(v["memo"], v["timestamp_ms"], v["payload"]) == v["signed_string"]
    assert sign_bitmart(v["secret"], v["memo"], v["timestamp_ms"], v["payload"]) == v["expect"]
    headers = bitmart_headers(BitmartCredentials("key-1", v["secret"], v["memo"]), v["timestamp_ms"], v["payload"])
    assert headers == {"X-BM-KEY": "key-1", "X-BM-SIGN": v["expect"], "X-BM-TIMESTAMP": str(v["timestamp_ms"])}


@pytest.mark.parametrize("v", cases("bitmart_ws_login"))
def test_bitmart_ws_login_vector(v: dict[str, Any]) -> None:
    assert bitmart_ws_login_prehash(v["memo"], v["timestamp_ms"]) == v["signed_string"]
    assert sign_bitmart_ws_login(v["secret"], v["memo"], v["timestamp_ms"]) == v["expect"]
    frame = bitmart_ws_login_frame(BitmartCredentials("key-1", v["secret"], v["memo"]), v["timestamp_ms"])
    assert frame == {"op": "login", "args": ["key-1", str(v["timestamp_ms"]), v["expect"]]}
    assert decode_json(Login, msgspec.json.encode(frame)).args == ("key-1", str(v["timestamp_ms"]), v["expect"])


@pytest.mark.parametrize("v", cases("qfex_auth"))
def test_qfex_vector(v: dict[str, Any]) -> None:
    assert qfex_prehash(v["nonce"], v["unix_ts"]) == v["signed_string"]
    assert sign_qfex(v["secret"], v["nonce"], v["unix_ts"]) == v["expect"]
    credentials = QfexCredentials(v["frame"]["params"]["hmac"]["public_key"], v["secret"])
    frame = qfex_auth_frame(credentials, v["nonce"], v["unix_ts"])
    assert frame == v["frame"]
    assert json.dumps(frame) == json.dumps(v["frame"])  # same key order on the wire
    assert decode_json(Auth, msgspec.json.encode(frame)) == decode_json(Auth, json.dumps(v["frame"]))
    assert qfex_rest_headers(credentials, v["nonce"], v["unix_ts"]) == {
        "x-qfex-public-key": credentials.public_key,
        "x-qfex-hmac-signature": v["expect"],
        "x-qfex-nonce": v["nonce"],
        "x-qfex-timestamp": str(v["unix_ts"]),
    }
