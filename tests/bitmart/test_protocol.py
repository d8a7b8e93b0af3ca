"""The pure BitMart protocol code: argument checks, the frames it sends, what it makes of
every frame it can receive (fixtures, DEFLATE, pongs, events, garbage). No I/O."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from venuewire.bitmart.book import order_book_from_legacy, order_book_from_spot
from venuewire.bitmart.protocol import (
    MAX_TOPICS_PER_SUBSCRIBE,
    LegacyDepthProtocol,
    SpotDepthProtocol,
    SpotState,
    V3Protocol,
    check_levels,
    check_precision,
    check_symbol,
    inflate,
    legacy_subscribe_frame,
    legacy_unsubscribe_frame,
    spot_channel,
    spot_login_frame,
    spot_subscribe_frame,
    spot_subscribe_frames,
)
from venuewire.credentials import BitmartCredentials
from venuewire.errors import AuthError, DecodeError, InvalidRequest, RateLimited, VenueError, error_for
from venuewire.events import DecodeFailure
from venuewire.generated.bitmart.legacy_depth import LegacyDepthPush
from venuewire.generated.bitmart.spot_depth import SpotDepthPush
from venuewire.generated.registry import WS_BITMART_LEGACY_DEPTH, WS_BITMART_PRIVATE, WS_BITMART_SPOT_DEPTH
from venuewire.messages import decode_json
from venuewire.models import OrderBook
from venuewire.signing import sign_bitmart_ws_login
from venuewire.sim.bitmart import deflate
from venuewire.transport import Reaction

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bitmart"
URL = "ws://127.0.0.1:1/api?protocol=1.1"
CREDS = BitmartCredentials("key-1", "s3cret-value", "memo-value")


def fixture(message: str, name: str) -> bytes:
    return (FIXTURES / message / name).read_bytes()


def invalid_payloads(message: str) -> list[bytes]:
    return [
        json.dumps(json.loads(p.read_text())["payload"]).encode()
        for p in sorted((FIXTURES / message / "invalid").glob("*.json"))
    ]


def spot(**kwargs: object) -> SpotDepthProtocol:
    return SpotDepthProtocol(URL, "BTC_USDT", 5, **kwargs)  # type: ignore[arg-type]


class PrivateProbe(V3Protocol[object]):
    """A private-socket channel with no data of its own: the login path of `V3Protocol`."""

    def _data(self, text: bytes) -> Reaction[object]:
        return Reaction()


def private(**kwargs: object) -> PrivateProbe:
    options: dict[str, object] = {"credentials": CREDS}
    options.update(kwargs)
    return PrivateProbe(WS_BITMART_PRIVATE.url, ["spot/user/order:BTC_USDT"], **options)  # type: ignore[arg-type]


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("symbol", ["BTC_USDT", "BMX_ETH", "btc_usdt", "A1_B2_C3"])
def test_pairs_are_accepted(symbol):
    assert check_symbol(symbol) == symbol


@pytest.mark.parametrize("symbol", ["", "BTCUSDT", "BTC-USDT", "BTC_", "_USDT", "BTC USDT", "BTC_USDT:x", "ÄBC_USDT"])
def test_malformed_symbols_raise_value_error_naming_symbol(symbol):
    with pytest.raises(ValueError, match="symbol"):
        check_symbol(symbol)


def test_a_non_string_symbol_is_a_type_error():
    with pytest.raises(TypeError, match="symbol"):
        check_symbol(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("levels", WS_BITMART_SPOT_DEPTH.levels)
def test_registry_levels_are_accepted(levels):
    assert check_levels(levels) == levels
    assert spot_channel("BTC_USDT", levels) == f"spot/depth{levels}:BTC_USDT"


@pytest.mark.parametrize("levels", [0, 1, 10, 100, -5, True, "5", 5.0])
def test_other_levels_raise_value_error_naming_levels(levels):
    with pytest.raises(ValueError, match="levels"):
        check_levels(levels)


@pytest.mark.parametrize("precision", [-1, 2**31])
def test_precision_out_of_range_raises_value_error(precision):
    with pytest.raises(ValueError, match="precision"):
        check_precision(precision)


@pytest.mark.parametrize("precision", ["6", 6.0, True, None])
def test_precision_must_be_an_int(precision):
    with pytest.raises(TypeError, match="precision"):
        check_precision(precision)


def test_protocols_validate_before_anything_is_sent():
    with pytest.raises(ValueError, match="levels"):
        SpotDepthProtocol(URL, "BTC_USDT", 10)
    with pytest.raises(ValueError, match="symbol"):
        LegacyDepthProtocol(URL, "BMXETH", 6)
    with pytest.raises(ValueError, match="ping_interval"):
        LegacyDepthProtocol(URL, "BMX_ETH", 6, ping_interval=0)


# ---------------------------------------------------------------- frames sent


def test_legacy_subscribe_frame_is_the_seed_request_byte_for_byte():
    assert legacy_subscribe_frame("BMX_ETH", 6).encode() == fixture("legacy_subscribe", "seed_example.json").strip()


def test_spot_subscribe_frame_matches_the_fixture():
    frame = spot_subscribe_frame(["spot/depth5:BTC_USDT"])
    assert json.loads(frame) == json.loads(fixture("spot_subscribe", "depth5_btc_usdt.json"))
    with pytest.raises(ValueError, match="channels"):
        spot_subscribe_frame([])


def test_login_frame_signs_the_clock_timestamp():
    frame = json.loads(spot_login_frame(CREDS, 1631044962431))
    assert frame["op"] == "login"
    assert frame["args"] == [
        "key-1",
        "1631044962431",
        sign_bitmart_ws_login("s3cret-value", "memo-value", 1631044962431),
    ]


def test_a_private_socket_logs_in_first_with_a_fresh_timestamp_and_subscribes_on_the_reply():
    times = iter([1700000000.0, 1700000042.5])
    protocol = private(clock=lambda: next(times))
    [login] = protocol.opening()
    assert json.loads(login)["op"] == "login" and json.loads(login)["args"][1] == "1700000000000"
    assert protocol.state is SpotState.LOGGING_IN
    reaction = protocol.receive(deflate(fixture("login_response", "login_ok.json").strip()))
    assert reaction.items == [] and protocol.state is SpotState.SUBSCRIBED
    assert [json.loads(f) for f in reaction.send] == [{"op": "subscribe", "args": ["spot/user/order:BTC_USDT"]}]
    assert json.loads(protocol.opening()[0])["args"][1] == "1700000042500"  # a reconnect signs anew


def test_the_public_depth_channel_never_logs_in():
    protocol = spot()
    assert protocol.opening() == ['{"op":"subscribe","args":["spot/depth5:BTC_USDT"]}']
    assert protocol.state is SpotState.SUBSCRIBED
    assert WS_BITMART_SPOT_DEPTH.auth == "none" and WS_BITMART_SPOT_DEPTH.login is None
    assert WS_BITMART_PRIVATE.auth == "bitmart_ws_login" and WS_BITMART_PRIVATE.login == "bitmart/login"
    assert WS_BITMART_PRIVATE.url == "wss://ws-manager-compress.bitmart.com/user?protocol=1.1"
    with pytest.raises(TypeError):
        SpotDepthProtocol(URL, "BTC_USDT", credentials=CREDS)  # type: ignore[call-arg]


def test_subscribe_frames_carry_at_most_the_registrys_topics_each():
    assert MAX_TOPICS_PER_SUBSCRIBE == WS_BITMART_SPOT_DEPTH.max_topics_per_subscribe == 20
    topics = [f"spot/depth5:S{i}_USDT" for i in range(41)]
    frames = [json.loads(f) for f in spot_subscribe_frames(topics)]
    assert [len(f["args"]) for f in frames] == [20, 20, 1]
    assert [t for f in frames for t in f["args"]] == topics
    with pytest.raises(ValueError, match="at most 20"):
        spot_subscribe_frame(topics[:21])
    protocol = SpotDepthProtocol(URL, [f"S{i}_USDT" for i in range(21)], 20)
    assert [len(json.loads(f)["args"]) for f in protocol.opening()] == [20, 1]


@pytest.mark.parametrize("symbols", [[], ["BTC_USDT", "BTC_USDT"], ["BTC_USDT", "BTCUSDT"]])
def test_bad_symbol_lists_raise_value_error_naming_symbol(symbols):
    with pytest.raises(ValueError, match="symbol"):
        SpotDepthProtocol(URL, symbols)


def test_legacy_unsubscribe_has_the_subscribes_shape():
    frame = legacy_unsubscribe_frame("BMX_ETH", 6)
    assert frame.encode() == fixture("legacy_unsubscribe", "seed_pair.json").strip()
    assert json.loads(frame).keys() - {"unsubscribe"} == json.loads(legacy_subscribe_frame("BMX_ETH", 6)).keys() - {
        "subscribe"
    }
    assert LegacyDepthProtocol(URL, "BMX_ETH", 6).unsubscribe_frame == frame


def test_heartbeats_come_from_the_registry():
    assert spot().heartbeat() == (WS_BITMART_SPOT_DEPTH.ping_interval_s, "ping")
    interval, frame = LegacyDepthProtocol(URL, "BMX_ETH", 6, ping_interval=3).heartbeat() or (0, "")
    assert interval == 3 and json.loads(frame) == {"subscribe": "ping"}


def test_secrets_never_appear_in_frames_or_reprs():
    protocol = private()
    text = " ".join(str(f) for f in protocol.opening()) + repr(protocol) + repr(CREDS)
    assert "s3cret-value" not in text and "memo-value" not in text


# ---------------------------------------------------------------- legacy frames received


def test_seed_push_becomes_a_decimal_book_with_buys_as_bids():
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    reaction = protocol.receive(fixture("legacy_depth", "seed_example.json").decode())
    [book] = reaction.items
    assert isinstance(book, OrderBook)
    assert book.venue == "bitmart" and book.symbol == "BMX_ETH" and book.timestamp is None
    assert len(book.bids) == len(book.asks) == 20
    assert book.bids[0].price == Decimal("0.000111") and str(book.bids[0].size) == "30657.00"
    assert book.bids[0].order_count == 1 and book.asks[0].order_count == 3
    assert book.asks[0].price == Decimal("0.000113") and book.spread == Decimal("0.000002")
    assert book.asks[-1].price == Decimal("0.000133")


@pytest.mark.parametrize("name", ["both_sides_empty.json", "empty_buys.json", "btc_usdt_precision_2.json"])
def test_every_legacy_fixture_decodes(name):
    [book] = LegacyDepthProtocol(URL, "BTC_USDT", 2).receive(fixture("legacy_depth", name)).items
    assert isinstance(book, OrderBook)


@pytest.mark.parametrize("payload", invalid_payloads("legacy_depth"))
def test_invalid_legacy_pushes_are_decode_failures_naming_the_message(payload):
    [item] = LegacyDepthProtocol(URL, "BMX_ETH", 6).receive(payload).items
    assert isinstance(item, DecodeFailure)
    assert item.error.venue == "bitmart" and item.raw == payload


def test_a_fractional_order_count_is_a_decode_failure_with_its_path():
    push = json.loads(fixture("legacy_depth", "seed_example.json"))
    push["data"]["sells"][3]["count"] = "2.5"
    [item] = LegacyDepthProtocol(URL, "BMX_ETH", 6).receive(json.dumps(push)).items
    assert isinstance(item, DecodeFailure)
    assert item.error.field_path == ("data", "sells", 3, "count")


def test_legacy_pong_is_consumed():
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    assert protocol.receive(fixture("legacy_pong", "pong.json")).items == []
    assert protocol.pongs == 1 and protocol.failure is None


def test_legacy_error_message_is_a_failure_not_an_item():
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    reaction = protocol.receive('{"subscribe":"order","message":"symbol not found"}')
    assert reaction.items == []
    assert isinstance(protocol.failure, InvalidRequest) and "symbol not found" in str(protocol.failure)


@pytest.mark.parametrize("frame", ["", "not json", b"\x00\x01", '{"subscribe":"depth","symbol":', "[]", '{"x":1}'])
def test_legacy_garbage_is_a_decode_failure(frame):
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    [item] = protocol.receive(frame).items
    assert isinstance(item, DecodeFailure) and protocol.failure is None


# ---------------------------------------------------------------- v3 frames received


def test_deflated_depth_frames_decode_to_timestamped_books():
    raw = fixture("spot_depth", "depth5_btc_usdt.json")
    [book] = spot().receive(deflate(raw)).items
    assert isinstance(book, OrderBook)
    assert book.symbol == "BTC_USDT" and len(book.asks) == 5
    assert book.asks[0].price == Decimal("46828.38") and str(book.asks[2].size) == "1.30000"
    assert book.bids[0].price == Decimal("46828.37") and book.bids[0].order_count is None
    assert book.timestamp == datetime(2021, 9, 7, 20, 2, 42, 431000, tzinfo=UTC)


@pytest.mark.parametrize("name", ["depth20_tiny_prices.json", "depth50_eth_usdt.json", "empty_bids.json"])
def test_plain_text_depth_frames_decode_too(name):
    items = spot().receive(fixture("spot_depth", name).decode()).items
    assert items and all(isinstance(i, OrderBook) for i in items)


@pytest.mark.parametrize("payload", invalid_payloads("spot_depth"))
def test_invalid_depth_frames_are_decode_failures(payload):
    [item] = spot().receive(deflate(payload)).items
    assert isinstance(item, DecodeFailure) and item.raw == payload  # the inflated JSON


def test_bytes_that_are_not_deflate_are_a_decode_failure():
    protocol = spot()
    [item] = protocol.receive(b"\xff\xfe not deflate").items
    assert isinstance(item, DecodeFailure) and "DEFLATE" in item.error.detail
    assert protocol.failure is None


def test_a_zlib_wrapped_frame_is_not_raw_deflate():
    [item] = spot().receive(zlib.compress(fixture("spot_depth", "depth5_btc_usdt.json"))).items
    assert isinstance(item, DecodeFailure)


def test_inflated_size_is_capped():
    bomb = deflate(b" " * 1_000_000)
    assert len(bomb) < 2000
    [item] = spot(max_message_size=100_000).receive(bomb).items
    assert isinstance(item, DecodeFailure) and "more than 100000" in item.error.detail
    assert inflate(bomb, 1_000_000) == b" " * 1_000_000
    with pytest.raises(DecodeError):
        inflate(bomb, 999_999)


def test_a_stream_without_its_final_block_still_inflates():
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = compressor.compress(b'{"a":1}') + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert inflate(data, 100) == b'{"a":1}'


@given(st.binary(max_size=300))
def test_any_bytes_give_items_or_failures_never_an_exception(data):
    reaction = spot().receive(data)
    assert all(isinstance(i, OrderBook | DecodeFailure) for i in reaction.items)


@given(st.text(max_size=300))
def test_any_text_gives_items_or_failures_never_an_exception(text):
    for protocol in (spot(), LegacyDepthProtocol(URL, "BMX_ETH", 6)):
        reaction = protocol.receive(text)
        assert all(isinstance(i, OrderBook | DecodeFailure) for i in reaction.items)


@pytest.mark.parametrize("frame", ["pong", deflate(b"pong")])
def test_pong_is_consumed_text_or_deflated(frame):
    protocol = spot()
    assert protocol.receive(frame).items == [] and protocol.pongs == 1


def test_login_reply_completes_the_login():
    protocol = private()
    protocol.opening()
    assert protocol.receive(deflate(fixture("login_response", "login_ok.json").strip())).items == []
    assert protocol.state is SpotState.SUBSCRIBED and protocol.failure is None


def test_a_login_reply_on_a_socket_that_did_not_log_in_changes_nothing():
    protocol = spot()
    protocol.opening()
    reaction = protocol.receive('{"event":"login"}')
    assert reaction.items == [] and reaction.send == [] and protocol.state is SpotState.SUBSCRIBED


def test_a_refused_frame_is_30039_invalid_request_and_fatal():
    protocol = spot()
    protocol.opening()
    reaction = protocol.receive(deflate(fixture("error_event", "refused_frame_30039.json")))
    assert reaction.items == [] and reaction.fatal is protocol.failure
    assert isinstance(protocol.failure, InvalidRequest)
    assert protocol.failure.code == 30039 and "Unrecognized request" in str(protocol.failure)
    assert protocol.state is SpotState.FAILED and protocol.opening() == []


def test_30013_on_the_websocket_is_an_auth_failure_while_rest_says_rate_limited():
    protocol = spot()
    protocol.opening()
    reaction = protocol.receive(deflate(fixture("error_event", "invalid_sign_30013.json")))
    assert isinstance(reaction.fatal, AuthError) and reaction.fatal.code == 30013
    assert "Invalid sign" in str(reaction.fatal)
    assert isinstance(error_for("bitmart", 30013, "x", scope="rest"), RateLimited)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("refused_frame_30039.json", "Unrecognized request"),
        ("invalid_sign_30013.json", "Invalid sign"),
        ("docs_format_error_message.json", "Invalid symbol param"),
        ("sdk_example_without_event.json", "Invalid symbol param"),
    ],
)
def test_error_events_carry_their_text_under_message_or_error_message(name, text):
    for frame in (fixture("error_event", name).decode(), deflate(fixture("error_event", name))):
        protocol = spot()
        protocol.opening()
        reaction = protocol.receive(frame)
        assert reaction.fatal is not None and text in reaction.fatal.message
        assert reaction.fatal.code == int(json.loads(fixture("error_event", name))["errorCode"])


@pytest.mark.parametrize("code", [30002, 30005, 30007, 30008, 30013])
def test_the_registrys_login_codes_are_auth_errors_even_after_the_login(code):
    protocol = spot()  # no login pending: the registry alone decides
    protocol.opening()
    reaction = protocol.receive(f'{{"event":"error","message":"refused","errorCode":{code}}}')
    assert isinstance(reaction.fatal, AuthError) and reaction.fatal.code == code


def test_a_legacy_refusal_is_fatal():
    protocol = LegacyDepthProtocol(URL, "BMX_ETH", 6)
    reaction = protocol.receive('{"subscribe":"order","message":"bad symbol"}')
    assert isinstance(reaction.fatal, InvalidRequest) and reaction.fatal is protocol.failure


def test_an_error_answering_a_pending_login_is_an_auth_error():
    protocol = private()
    protocol.opening()
    protocol.receive('{"event":"error","message":"Invalid sign","errorCode":30013}')
    assert isinstance(protocol.failure, AuthError) and protocol.failure.code == 30013
    protocol = private()
    protocol.opening()
    protocol.receive('{"event":"error","message":"maintenance","errorCode":99999}')  # unknown code, login pending
    assert isinstance(protocol.failure, AuthError) and "maintenance" in str(protocol.failure)


def test_a_login_reply_carrying_an_error_code_is_an_auth_error():
    protocol = private()
    protocol.opening()
    protocol.receive('{"event":"login","errorCode":30004,"message":"bad"}')
    assert isinstance(protocol.failure, AuthError)


def test_an_unknown_error_after_login_is_a_plain_venue_error():
    protocol = spot()
    protocol.opening()
    protocol.receive('{"event":"error","message":"maintenance","errorCode":99999}')
    assert type(protocol.failure) is VenueError and protocol.failure.code == 99999


@pytest.mark.parametrize("name", ["subscribe_depth5.json", "unsubscribe_depth50.json"])
def test_subscribe_acknowledgements_are_typed_and_counted(name):
    protocol = spot()
    for frame in (fixture("subscribe_ack", name).decode(), deflate(fixture("subscribe_ack", name))):
        assert protocol.receive(frame) == Reaction()
    assert protocol.acks == 2 and protocol.failure is None
    assert WS_BITMART_SPOT_DEPTH.ack == "bitmart/subscribe_ack"


@pytest.mark.parametrize("payload", invalid_payloads("subscribe_ack"))
def test_malformed_acks_are_decode_failures(payload):
    protocol = spot()
    [item] = protocol.receive(payload).items
    assert isinstance(item, DecodeFailure) and protocol.acks == 0 and protocol.failure is None


def test_unknown_events_are_reported():
    [item] = spot().receive('{"event":"surprise"}').items
    assert isinstance(item, DecodeFailure) and item.error.field_path == ("event",)


@pytest.mark.parametrize("payload", invalid_payloads("error_event"))
def test_malformed_error_events_are_decode_failures_not_a_failure(payload):
    protocol = spot()
    [item] = protocol.receive(payload).items
    assert isinstance(item, DecodeFailure) and protocol.failure is None


# ---------------------------------------------------------------- book conversion


def test_book_conversions_keep_every_level():
    push = decode_json(SpotDepthPush, fixture("spot_depth", "depth50_eth_usdt.json"))
    book = order_book_from_spot(push.data[0])
    assert [lv.price_text for lv in book.asks] == [p for p, _ in push.data[0].asks]  # the wire's text, kept
    assert [lv.price for lv in book.asks] == [Decimal(p) for p, _ in push.data[0].asks]
    legacy = decode_json(LegacyDepthPush, fixture("legacy_depth", "seed_example.json"))
    assert [lv.size_text for lv in order_book_from_legacy(legacy).bids] == [lv.amount for lv in legacy.data.buys]


def test_the_legacy_ping_interval_is_the_registrys():
    assert WS_BITMART_LEGACY_DEPTH.ping_interval_s == 10
    interval, _ = LegacyDepthProtocol(URL, "BMX_ETH", 6).heartbeat() or (0, "")
    assert interval == WS_BITMART_LEGACY_DEPTH.ping_interval_s


# ---------------------------------------------------------------- values out of range


@pytest.mark.parametrize("ms_t", [10**17, -(10**17), 2**70, 253402300800000])
def test_an_out_of_range_timestamp_is_a_decode_failure_naming_ms_t(ms_t):
    push = json.loads(fixture("spot_depth", "depth5_btc_usdt.json"))
    push["data"][0]["ms_t"] = ms_t
    [item] = spot().receive(deflate(json.dumps(push).encode())).items
    assert isinstance(item, DecodeFailure) and item.error.field_path == ("data", 0, "ms_t")


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-inf"])
def test_non_finite_values_are_decode_failures_in_both_channels(value):
    push = json.loads(fixture("spot_depth", "depth5_btc_usdt.json"))
    push["data"][0]["bids"][2][1] = value
    [item] = spot().receive(json.dumps(push)).items
    assert isinstance(item, DecodeFailure) and item.error.field_path == ("data", 0, "bids", 2, 1)
    legacy = json.loads(fixture("legacy_depth", "seed_example.json"))
    legacy["data"]["sells"][4]["price"] = value
    [item] = LegacyDepthProtocol(URL, "BMX_ETH", 6).receive(json.dumps(legacy)).items
    assert isinstance(item, DecodeFailure) and item.error.field_path == ("data", "sells", 4, "price")
