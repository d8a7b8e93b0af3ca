"""BitMart, QFEX and Infoway helpers: what goes on the wire, and what is refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import re

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from venuewire.credentials import BitmartCredentials, InfowayCredentials, QfexCredentials
from venuewire.generated.bitmart.login import Login
from venuewire.generated.qfex.auth import Auth
from venuewire.generated.registry import AUTH_SCHEMES, WS_QFEX_TRADE
from venuewire.messages import decode_json
from venuewire.signing import (
    bitmart_headers,
    bitmart_json_body,
    bitmart_prehash,
    bitmart_ws_login_frame,
    bitmart_ws_login_prehash,
    infoway_headers,
    infoway_ws_query,
    new_nonce,
    qfex_auth_frame,
    qfex_prehash,
    qfex_rest_headers,
    qfex_ws_query,
    sign_bitmart,
    sign_bitmart_ws_login,
    sign_qfex,
)

TS_MS = 1_700_000_000_000
TS_S = 1_700_000_000
BITMART = BitmartCredentials("bm-key", "bm-secret", "bm-memo")
QFEX = QfexCredentials("qfex-pub", "qfex-secret")
INFOWAY = InfowayCredentials("iw-key-123")
text = st.text(st.characters(codec="utf-8"))


# ---------------------------------------------------------------- BitMart


def test_bitmart_ws_login_signs_the_registry_payload() -> None:
    assert AUTH_SCHEMES["bitmart_ws_login"].payload == "bitmart.WebSocket"
    assert bitmart_ws_login_prehash("m", TS_MS) == f"{TS_MS}#m#bitmart.WebSocket"
    assert sign_bitmart_ws_login("s", "m", TS_MS) == sign_bitmart("s", "m", TS_MS, "bitmart.WebSocket")


def test_bitmart_ws_login_frame_matches_the_login_schema() -> None:
    frame = bitmart_ws_login_frame(BITMART, TS_MS)
    assert list(frame) == ["op", "args"]
    assert frame["args"][1] == str(TS_MS)
    assert decode_json(Login, msgspec.json.encode(frame)).op == "login"


def test_bitmart_headers_use_the_registry_names_and_sign_the_exact_body() -> None:
    body = bitmart_json_body({"symbol": "BTC_USDT", "size": "0.001"})
    assert body == '{"symbol": "BTC_USDT", "size": "0.001"}'  # json.dumps defaults, as the official client
    headers = bitmart_headers(BITMART, TS_MS, body)
    assert tuple(headers) == AUTH_SCHEMES["bitmart_hmac_sha256_hex"].headers
    assert headers["X-BM-SIGN"] == sign_bitmart("bm-secret", "bm-memo", TS_MS, body)
    assert headers["X-BM-TIMESTAMP"] == "1700000000000"


def test_bitmart_json_body_keeps_key_order_and_escapes_non_ascii() -> None:
    assert bitmart_json_body({"b": 1, "a": "é"}) == '{"b": 1, "a": "\\u00e9"}'


@given(secret=text.filter(bool), memo=text.filter(bool), ts=st.integers(10**11, 2**63), payload=text)
def test_sign_bitmart_is_hex_hmac_sha256_of_the_prehash(secret: str, memo: str, ts: int, payload: str) -> None:
    expected = hmac.new(secret.encode(), f"{ts}#{memo}#{payload}".encode(), hashlib.sha256).hexdigest()
    assert bitmart_prehash(memo, ts, payload) == f"{ts}#{memo}#{payload}"
    assert sign_bitmart(secret, memo, ts, payload) == expected


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("", "m", TS_MS, ""), "secret"),
        (("s", "", TS_MS, ""), "memo"),
        (("s", "m", -5, ""), "timestamp_ms"),
        (("s", "m", TS_S, ""), "timestamp_ms"),
    ],
)
def test_sign_bitmart_refuses_bad_input_naming_the_argument(args: tuple[object, ...], needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        sign_bitmart(*args)  # type: ignore[arg-type]


def test_sign_bitmart_refuses_a_payload_that_is_not_text() -> None:
    with pytest.raises(TypeError, match="payload"):
        sign_bitmart("s", "m", TS_MS, b"{}")  # type: ignore[arg-type]


# ---------------------------------------------------------------- QFEX


def test_new_nonce_is_fresh_lower_case_hex_within_the_limit() -> None:
    nonces = {new_nonce() for _ in range(100)}
    assert len(nonces) == 100
    assert WS_QFEX_TRADE.max_nonce_len is not None
    for nonce in nonces:
        assert re.fullmatch(r"[0-9a-f]{32}", nonce)
        assert len(nonce) <= WS_QFEX_TRADE.max_nonce_len
        qfex_prehash(nonce, TS_S)  # accepted


def test_qfex_auth_frame_matches_the_auth_schema_and_key_order() -> None:
    frame = qfex_auth_frame(QFEX, "ab12", TS_S)
    assert json.dumps(frame) == (
        '{"type": "auth", "params": {"hmac": {"public_key": "qfex-pub", "nonce": "ab12", "unix_ts": 1700000000, '
        f'"signature": "{sign_qfex("qfex-secret", "ab12", TS_S)}"}}}}}}'
    )
    decoded = decode_json(Auth, msgspec.json.encode(frame))
    assert not isinstance(decoded.params.hmac, msgspec.UnsetType)
    assert decoded.params.hmac.unix_ts == TS_S


def test_qfex_rest_headers_use_the_registry_names_and_seconds() -> None:
    headers = qfex_rest_headers(QFEX, "ab12", TS_S)
    assert tuple(headers) == AUTH_SCHEMES["qfex_hmac_sha256_hex"].headers
    assert headers["x-qfex-timestamp"] == "1700000000"
    assert headers["x-qfex-hmac-signature"] == qfex_auth_frame(QFEX, "ab12", TS_S)["params"]["hmac"]["signature"]


def test_qfex_ws_query_names_the_public_key() -> None:
    assert qfex_ws_query(QFEX) == {"api_key": "qfex-pub"}


@given(
    secret=text.filter(bool),
    nonce=st.text("0123456789abcdefABCDEF", min_size=1, max_size=100),
    ts=st.integers(0, 10**11 - 1),
)
def test_sign_qfex_is_hex_hmac_sha256_of_nonce_colon_ts(secret: str, nonce: str, ts: int) -> None:
    expected = hmac.new(secret.encode(), f"{nonce}:{ts}".encode(), hashlib.sha256).hexdigest()
    assert sign_qfex(secret, nonce, ts) == expected


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("", "ab", TS_S), "secret"),
        (("s", "", TS_S), "nonce"),
        (("s", "a" * 101, TS_S), "nonce must be at most 100"),
        (("s", "c0ffee...", TS_S), "nonce must be a hex string"),
        (("s", "xyz", TS_S), "nonce must be a hex string"),
        (("s", "ab", -1), "unix_ts"),
        (("s", "ab", TS_MS), "unix_ts"),
    ],
)
def test_sign_qfex_refuses_bad_input_naming_the_argument(args: tuple[object, ...], needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        sign_qfex(*args)  # type: ignore[arg-type]


def test_a_nonce_of_exactly_100_hex_characters_is_accepted() -> None:
    assert qfex_prehash("f" * 100, 0) == "f" * 100 + ":0"


# ---------------------------------------------------------------- Infoway


def test_infoway_sends_the_key_unsigned_under_the_registry_names() -> None:
    assert infoway_headers(INFOWAY) == {"apiKey": "iw-key-123"}
    assert infoway_ws_query(INFOWAY) == {"apikey": "iw-key-123"}
    assert tuple(infoway_headers(INFOWAY)) == AUTH_SCHEMES["infoway_api_key"].headers
    assert tuple(infoway_ws_query(INFOWAY)) == AUTH_SCHEMES["infoway_api_key_query"].query
