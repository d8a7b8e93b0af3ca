"""CoinW: the query is signed raw and sent exactly as signed."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
import yarl
from hypothesis import given
from hypothesis import strategies as st

from venuewire.credentials import CoinwCredentials
from venuewire.generated.registry import REST_COINW_GET_ORDER_INFORMATION as ENDPOINT
from venuewire.signing import coinw_headers, coinw_prehash, coinw_query, coinw_url, sign_coinw

TS = 1_700_000_000_000
PARAMS = [("positionType", "execute"), ("sourceIds", "1,2"), ("instrument", "BTC")]
QUERY = "positionType=execute&sourceIds=1,2&instrument=BTC"

safe_text = st.text(alphabet="abcXYZ019-._~!$'()*,;:@/", max_size=12)


def test_coinw_query_keeps_commas_raw_and_the_order_given() -> None:
    assert coinw_query(PARAMS) == QUERY
    assert coinw_query(list(reversed(PARAMS))) == "instrument=BTC&sourceIds=1,2&positionType=execute"


def test_coinw_query_of_nothing_is_empty_and_signs_without_question_mark() -> None:
    assert coinw_query([]) == ""
    assert coinw_prehash(TS, "GET", "/v1/perpum/order", coinw_query([]), None) == f"{TS}GET/v1/perpum/order"


@given(st.lists(st.tuples(safe_text.filter(bool), safe_text), max_size=6))
def test_coinw_query_is_a_plain_join(params: list[tuple[str, str]]) -> None:
    assert coinw_query(params) == "&".join(f"{k}={v}" for k, v in params)


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ([("a", "x&y")], "value holds"),
        ([("a", "x=y")], "value holds"),
        ([("a", "x y")], "value holds"),
        ([("a", "x+y")], "value holds"),
        ([("a", "%2C")], "value holds"),
        ([("a", "é")], "value holds"),
        ([("a#", "1")], "key holds"),
        ([("", "1")], "key must not be empty"),
    ],
)
def test_coinw_query_refuses_what_would_need_encoding(params: list[tuple[str, str]], needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        coinw_query(params)


def test_coinw_query_refuses_non_string_values() -> None:
    with pytest.raises(TypeError, match=r"params\[0\]"):
        coinw_query([("sourceIds", 1)])  # type: ignore[list-item]


def test_yarl_keeps_commas_but_normalises_other_escapes() -> None:
    """What aiohttp's URL type does to a query given as text (the reason coinw_url exists)."""
    base = "https://api.coinw.com/v1/perpum/order"
    assert str(yarl.URL(f"{base}?{QUERY}")).endswith("?" + QUERY)  # commas are not re-encoded
    assert str(yarl.URL(base).with_query(PARAMS)).endswith("?" + QUERY)
    assert str(yarl.URL(f"{base}?a=1%2C2")).endswith("?a=1,2")  # but an escaped comma is decoded
    assert str(yarl.URL(f"{base}?a=x y")).endswith("?a=x+y")  # and a space becomes "+"


def test_coinw_url_carries_exactly_the_signed_query() -> None:
    url = coinw_url(ENDPOINT.base_url, ENDPOINT.path, QUERY)
    assert isinstance(url, yarl.URL)
    assert str(url) == f"https://api.coinw.com/v1/perpum/order?{QUERY}"
    assert str(url).endswith("?" + QUERY)
    assert url.raw_query_string == QUERY
    assert url.raw_path_qs == coinw_prehash(TS, "GET", ENDPOINT.path, QUERY, None).removeprefix(f"{TS}GET")
    assert url.query["sourceIds"] == "1,2"


def test_coinw_url_keeps_even_escapes_verbatim() -> None:
    url = coinw_url("https://api.coinw.com/", "/v1/perpum/order", "a=1%2C2")
    assert str(url).endswith("?a=1%2C2")


@given(st.lists(st.tuples(safe_text.filter(bool), safe_text), min_size=1, max_size=6))
def test_coinw_url_ends_with_the_query_for_any_built_query(params: list[tuple[str, str]]) -> None:
    query = coinw_query(params)
    assert str(coinw_url(ENDPOINT.base_url, ENDPOINT.path, query)).endswith("?" + query)


def test_coinw_url_without_query() -> None:
    assert str(coinw_url(ENDPOINT.base_url, ENDPOINT.path, None)) == "https://api.coinw.com/v1/perpum/order"
    assert str(coinw_url(ENDPOINT.base_url, ENDPOINT.path, "")) == "https://api.coinw.com/v1/perpum/order"


@pytest.mark.parametrize(
    ("base_url", "path", "query", "needle"),
    [
        ("ftp://api.coinw.com", "/p", None, "base_url"),
        ("https://api.coinw.com/v1", "/p", None, "base_url"),
        ("https://api.coinw.com?x=1", "/p", None, "base_url"),
        ("https://api.coinw.com", "p", None, "path"),
        ("https://api.coinw.com", "/p?x=1", None, "path"),
        ("https://api.coinw.com", "/p", "?x=1", "query"),
        ("https://api.coinw.com", "/p", "x=1 2", "query"),
    ],
)
def test_coinw_url_refuses_malformed_parts(base_url: str, path: str, query: str | None, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        coinw_url(base_url, path, query)


def test_coinw_prehash_upper_cases_the_method_and_appends_the_body() -> None:
    assert coinw_prehash(TS, "post", "/v1/perpum/order", None, '{"a":1}') == f'{TS}POST/v1/perpum/order{{"a":1}}'
    assert coinw_prehash(TS, "GET", "/p", "a=1", None) == f"{TS}GET/p?a=1"


@given(
    secret=st.text(st.characters(codec="utf-8"), min_size=1),
    ts=st.integers(10**11, 2**63),
    query=st.lists(st.tuples(safe_text.filter(bool), safe_text), max_size=4).map(coinw_query),
    body=st.none() | st.text(st.characters(codec="utf-8")),
)
def test_sign_coinw_is_base64_hmac_sha256_of_the_prehash(secret: str, ts: int, query: str, body: str | None) -> None:
    message = f"{ts}GET/v1/perpum/order{'?' + query if query else ''}{body or ''}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    assert sign_coinw(secret, ts, "GET", "/v1/perpum/order", query, body) == base64.b64encode(digest).decode()


def test_coinw_headers_use_the_registry_names() -> None:
    headers = coinw_headers(CoinwCredentials("k", "s"), TS, "GET", "/p", "a=1", None)
    assert tuple(headers) == ("sign", "api_key", "timestamp")
    assert headers["timestamp"] == str(TS)
    assert headers["sign"] == sign_coinw("s", TS, "GET", "/p", "a=1", None)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("", TS, "GET", "/p", None, None), "secret"),
        (("s", -1, "GET", "/p", None, None), "timestamp_ms"),
        (("s", 1_700_000_000, "GET", "/p", None, None), "timestamp_ms"),
        (("s", TS, "FETCH", "/p", None, None), "method"),
        (("s", TS, "GET", "", None, None), "path"),
        (("s", TS, "GET", "/p", "?a=1", None), "query"),
    ],
)
def test_sign_coinw_refuses_bad_input_naming_the_argument(args: tuple[object, ...], needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        sign_coinw(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize("ts", [True, 1.7e12, "1700000000000"])
def test_sign_coinw_refuses_a_timestamp_that_is_not_an_int(ts: object) -> None:
    with pytest.raises(TypeError, match="timestamp_ms"):
        sign_coinw("s", ts, "GET", "/p", None, None)  # type: ignore[arg-type]
