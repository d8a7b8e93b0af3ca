"""The pure REST half (argument checks, path, reply -> typed message or typed error) and the
depth -> OrderBook normalization, from the venue's own examples (tests/fixtures/infoway)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from venuewire.errors import AuthError, DecodeError, InvalidRequest, NotFound, RateLimited, VenueError
from venuewire.generated.infoway.batch_depth_response import BatchDepthResponse
from venuewire.generated.infoway.depth import Depth
from venuewire.infoway.book import order_book_from_depth, order_books_from_response, timestamp_of
from venuewire.infoway.rest import MARKETS, MAX_CODES, batch_depth_path, batch_depth_result, check_codes, check_market
from venuewire.messages import decode_json
from venuewire.values import DecimalText

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "infoway"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- arguments --------------------------------------------------------------------------------


def test_markets_come_from_the_registry():
    assert MARKETS == ("stock", "crypto", "common", "japan", "india", "korea", "taiwan")
    assert MAX_CODES == 100
    for market in MARKETS:
        assert check_market(market) == market


@pytest.mark.parametrize("market", ["STOCK", "forex", "", "stock "])
def test_unknown_market_is_refused_naming_the_argument(market):
    with pytest.raises(ValueError, match="market"):
        check_market(market)


def test_codes_are_checked_deduplicated_and_bounded():
    assert check_codes(["00700.HK", "AAPL.US", "00700.HK"]) == ["00700.HK", "AAPL.US"]
    assert len(check_codes([f"{i:05d}.HK" for i in range(MAX_CODES)])) == MAX_CODES
    with pytest.raises(ValueError, match="at most 100"):
        check_codes([f"{i:05d}.HK" for i in range(MAX_CODES + 1)])
    assert len(check_codes([f"{i:05d}.HK" for i in range(MAX_CODES + 1)], max_codes=None)) == MAX_CODES + 1


@pytest.mark.parametrize(
    ("codes", "match"),
    [
        ([], "at least one"),
        ("00700.HK", "not a single string"),
        ([""], r"codes\[0\] is empty"),
        (["AAPL.US", "TSLA US"], r"codes\[1\]"),
        (["A,B"], r"codes\[0\]"),
        (["A/B"], r"codes\[0\]"),
        (["BTC\tUSDT"], r"codes\[0\]"),
        (["700.HK"], "00700.HK"),
        (["000700.HK"], "zero-padded"),
    ],
)
def test_bad_codes_are_refused_naming_the_argument(codes, match):
    with pytest.raises(ValueError, match=match):
        check_codes(codes)


def test_a_code_that_is_not_a_string_is_a_type_error():
    with pytest.raises(TypeError, match=r"codes\[1\]"):
        check_codes(["AAPL.US", 700])  # type: ignore[list-item]


def test_path_joins_the_codes_with_a_literal_comma():
    assert batch_depth_path("stock", ["00700.HK", "AAPL.US"]) == "/stock/batch_depth/00700.HK,AAPL.US"
    assert batch_depth_path("common", ["ES=F"]) == "/common/batch_depth/ES%3DF"
    with pytest.raises(ValueError, match="market"):
        batch_depth_path("stocks", ["AAPL.US"])


# --- replies ----------------------------------------------------------------------------------


def test_the_seed_example_is_a_typed_reply():
    reply = batch_depth_result(200, {}, fixture("batch_depth_response/seed_example.json"))
    assert reply.ret == 200 and reply.data
    assert reply.data[0].a[0][0] == "34.650"  # the text as sent, trailing zero kept


@pytest.mark.parametrize(
    ("status", "headers", "body", "error", "code"),
    [
        (401, {}, b'{"ret":401,"msg":"Unauthorized"}', AuthError, 401),
        (401, {}, b"", AuthError, 401),
        (429, {}, b'{"detail":"Rate limit exceeded"}', RateLimited, 429),
        (429, {}, b"<html>", RateLimited, 429),
        (200, {}, b'{"detail":"Rate limit exceeded"}', RateLimited, 200),
        (200, {}, b'{"ret":501,"msg":"per-minute limit"}', RateLimited, 501),
        (200, {}, b'{"ret":502,"msg":"daily limit"}', RateLimited, 502),
        (200, {}, b'{"ret":505,"msg":"too many"}', InvalidRequest, 505),
        (200, {}, b'{"ret":506,"msg":"param error","data":null}', InvalidRequest, 506),
        (200, {}, b'{"ret":507,"msg":"param lost"}', InvalidRequest, 507),
        (200, {}, b'{"ret":508,"msg":"product does not exist"}', NotFound, 508),
        (200, {}, b'{"ret":509,"msg":"token expired"}', AuthError, 509),
        (200, {}, b'{"ret":514,"msg":"no permission"}', AuthError, 514),
        (200, {}, b'{"ret":599,"msg":"new"}', VenueError, 599),
        (502, {}, b"<html>bad gateway</html>", VenueError, 502),
        (500, {}, b'{"ret":500,"msg":"server error"}', VenueError, 500),
    ],
)
def test_every_failure_is_a_typed_error(status, headers, body, error, code):
    with pytest.raises(error) as caught:
        batch_depth_result(status, headers, body)
    assert caught.value.venue == "infoway"
    assert caught.value.code == code


def test_fixture_error_replies_are_typed():
    with pytest.raises(NotFound, match="product does not exist"):
        batch_depth_result(200, {}, fixture("batch_depth_response/error_ret_508.json"))
    with pytest.raises(InvalidRequest):
        batch_depth_result(200, {}, fixture("batch_depth_response/error_null_data.json"))
    with pytest.raises(RateLimited, match="Rate limit exceeded"):
        batch_depth_result(200, {}, fixture("error_detail/rate_limit.json"))


def test_retry_after_is_read_from_a_429():
    with pytest.raises(RateLimited) as caught:
        batch_depth_result(429, {"retry-after": "3"}, b"")
    assert caught.value.retry_after == 3.0
    with pytest.raises(RateLimited) as caught:
        batch_depth_result(429, {"Retry-After": "soon"}, b"")
    assert caught.value.retry_after is None


def test_a_body_that_is_not_the_reply_is_a_decode_error_with_the_field_path():
    with pytest.raises(DecodeError) as caught:
        batch_depth_result(
            200, {}, b'{"ret":200,"msg":"success","data":[{"s":"A","t":1,"a":[["x"],["1"]],"b":[[],[]]}]}'
        )
    assert caught.value.field_path == ("data", 0, "a", 0, 0)
    with pytest.raises(DecodeError) as caught:
        batch_depth_result(200, {}, b'{"ret":200,"msg":"succ')
    assert caught.value.message_name == "batch_depth_response"


# --- normalization -----------------------------------------------------------------------------


def test_a_is_the_ask_side_and_b_the_bid_side_column_major():
    reply = decode_json(BatchDepthResponse, fixture("batch_depth_response/seed_example.json"))
    books = order_books_from_response(reply)
    assert [b.symbol for b in books] == ["00285.HK", "002594.SZ"]
    hk = books[0]
    assert hk.venue == "infoway"
    assert hk.best_ask is not None and hk.best_bid is not None
    assert (hk.best_ask.price, hk.best_ask.size) == (Decimal("34.650"), Decimal("44000"))
    assert (hk.best_bid.price, hk.best_bid.size) == (Decimal("34.600"), Decimal("109500"))
    assert hk.asks[-1].price == Decimal("35.100") and hk.asks[-1].size == Decimal("124500")
    assert hk.spread == Decimal("0.050")
    assert all(level.order_count is None for level in hk.asks + hk.bids)
    assert hk.timestamp == datetime(2025, 5, 16, 8, 9, 36, 831000, tzinfo=UTC)
    assert len(books[1].asks) == 5


def test_timestamps_are_exact_utc_milliseconds():
    assert timestamp_of(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert timestamp_of(1747378802012).microsecond == 12000
    assert timestamp_of(9_999_999_999_999).tzinfo is UTC


@pytest.mark.parametrize("t_ms", [10**17, -(10**17), 2**70])
def test_a_timestamp_that_is_no_date_is_a_decode_error_naming_the_field(t_ms):
    depth = Depth(s="X", t=t_ms, a=([], []), b=([], []))
    with pytest.raises(DecodeError) as caught:
        order_book_from_depth(depth, message="batch_depth_response", path=("data", 2))
    assert caught.value.field_path == ("data", 2, "t")


@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity", "-Infinity", "1e", "", " 1", "1_0", "abc"])
def test_a_price_or_volume_that_is_no_finite_number_is_a_decode_error_naming_it(bad):
    one = DecimalText("1")
    depth = Depth(s="X", t=1, a=([one], [one]), b=([one, DecimalText(bad)], [one, DecimalText("2")]))
    with pytest.raises(DecodeError) as caught:
        order_book_from_depth(depth)
    assert caught.value.field_path == ("b", 0, 1)
    depth = Depth(s="X", t=1, a=([one], [DecimalText(bad)]), b=([], []))
    with pytest.raises(DecodeError) as caught:
        order_book_from_depth(depth)
    assert caught.value.field_path == ("a", 1, 0)


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (502, b"<html>bad gateway</html>", VenueError, 502),
        (503, b"<html>unavailable</html>", VenueError, 503),
        (504, b"", VenueError, 504),
        (524, b"<html>origin timeout</html>", VenueError, 524),
        (499, b"", VenueError, 499),
        (404, b"<html>no</html>", NotFound, 404),
        (400, b"<html>bad</html>", InvalidRequest, 400),
        (502, b'{"ret":502,"msg":"daily limit"}', RateLimited, 502),
        (200, b'{"ret":503,"msg":"kline quantity exceeds the limit"}', InvalidRequest, 503),
        (200, b'{"ret":510,"msg":"websocket connections exceeds the limit"}', RateLimited, 510),
        (200, b'{"ret":511,"msg":"websocket heartbeat timeout"}', VenueError, 511),
        (200, b'{"ret":400,"msg":"bad request"}', InvalidRequest, 400),
        (200, b'{"ret":500,"msg":"server error","data":"junk"}', VenueError, 500),
    ],
)
def test_http_statuses_and_ret_codes_are_separate_number_spaces(status, body, error, code):
    with pytest.raises(VenueError) as caught:
        batch_depth_result(status, {}, body)
    assert type(caught.value) is error and caught.value.code == code
    if body.startswith(b"{"):
        assert "HTTP" not in caught.value.message
    else:
        assert f"HTTP {status}" in caught.value.message


def test_an_empty_side_and_an_error_reply_give_empty_books():
    reply = decode_json(BatchDepthResponse, fixture("batch_depth_response/crypto_empty_side.json"))
    (book,) = order_books_from_response(reply)
    assert book.bids == () and book.best_bid is None and book.spread is None
    assert book.asks[0].price == Decimal("104250.01")
    assert order_books_from_response(BatchDepthResponse(ret=506, msg="x", data=None)) == []
    assert order_books_from_response(BatchDepthResponse(ret=200, msg="x")) == []


def test_columns_of_different_lengths_are_a_decode_error_naming_the_side():
    depth = Depth(s="X", t=1, a=([DecimalText("1"), DecimalText("2")], [DecimalText("3")]), b=([], []))
    with pytest.raises(DecodeError) as caught:
        order_book_from_depth(depth, message="batch_depth_response", path=("data", 4))
    assert caught.value.field_path == ("data", 4, "a")
    assert "2 prices but 1 volumes" in caught.value.detail
    reply = BatchDepthResponse(ret=200, msg="success", data=[Depth(s="Y", t=1, a=([], []), b=([DecimalText("1")], []))])
    with pytest.raises(DecodeError, match=r"\$\.data\[0\]\.b"):
        order_books_from_response(reply)


decimals = st.decimals(min_value=Decimal("0.00001"), max_value=Decimal("1e9"), allow_nan=False, places=5)


@given(st.lists(st.tuples(decimals, decimals), max_size=12), st.lists(st.tuples(decimals, decimals), max_size=12))
def test_levels_pair_the_nth_price_with_the_nth_volume(asks, bids):
    def column_major(levels: list[tuple[Decimal, Decimal]]) -> list[list[str]]:
        return [[str(p) for p, _ in levels], [str(v) for _, v in levels]]

    raw = msgspec.json.encode({"s": "X", "t": 5, "a": column_major(asks), "b": column_major(bids)})
    book = order_book_from_depth(decode_json(Depth, raw))
    assert [(lv.price, lv.size) for lv in book.asks] == asks
    assert [(lv.price, lv.size) for lv in book.bids] == bids


# --- the generated typed method (InfowayRestAPI) against the simulator ---------------------------


async def test_the_generated_batch_depth_method_returns_the_typed_reply():
    from venuewire.credentials import InfowayCredentials
    from venuewire.generated.infoway.api import InfowayRestAPI
    from venuewire.infoway.client import InfowayClient
    from venuewire.sim.infoway import InfowaySimulator

    key = "iw-api-test-key"
    async with InfowaySimulator(api_key=key, rest_limit=1000) as sim:
        async with InfowayClient(InfowayCredentials(key), sim.url, sim.ws_url, timeout=2.0) as client:
            assert isinstance(client, InfowayRestAPI)
            reply = await InfowayRestAPI.batch_depth(client, "stock", "00700.HK,AAPL.US")  # the generated body
            wrapped = await client.batch_depth("stock", ["00700.HK", "AAPL.US"])  # the checked wrapper
        async with InfowayClient(InfowayCredentials("wrong-key"), sim.url, sim.ws_url, timeout=2.0) as bad:
            with pytest.raises(AuthError) as refused:
                await InfowayRestAPI.batch_depth(bad, "stock", "00700.HK")
    assert isinstance(reply, BatchDepthResponse) and reply.ret == 200 and reply.data
    assert [d.s for d in reply.data] == ["00700.HK", "AAPL.US"] == [d.s for d in (wrapped.data or ())]
    assert all(type(price) is str and Decimal(price).is_finite() for price in reply.data[0].a[0])
    assert refused.value.code == 401
