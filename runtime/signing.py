"""Request signing for CoinW, BitMart, QFEX and Infoway. Pure (no clock, no I/O) except `new_nonce()`.

Every timestamp and nonce is an argument; the transport layer reads the clock and calls
`new_nonce()`. Header and query parameter names come from the registry
(`venuewire.generated.registry.AUTH_SCHEMES`). All signatures are HMAC-SHA256 keyed with the
UTF-8 bytes of the secret, over the UTF-8 bytes of a "signed string" that each venue's
`*_prehash` function returns:

    CoinW    base64( HMAC(secret, str(timestamp_ms) + METHOD + path + ("?" + query if query) + (body or "")) )
    BitMart  hex( HMAC(secret, f"{timestamp_ms}#{memo}#{payload}") )   WS login: payload "bitmart.WebSocket"
    QFEX     hex( HMAC(secret, f"{nonce}:{unix_ts}") )                  unix_ts in whole seconds
    Infoway  nothing to sign: the API key goes in a header (REST) or the URL query (WebSocket)

The signed bytes and the sent bytes must be the same: CoinW signs the raw query string
(`coinw_query` builds it, `coinw_url` keeps it verbatim in the URL) and BitMart signs the exact
body (`bitmart_json_body` builds it the way the official client does; send that string).

Strings are signed as UTF-8 and must be sent UTF-8 encoded.
Bad inputs raise `ValueError` (or `TypeError` for a wrong type) naming the argument; secret
values never appear in any message. Nothing here logs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict

from venuewire.credentials import BitmartCredentials, CoinwCredentials, InfowayCredentials, QfexCredentials
from venuewire.generated.registry import AUTH_SCHEMES, WS_QFEX_TRADE, required

if TYPE_CHECKING:
    import yarl

__all__ = [
    "BitmartLoginFrame",
    "QfexAuthFrame",
    "QfexAuthParams",
    "QfexHmac",
    "bitmart_headers",
    "bitmart_json_body",
    "bitmart_prehash",
    "bitmart_ws_login_frame",
    "bitmart_ws_login_prehash",
    "coinw_headers",
    "coinw_prehash",
    "coinw_query",
    "coinw_url",
    "infoway_headers",
    "infoway_ws_query",
    "new_nonce",
    "qfex_auth_frame",
    "qfex_prehash",
    "qfex_rest_headers",
    "qfex_ws_query",
    "rest_auth_headers",
    "sign_bitmart",
    "sign_bitmart_ws_login",
    "sign_coinw",
    "sign_qfex",
]

# ---------------------------------------------------------------- registry facts

_COINW_SCHEME: Final = AUTH_SCHEMES["coinw_hmac_sha256_base64"]
_BITMART_SCHEME: Final = AUTH_SCHEMES["bitmart_hmac_sha256_hex"]
_BITMART_WS_SCHEME: Final = AUTH_SCHEMES["bitmart_ws_login"]
_BITMART_KEYED_SCHEME: Final = AUTH_SCHEMES["bitmart_api_key"]
_QFEX_SCHEME: Final = AUTH_SCHEMES["qfex_hmac_sha256_hex"]
_INFOWAY_REST_SCHEME: Final = AUTH_SCHEMES["infoway_api_key"]
_INFOWAY_WS_SCHEME: Final = AUTH_SCHEMES["infoway_api_key_query"]

_COINW_SIGN, _COINW_API_KEY, _COINW_TIMESTAMP = _COINW_SCHEME.headers
_BITMART_KEY, _BITMART_SIGN, _BITMART_TIMESTAMP = _BITMART_SCHEME.headers
_QFEX_PUBLIC_KEY, _QFEX_SIGNATURE, _QFEX_NONCE, _QFEX_TIMESTAMP = _QFEX_SCHEME.headers
(_QFEX_WS_API_KEY,) = _QFEX_SCHEME.query
(_INFOWAY_HEADER,) = _INFOWAY_REST_SCHEME.headers
(_INFOWAY_QUERY,) = _INFOWAY_WS_SCHEME.query


_BITMART_WS_PAYLOAD: Final[str] = required(_BITMART_WS_SCHEME.payload, "bitmart_ws_login payload")
_QFEX_MAX_NONCE_LEN: Final[int] = required(WS_QFEX_TRADE.max_nonce_len, "qfex trade max_nonce_len")

_METHODS: Final = frozenset({"GET", "POST", "PUT", "DELETE"})
_HEX: Final = frozenset(string.hexdigits)
# Characters a CoinW query key or value may hold unencoded: RFC 3986 unreserved and the
# sub-delimiters that never need escaping in a query, minus "&", "=", "+" (which a server
# splits on or reads as a space), "%" (an escape) and "#", "?".
_QUERY_SAFE: Final = frozenset(string.ascii_letters + string.digits + "-._~!$'()*,;:@/")
# Timestamps below this are seconds, at or above it milliseconds (10**11 ms is 1973-03-03,
# 10**11 s is the year 5138), so a unit mistake fails here instead of at the venue.
_MS_FLOOR: Final = 10**11


# ---------------------------------------------------------------- checks


def _check_secret(secret: str) -> bytes:
    if not isinstance(secret, str):
        raise TypeError("secret must be a str")
    if not secret:
        raise ValueError("secret must be a non-empty string")
    return secret.encode()


def _check_int(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def _check_ms(name: str, value: int) -> None:
    _check_int(name, value)
    if value < _MS_FLOOR:
        raise ValueError(f"{name} must be Unix epoch milliseconds, got {value} (seconds?)")


def _check_seconds(name: str, value: int) -> None:
    _check_int(name, value)
    if value >= _MS_FLOOR:
        raise ValueError(f"{name} must be whole Unix epoch seconds, got {value} (milliseconds?)")


def _check_str(name: str, value: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str")


def _check_token(name: str, value: str) -> None:
    """Printable ASCII without spaces: what may go into a header value or a URL as is."""
    _check_str(name, value)
    if not value:
        raise ValueError(f"{name} must not be empty")
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise ValueError(f"{name} must be printable ASCII without spaces")


def _hmac_sha256(secret: bytes, message: str) -> bytes:
    return hmac.new(secret, message.encode(), hashlib.sha256).digest()


# ---------------------------------------------------------------- CoinW


def _check_coinw_request(method: str, path: str, query: str | None, body: str | None) -> str:
    _check_str("method", method)
    verb = method.upper()
    if verb not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(sorted(_METHODS))}, got {method!r}")
    _check_token("path", path)
    if not path.startswith("/") or "?" in path or "#" in path:
        raise ValueError("path must start with '/' and hold no '?' or '#' (pass the query separately)")
    if query is not None:
        _check_str("query", query)
        if query:
            _check_token("query", query)
            if query.startswith("?") or "#" in query:
                raise ValueError("query must not start with '?' or hold '#'")
    if body is not None:
        _check_str("body", body)
    return verb


def coinw_prehash(timestamp_ms: int, method: str, path: str, query: str | None, body: str | None) -> str:
    """The string CoinW signs: `str(timestamp_ms) + METHOD + path + ("?" + query if query) + (body or "")`.

    `method` is upper-cased (GET, POST, PUT or DELETE); `path` starts with "/" and holds no
    query; `query` is the exact query string sent, without "?" (None or "" for none); `body`
    is the exact JSON body sent, or None. Raises `ValueError`/`TypeError` naming the argument.
    """
    _check_ms("timestamp_ms", timestamp_ms)
    verb = _check_coinw_request(method, path, query, body)
    return f"{timestamp_ms}{verb}{path}{'?' + query if query else ''}{body or ''}"


def sign_coinw(  # noqa: PLR0917 - the issue fixes this positional signature
    secret: str, timestamp_ms: int, method: str, path: str, query: str | None, body: str | None
) -> str:
    """CoinW `sign` header: Base64 of HMAC-SHA256(secret, `coinw_prehash(...)`).

    `timestamp_ms` is Unix epoch milliseconds, the same value sent in the `timestamp` header.
    Raises `ValueError` on an empty secret, a negative or seconds-sized timestamp, or a
    malformed method/path/query (see `coinw_prehash`).
    """
    key = _check_secret(secret)
    message = coinw_prehash(timestamp_ms, method, path, query, body)
    return base64.b64encode(_hmac_sha256(key, message)).decode("ascii")


def coinw_headers(  # noqa: PLR0917 - mirrors sign_coinw
    credentials: CoinwCredentials, timestamp_ms: int, method: str, path: str, query: str | None, body: str | None
) -> dict[str, str]:
    """CoinW auth headers `sign`, `api_key`, `timestamp` (ms) for one request.

    Send exactly `query` (see `coinw_query`, `coinw_url`) and exactly `body`: they are what
    was signed. Raises like `sign_coinw`.
    """
    sign = sign_coinw(credentials.secret.reveal(), timestamp_ms, method, path, query, body)
    return {_COINW_SIGN: sign, _COINW_API_KEY: credentials.api_key, _COINW_TIMESTAMP: str(timestamp_ms)}


def coinw_query(params: Sequence[tuple[str, str]]) -> str:
    """`k1=v1&k2=v2...` in the order given, nothing percent-encoded (commas stay raw).

    This is the query CoinW signs, and the URL must carry exactly it. Keys must be non-empty;
    keys and values may hold only letters, digits and `-._~!$'()*,;:@/` (anything else would
    need percent-encoding, which would change what is signed), else `ValueError` naming the
    parameter. An empty sequence gives "".
    """
    parts: list[str] = []
    for index, pair in enumerate(params):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"params[{index}] must be a (key, value) tuple")
        key, value = pair
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"params[{index}]: key and value must be str")
        if not key:
            raise ValueError(f"params[{index}]: key must not be empty")
        for what, text in (("key", key), ("value", value)):
            bad = sorted({ch for ch in text if ch not in _QUERY_SAFE})
            if bad:
                raise ValueError(f"params[{index}] ({key!r}): {what} holds characters CoinW cannot sign raw: {bad!r}")
        parts.append(f"{key}={value}")
    return "&".join(parts)


def coinw_url(base_url: str, path: str, query: str | None) -> yarl.URL:
    """`base_url + path + "?" + query` as a `yarl.URL` (aiohttp's URL type) that is sent verbatim.

    Built with `encoded=True`, so yarl neither re-quotes nor normalises the query: the URL on
    the wire carries exactly the signed query (a plain `yarl.URL(str)` would, for example,
    decode "%2C" to "," and turn spaces into "+"). `base_url` is `scheme://host[:port]` with
    no path, query or fragment. Raises `ValueError` naming the argument. Needs yarl
    (installed with aiohttp).
    """
    import yarl

    _check_token("base_url", base_url)
    base = yarl.URL(base_url.rstrip("/"))
    if base.scheme not in ("http", "https") or not base.host or base.path not in ("", "/"):
        raise ValueError("base_url must be http(s)://host[:port] without a path")
    if base.query_string or base.fragment:
        raise ValueError("base_url must not carry a query or fragment")
    _check_coinw_request("GET", path, query, None)
    return yarl.URL(f"{base_url.rstrip('/')}{path}{'?' + query if query else ''}", encoded=True)


# ---------------------------------------------------------------- BitMart


def _check_memo(memo: str) -> None:
    _check_str("memo", memo)
    if not memo:
        raise ValueError("memo must be a non-empty string")


def bitmart_prehash(memo: str, timestamp_ms: int, payload: str) -> str:
    """The string BitMart signs: `f"{timestamp_ms}#{memo}#{payload}"`.

    `payload` is the exact JSON body sent (POST) or the query string without "?" (GET), ""
    when there is neither. Raises `ValueError`/`TypeError` naming the argument.
    """
    _check_ms("timestamp_ms", timestamp_ms)
    _check_memo(memo)
    _check_str("payload", payload)
    return f"{timestamp_ms}#{memo}#{payload}"


def sign_bitmart(secret: str, memo: str, timestamp_ms: int, payload: str) -> str:
    """BitMart `X-BM-SIGN`: lower-case hex of HMAC-SHA256(secret, `bitmart_prehash(memo, timestamp_ms, payload)`).

    `timestamp_ms` is Unix epoch milliseconds, the same value sent in `X-BM-TIMESTAMP` (the
    venue allows one minute of skew). Raises `ValueError` on an empty secret or memo, or a
    negative or seconds-sized timestamp.
    """
    key = _check_secret(secret)
    return _hmac_sha256(key, bitmart_prehash(memo, timestamp_ms, payload)).hex()


def bitmart_ws_login_prehash(memo: str, timestamp_ms: int) -> str:
    """The string signed for a BitMart WebSocket login: `f"{timestamp_ms}#{memo}#bitmart.WebSocket"`.

    The constant comes from the registry (`AUTH_SCHEMES["bitmart_ws_login"].payload`).
    """
    return bitmart_prehash(memo, timestamp_ms, _BITMART_WS_PAYLOAD)


def sign_bitmart_ws_login(secret: str, memo: str, timestamp_ms: int) -> str:
    """Hex HMAC-SHA256(secret, `bitmart_ws_login_prehash(memo, timestamp_ms)`). Raises like `sign_bitmart`."""
    return sign_bitmart(secret, memo, timestamp_ms, _BITMART_WS_PAYLOAD)


def bitmart_json_body(params: Mapping[str, Any]) -> str:
    """A POST body as BitMart's official client writes it: `json.dumps(params)`.

    Default separators (", " and ": "), ASCII escapes, keys in the order given. Sign this
    string and send this string, byte for byte. Raises `TypeError` on values JSON cannot hold.
    """
    return json.dumps(dict(params))


def bitmart_headers(credentials: BitmartCredentials, timestamp_ms: int, payload: str) -> dict[str, str]:
    """BitMart signed-request headers `X-BM-KEY`, `X-BM-SIGN`, `X-BM-TIMESTAMP` (ms).

    `payload` is exactly what is sent: the body string for POST (e.g. from
    `bitmart_json_body`), the query string without "?" for GET. Raises like `sign_bitmart`.
    """
    sign = sign_bitmart(credentials.secret.reveal(), credentials.memo.reveal(), timestamp_ms, payload)
    return {_BITMART_KEY: credentials.api_key, _BITMART_SIGN: sign, _BITMART_TIMESTAMP: str(timestamp_ms)}


class BitmartLoginFrame(TypedDict):
    """`{"op": "login", "args": [api_key, timestamp_ms as a string, sign]}` (schema bitmart/login)."""

    op: Literal["login"]
    args: list[str]


def bitmart_ws_login_frame(credentials: BitmartCredentials, timestamp_ms: int) -> BitmartLoginFrame:
    """The BitMart WebSocket login frame for `timestamp_ms` (Unix epoch ms). Raises like `sign_bitmart`."""
    sign = sign_bitmart_ws_login(credentials.secret.reveal(), credentials.memo.reveal(), timestamp_ms)
    return {"op": "login", "args": [credentials.api_key, str(timestamp_ms), sign]}


# ---------------------------------------------------------------- QFEX


def _check_nonce(nonce: str) -> None:
    _check_str("nonce", nonce)
    if not nonce:
        raise ValueError("nonce must not be empty")
    if len(nonce) > _QFEX_MAX_NONCE_LEN:
        raise ValueError(f"nonce must be at most {_QFEX_MAX_NONCE_LEN} characters, got {len(nonce)}")
    if not set(nonce) <= _HEX:
        raise ValueError("nonce must be a hex string")


def new_nonce() -> str:
    """A fresh QFEX nonce: 32 random lower-case hex characters (`secrets.token_hex(16)`).

    The one impure helper here; pass its result to `qfex_auth_frame`/`qfex_rest_headers`.
    QFEX refuses a nonce seen in the last 15 minutes.
    """
    return secrets.token_hex(16)


def qfex_prehash(nonce: str, unix_ts: int) -> str:
    """The string QFEX signs: `f"{nonce}:{unix_ts}"`.

    `nonce` is 1 to 100 hex characters; `unix_ts` is whole Unix epoch seconds. Raises
    `ValueError`/`TypeError` naming the argument.
    """
    _check_nonce(nonce)
    _check_seconds("unix_ts", unix_ts)
    return f"{nonce}:{unix_ts}"


def sign_qfex(secret: str, nonce: str, unix_ts: int) -> str:
    """QFEX signature: lower-case hex of HMAC-SHA256(secret, `qfex_prehash(nonce, unix_ts)`).

    Raises `ValueError` on an empty secret, an empty, non-hex or over-long nonce, or a
    negative or millisecond-sized `unix_ts`.
    """
    key = _check_secret(secret)
    return _hmac_sha256(key, qfex_prehash(nonce, unix_ts)).hex()


class QfexHmac(TypedDict):
    public_key: str
    nonce: str
    unix_ts: int
    signature: str


class QfexAuthParams(TypedDict):
    hmac: QfexHmac


class QfexAuthFrame(TypedDict):
    """`{"type": "auth", "params": {"hmac": {public_key, nonce, unix_ts, signature}}}` (schema qfex/auth)."""

    type: Literal["auth"]
    params: QfexAuthParams


def qfex_auth_frame(credentials: QfexCredentials, nonce: str, unix_ts: int) -> QfexAuthFrame:
    """The QFEX trade WebSocket `auth` frame (send within a minute of connecting). Raises like `sign_qfex`."""
    signature = sign_qfex(credentials.secret.reveal(), nonce, unix_ts)
    hmac_params: QfexHmac = {
        "public_key": credentials.public_key,
        "nonce": nonce,
        "unix_ts": unix_ts,
        "signature": signature,
    }
    return {"type": "auth", "params": {"hmac": hmac_params}}


def qfex_rest_headers(credentials: QfexCredentials, nonce: str, unix_ts: int) -> dict[str, str]:
    """QFEX REST headers `x-qfex-public-key`, `x-qfex-hmac-signature`, `x-qfex-nonce`, `x-qfex-timestamp`.

    Same signature as the WebSocket frame; the timestamp header is `str(unix_ts)` in seconds.
    Raises like `sign_qfex`.
    """
    signature = sign_qfex(credentials.secret.reveal(), nonce, unix_ts)
    return {
        _QFEX_PUBLIC_KEY: credentials.public_key,
        _QFEX_SIGNATURE: signature,
        _QFEX_NONCE: nonce,
        _QFEX_TIMESTAMP: str(unix_ts),
    }


def qfex_ws_query(credentials: QfexCredentials) -> dict[str, str]:
    """Query parameters of the QFEX trade WebSocket URL: `{"api_key": public_key}`."""
    return {_QFEX_WS_API_KEY: credentials.public_key}


# ---------------------------------------------------------------- Infoway


def infoway_headers(credentials: InfowayCredentials) -> dict[str, str]:
    """Infoway REST auth header `{"apiKey": key}` (nothing is signed)."""
    return {_INFOWAY_HEADER: credentials.api_key.reveal()}


def infoway_ws_query(credentials: InfowayCredentials) -> dict[str, str]:
    """Infoway WebSocket URL auth parameter `{"apikey": key}` (add `business` beside it)."""
    return {_INFOWAY_QUERY: credentials.api_key.reveal()}


# ---------------------------------------------------------------- by auth scheme


def rest_auth_headers(
    scheme: str,
    credentials: CoinwCredentials | InfowayCredentials | BitmartCredentials | None,
    *,
    timestamp_ms: int,
    method: str,
    path: str,
    query: str | None,
    body: str | None,
) -> dict[str, str]:
    """The auth headers of one REST request under the registry's auth scheme `scheme`
    (`AUTH_SCHEMES`): the signer of that scheme over exactly the path, query and body sent.
    ValueError for a scheme with no REST signer; TypeError when `credentials` are not the
    scheme's kind. BitMart: SIGNED (bitmart_hmac_sha256_hex) signs the body sent, or the query
    when there is no body; KEYED (bitmart_api_key) sends the key header alone."""
    if scheme == "none":
        return {}
    if scheme == _COINW_SCHEME.name:
        if not isinstance(credentials, CoinwCredentials):
            raise TypeError(f"auth scheme {scheme} signs with CoinwCredentials")
        return coinw_headers(credentials, timestamp_ms, method, path, query, body)
    if scheme == _INFOWAY_REST_SCHEME.name:
        if not isinstance(credentials, InfowayCredentials):
            raise TypeError(f"auth scheme {scheme} signs with InfowayCredentials")
        return infoway_headers(credentials)
    if scheme in (_BITMART_SCHEME.name, _BITMART_KEYED_SCHEME.name):
        if not isinstance(credentials, BitmartCredentials):
            raise TypeError(f"auth scheme {scheme} signs with BitmartCredentials")
        if scheme == _BITMART_KEYED_SCHEME.name:  # KEYED: the key header alone
            return {_BITMART_KEYED_SCHEME.headers[0]: credentials.api_key}
        return bitmart_headers(credentials, timestamp_ms, body if body is not None else (query or ""))
    raise ValueError(f"auth scheme {scheme!r} has no REST signer in venuewire.signing")
