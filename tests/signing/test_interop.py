"""Our signers against the official clients' own code (test dependencies only, no network).

- BitMart (bitmart-python-sdk-api): `bitmart.lib.cloud_utils.sign(pre_substring(ts, memo, body), secret)`
  directly; `CloudClient._request` (through `APISpot`) with a recording session and a pinned
  `cloud_utils.get_timestamp`, reading the headers and body it would send; and
  `SpotSocketClient.login` on an instance built without connecting, reading the frame it sends.
- QFEX (qfex): `QFEXTakerClient._build_auth_message` with `secrets.token_hex` and `time.time`
  pinned inside `qfex.client`, compared with `qfex_auth_frame`.
- Infoway (infoway-sdk): nothing is signed; the header and WebSocket query it builds carry the
  same key under the same (case-insensitive) names as ours.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from venuewire.credentials import BitmartCredentials, InfowayCredentials, QfexCredentials
from venuewire.signing import (
    bitmart_headers,
    bitmart_json_body,
    bitmart_ws_login_frame,
    infoway_headers,
    infoway_ws_query,
    qfex_auth_frame,
    sign_bitmart,
    sign_bitmart_ws_login,
    sign_qfex,
)

pytestmark = pytest.mark.interop

cloud_utils = pytest.importorskip("bitmart.lib.cloud_utils")
cloud_consts = pytest.importorskip("bitmart.lib.cloud_consts")
api_spot = pytest.importorskip("bitmart.api_spot")
spot_socket_client = pytest.importorskip("bitmart.websocket.spot_socket_client")
qfex_client = pytest.importorskip("qfex.client")
qfex_config = pytest.importorskip("qfex.config")
infoway_http = pytest.importorskip("infoway._http")
infoway_ws = pytest.importorskip("infoway.ws.client")

AT_LEAST_200 = settings(max_examples=max(200, settings().max_examples))

text = st.text(st.characters(codec="utf-8"))
secrets_ = text.filter(bool)
memos = text.filter(bool)
api_keys = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40)
ms = st.integers(10**11, 10**13 - 1)
seconds = st.integers(0, 10**11 - 1)
nonces = st.text("0123456789abcdefABCDEF", min_size=1, max_size=100)
json_values = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | text
bodies = st.dictionaries(text, json_values, max_size=6)


# ---------------------------------------------------------------- BitMart


@AT_LEAST_200
@given(secret=secrets_, memo=memos, ts=ms, payload=text)
def test_bitmart_rest_signature_matches_the_official_sign(secret: str, memo: str, ts: int, payload: str) -> None:
    theirs = cloud_utils.sign(cloud_utils.pre_substring(str(ts), memo, payload), secret)
    assert sign_bitmart(secret, memo, ts, payload) == theirs


@AT_LEAST_200
@given(secret=secrets_, memo=memos, ts=ms)
def test_bitmart_ws_login_signature_matches_the_official_sign(secret: str, memo: str, ts: int) -> None:
    theirs = cloud_utils.sign(cloud_utils.pre_substring(str(ts), memo, "bitmart.WebSocket"), secret)
    assert sign_bitmart_ws_login(secret, memo, ts) == theirs


class RecordingSession:
    """Stands in for requests.Session: records what the official client would send."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def _record(self, method: str, url: str, data: Any = None, headers: Any = None, timeout: Any = None) -> Any:
        self.sent.append({"method": method, "url": url, "data": data, "headers": dict(headers or {})})
        return SimpleNamespace(status_code=200, headers={}, json=lambda: {"code": 1000}, text="{}")

    def post(self, url: str, **kwargs: Any) -> Any:
        return self._record("POST", url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self._record("GET", url, **kwargs)


def official_request(creds: tuple[str, str, str], ts: int, method: str, params: dict[str, Any]) -> dict[str, Any]:
    api_key, secret, memo = creds
    client = api_spot.APISpot(api_key=api_key, secret_key=secret, memo=memo)
    client.session = RecordingSession()
    with mock.patch.object(cloud_utils, "get_timestamp", lambda: str(ts)):
        client._request_with_params(method, "/spot/v2/submit_order", params, cloud_consts.Auth.SIGNED)
    (sent,) = client.session.sent
    return sent  # type: ignore[no-any-return]


@AT_LEAST_200
@given(api_key=api_keys, secret=secrets_, memo=memos, ts=ms, params=bodies)
def test_bitmart_post_headers_and_body_match_the_official_client(
    api_key: str, secret: str, memo: str, ts: int, params: dict[str, Any]
) -> None:
    sent = official_request((api_key, secret, memo), ts, cloud_consts.POST, params)
    body = bitmart_json_body(params)
    assert sent["data"] == body  # the exact bytes signed are the bytes sent
    assert sent["headers"] == bitmart_headers(BitmartCredentials(api_key, secret, memo), ts, body)


def test_the_official_client_signs_an_empty_payload_for_get() -> None:
    """Documented discrepancy: BitMart's docs sign the query string for GET, the SDK signs ""."""
    creds = BitmartCredentials("k", "s", "m")
    sent = official_request(("k", "s", "m"), 1_700_000_000_000, cloud_consts.GET, {"symbol": "BTC_USDT"})
    assert sent["url"].endswith("?symbol=BTC_USDT")
    assert sent["headers"] == bitmart_headers(creds, 1_700_000_000_000, "")
    assert sent["headers"] != bitmart_headers(creds, 1_700_000_000_000, "symbol=BTC_USDT")


@AT_LEAST_200
@given(api_key=api_keys, secret=secrets_, memo=memos, ts=ms)
def test_bitmart_ws_login_frame_matches_the_official_socket_client(
    api_key: str, secret: str, memo: str, ts: int
) -> None:
    client = spot_socket_client.SpotSocketClient.__new__(spot_socket_client.SpotSocketClient)  # no connection
    sent: list[str] = []
    client.socket_manager = SimpleNamespace(send_message=sent.append)
    client.API_KEY, client.API_SECRET_KEY, client.API_MEMO = api_key, secret, memo
    with mock.patch.object(cloud_utils, "get_timestamp", lambda: str(ts)):
        client.login(timeout=0)
    (frame,) = sent
    ours = bitmart_ws_login_frame(BitmartCredentials(api_key, secret, memo), ts)
    assert json.loads(frame) == ours
    assert frame == json.dumps(ours)


# ---------------------------------------------------------------- QFEX


@AT_LEAST_200
@given(public_key=api_keys, secret=secrets_, nonce=nonces, ts=seconds, fraction=st.floats(0, 0.999))
def test_qfex_auth_frame_matches_the_official_client(
    public_key: str, secret: str, nonce: str, ts: int, fraction: float
) -> None:
    cfg = qfex_config.QFEXConfig(is_prod=False, symbol_list=[], public_key=public_key, secret_key=secret)
    client = qfex_client.QFEXTakerClient.__new__(qfex_client.QFEXTakerClient)
    client.cfg = cfg
    with (
        mock.patch.object(qfex_client, "secrets", SimpleNamespace(token_hex=lambda _n: nonce)),
        mock.patch.object(qfex_client, "time", SimpleNamespace(time=lambda: ts + fraction)),
    ):
        theirs = client._build_auth_message()
    assert qfex_auth_frame(QfexCredentials(public_key, secret), nonce, ts) == theirs
    assert sign_qfex(secret, nonce, ts) == theirs["params"]["hmac"]["signature"]


def test_qfex_official_client_builds_a_frame_with_its_own_clock_and_nonce() -> None:
    cfg = qfex_config.QFEXConfig(is_prod=False, symbol_list=["X"], public_key="pub", secret_key="sec")
    theirs = qfex_client.QFEXTakerClient(cfg, strategy=None)._build_auth_message()
    hmac_ = theirs["params"]["hmac"]
    assert qfex_auth_frame(QfexCredentials("pub", "sec"), hmac_["nonce"], hmac_["unix_ts"]) == theirs


# ---------------------------------------------------------------- Infoway


def test_infoway_key_travels_like_the_official_client() -> None:
    creds = InfowayCredentials("iw-key-1")
    http = infoway_http.HttpClient(api_key="iw-key-1")
    try:
        ((name, value),) = infoway_headers(creds).items()
        assert http._client.headers[name] == value  # httpx headers are case-insensitive
    finally:
        http.close()
    ws = infoway_ws.InfowayWebSocket(api_key="iw-key-1", business="crypto")  # connects only when run
    ((name, value),) = infoway_ws_query(creds).items()
    assert f"&{name}={value}" in ws._url
