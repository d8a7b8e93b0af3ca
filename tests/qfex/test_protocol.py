"""The sans-I/O QFEX trade protocol: URL and frames we send, frame classification, every
TradeSession transition, both error envelopes, and redaction of echoed auth frames. No I/O."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from venuewire.credentials import QfexCredentials
from venuewire.errors import AuthError, DecodeError, InvalidRequest, RateLimited, VenueError
from venuewire.qfex.errors import QfexAuthError, QfexError, QfexInvalidRequest, QfexRateLimited, qfex_error
from venuewire.qfex.protocol import (
    Answered,
    Authenticated,
    AuthFailed,
    AuthReply,
    ErrorReply,
    GetOrderRequest,
    Ignored,
    Malformed,
    OrdersReply,
    OtherFrame,
    Refused,
    State,
    TradeSession,
    Unreadable,
    check_get_order,
    decode_frame,
    encode_auth,
    encode_get_order,
    trade_url,
)
from venuewire.signing import qfex_auth_frame

FIXTURES = Path(__file__).parents[1] / "fixtures" / "qfex"
CREDS = QfexCredentials("qfex_pub_test", "proto-test-secret-value")
ORDER_ID = "57cc1941-8ad1-4df3-b34c-bb556518befc"
NONCE = "c0ffee" * 4


def fixture(*parts: str) -> str:
    return (FIXTURES.joinpath(*parts)).read_text()


def invalid(*parts: str) -> str:
    """The payload of an invalid-fixture file (which wraps it with the field and the reason)."""
    return json.dumps(json.loads(fixture(*parts))["payload"])


def err(code: str, incoming: dict[str, Any] | None = None, message: str | None = "m") -> str:
    return json.dumps({"err": {"error_code": code, "message": message, "incoming_message": incoming}})


GET_ORDER_ECHO = {"type": "get_order", "params": {"symbol": "AAPL-USD", "order_id": ORDER_ID}}


def ready_session() -> TradeSession:
    session = TradeSession()
    session.auth(qfex_auth_frame(CREDS, NONCE, 1_760_000_000))
    assert isinstance(session.receive('{"authenticated": true}'), Authenticated)
    return session


# --- what we send -------------------------------------------------------------------------------


def test_trade_url_adds_the_public_key_and_keeps_the_rest():
    url = trade_url("ws://127.0.0.1:9000/trade?x=1", CREDS)
    assert url.scheme == "ws" and url.port == 9000 and url.path == "/trade"
    assert dict(url.query) == {"x": "1", "api_key": "qfex_pub_test"}
    assert str(trade_url("wss://trade.qfex.com", CREDS)) == "wss://trade.qfex.com/?api_key=qfex_pub_test"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("https://trade.qfex.com", ValueError),
        ("ws://", ValueError),
        ("ws://h/#frag", ValueError),
        ("ws://h/?api_key=other", ValueError),
        (b"ws://h", TypeError),
    ],
)
def test_trade_url_refuses_what_is_not_a_websocket_url(url: Any, error: type[Exception]):
    with pytest.raises(error):
        trade_url(url, CREDS)


def test_get_order_frame_is_exactly_the_documented_shape():
    text = encode_get_order("AAPL-USD", ORDER_ID)
    assert json.loads(text) == GET_ORDER_ECHO
    assert text == f'{{"type":"get_order","params":{{"symbol":"AAPL-USD","order_id":"{ORDER_ID}"}}}}'


@pytest.mark.parametrize(
    ("symbol", "order_id", "error", "names"),
    [
        ("", ORDER_ID, ValueError, "symbol"),
        ("AAPL USD", ORDER_ID, ValueError, "symbol"),
        ("A" * 65, ORDER_ID, ValueError, "symbol"),
        (None, ORDER_ID, TypeError, "symbol"),
        ("AAPL-USD", "12345", ValueError, "order_id"),
        ("AAPL-USD", ORDER_ID + "0", ValueError, "order_id"),
        ("AAPL-USD", 12345, TypeError, "order_id"),
    ],
)
def test_get_order_arguments_are_checked_before_anything_is_built(symbol, order_id, error, names):
    with pytest.raises(error, match=names):
        check_get_order(symbol, order_id)
    session = ready_session()
    with pytest.raises(error, match=names):
        session.get_order(symbol, order_id)
    assert session.in_flight is None and session.state is State.READY


def test_auth_frame_text_carries_the_hmac_proof():
    frame = qfex_auth_frame(CREDS, NONCE, 1_760_000_000)
    sent = json.loads(encode_auth(frame))
    assert sent["type"] == "auth"
    assert sent["params"]["hmac"]["public_key"] == "qfex_pub_test"
    assert sent["params"]["hmac"]["unix_ts"] == 1_760_000_000
    assert "proto-test-secret-value" not in encode_auth(frame)


# --- what we read -------------------------------------------------------------------------------


def test_auth_replies_decode():
    assert decode_frame('{"authenticated": true}') == AuthReply(True)
    assert decode_frame(b'{"authenticated": false}') == AuthReply(False)


def test_orders_reply_decodes_with_decimals():
    incoming = decode_frame(fixture("all_orders_response", "partial_fill_and_stop_orders.json"))
    assert isinstance(incoming, OrdersReply)
    assert [str(o.quantity_remaining) for o in incoming.response.orders] == ["2.708", "1.25"]
    stops = incoming.response.stop_orders
    assert isinstance(stops, list) and [o.type for o in stops] == ["STOP_LOSS"]


def test_err_envelope_becomes_its_typed_error():
    incoming = decode_frame(fixture("error", "rate_limited_with_incoming_message.json"))
    assert isinstance(incoming, ErrorReply)
    error = incoming.error
    assert isinstance(error, QfexRateLimited) and isinstance(error, RateLimited)
    assert error.error_code == "RateLimited" == error.code
    assert error.raw_message == "message rate exceeded" and not error.legacy
    assert error.incoming_message is not None and error.incoming_message["type"] == "add_order"
    assert incoming.echoed_type == "add_order"


def test_legacy_envelope_becomes_the_same_typed_error():
    incoming = decode_frame(fixture("legacy_error", "rate_limited_with_incoming_message.json"))
    assert isinstance(incoming, ErrorReply)
    assert isinstance(incoming.error, QfexRateLimited) and incoming.error.legacy
    assert incoming.echoed_type == "get_order"
    denied = decode_frame(fixture("legacy_error", "permission_denied_without_incoming_message.json"))
    assert isinstance(denied, ErrorReply) and isinstance(denied.error, QfexAuthError)
    assert denied.error.raw_message is None and denied.error.incoming_message is None
    assert denied.echoed_type is None


def test_null_message_falls_back_to_the_registry_meaning():
    incoming = decode_frame(fixture("error", "invalid_json_null_fields.json"))
    assert isinstance(incoming, ErrorReply) and isinstance(incoming.error, QfexInvalidRequest)
    assert incoming.error.raw_message is None
    assert incoming.error.message == "the frame is not valid JSON for its type"
    assert str(incoming.error) == "qfex [InvalidJSONFormat]: the frame is not valid JSON for its type"


def test_unknown_code_is_a_plain_qfex_error():
    incoming = decode_frame(fixture("error", "unknown_code.json"))
    assert isinstance(incoming, ErrorReply)
    assert type(incoming.error) is QfexError and incoming.error.error_code == "MaintenanceMode"
    legacy = decode_frame(fixture("legacy_error", "unknown_code.json"))
    assert isinstance(legacy, ErrorReply) and type(legacy.error) is QfexError


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("RateLimited", QfexRateLimited),
        ("PermissionDenied", QfexAuthError),
        ("KycRequired", QfexAuthError),
        ("TncRequired", QfexAuthError),
        ("InvalidJSONFormat", QfexInvalidRequest),
        ("InvalidParameter", QfexInvalidRequest),
        ("AlreadyAuthenticated", QfexInvalidRequest),
        ("InvalidOrder", QfexInvalidRequest),
        ("ServerError", QfexError),
    ],
)
def test_each_code_maps_to_its_kind(code: str, kind: type[QfexError]):
    error = qfex_error(code, None)
    assert type(error) is kind and isinstance(error, VenueError)
    meaning = {QfexAuthError: AuthError, QfexRateLimited: RateLimited, QfexInvalidRequest: InvalidRequest}
    if kind in meaning:
        assert isinstance(error, meaning[kind])
    else:
        assert not isinstance(error, (AuthError, RateLimited, InvalidRequest))


def test_other_json_objects_are_other_frames():
    assert decode_frame('{"order_response": {}, "seq": 1}') == OtherFrame(("order_response", "seq"))
    assert decode_frame('{"type": 5, "error_code": "RateLimited"}') == OtherFrame(("type", "error_code"))
    assert decode_frame("{}") == OtherFrame(())


@pytest.mark.parametrize("data", ["<html>502</html>", "", "[1, 2]", '"text"', "null", b"\xff\xfe", '{"a": 1'])
def test_frames_that_are_not_json_objects_are_unreadable(data: str | bytes):
    incoming = decode_frame(data)
    assert isinstance(incoming, Unreadable)
    assert incoming.error.venue == "qfex" and incoming.error.field_path == ()


def test_known_frames_that_do_not_match_their_schema_are_malformed_with_the_path():
    incoming = decode_frame(invalid("all_orders_response", "invalid", "update_time_as_string.json"))
    assert isinstance(incoming, Malformed)
    assert incoming.error.message_name == "all_orders_response"
    assert incoming.error.field_path[-1] == "update_time"
    assert isinstance(decode_frame('{"authenticated": "yes"}'), Malformed)
    assert isinstance(decode_frame('{"err": {"message": "no code"}}'), Malformed)
    assert isinstance(decode_frame('{"type": "error", "error_code": 7}'), Malformed)


# --- redaction ----------------------------------------------------------------------------------


def test_echoed_auth_frames_lose_their_signature_and_jwt():
    frame = qfex_auth_frame(CREDS, NONCE, 1_760_000_000)
    signature = frame["params"]["hmac"]["signature"]
    incoming = decode_frame(err("PermissionDenied", dict(frame)))
    assert isinstance(incoming, ErrorReply)
    echoed = incoming.error.incoming_message
    assert echoed is not None
    assert echoed["params"]["hmac"]["signature"] == "***"
    assert echoed["params"]["hmac"]["nonce"] == NONCE
    for text in (str(incoming.error), repr(incoming.error), repr(incoming)):
        assert signature not in text
    jwt = qfex_error("PermissionDenied", None, {"type": "auth", "params": {"jwt": "eyJhbGciOi.secret.part"}})
    assert jwt.incoming_message == {"type": "auth", "params": {"jwt": "***"}}
    assert frame["params"]["hmac"]["signature"] == signature  # the caller's dict is untouched


def test_other_echoed_frames_are_kept_as_sent():
    error = qfex_error("InvalidParameter", "bad", GET_ORDER_ECHO)
    assert error.incoming_message == GET_ORDER_ECHO and error.incoming_message is not GET_ORDER_ECHO


# --- the session --------------------------------------------------------------------------------


def test_session_starts_open_and_auth_moves_it_to_authenticating():
    session = TradeSession()
    assert session.state is State.OPEN
    text = session.auth(qfex_auth_frame(CREDS, NONCE, 1_760_000_000))
    assert json.loads(text)["type"] == "auth"
    assert session.state is State.AUTHENTICATING
    with pytest.raises(RuntimeError, match="AUTHENTICATING"):
        session.auth(qfex_auth_frame(CREDS, NONCE, 1_760_000_000))
    with pytest.raises(RuntimeError, match="AUTHENTICATING"):
        session.get_order("AAPL-USD", ORDER_ID)


def test_authenticated_true_makes_the_session_ready():
    session = ready_session()
    assert session.state is State.READY and session.in_flight is None
    assert "READY" in repr(session)


@pytest.mark.parametrize(
    ("frame", "error_type"),
    [
        ('{"authenticated": false}', AuthError),
        (err("PermissionDenied", {"type": "auth", "params": {}}), QfexAuthError),
        (err("PermissionDenied", None), QfexAuthError),
        (json.dumps({"type": "error", "error_code": "KycRequired", "message": None}), QfexAuthError),
        ("<html>", DecodeError),
        ('{"authenticated": 1}', DecodeError),
    ],
)
def test_a_refused_or_unreadable_auth_reply_closes_the_session(frame: str, error_type: type[Exception]):
    session = TradeSession()
    session.auth(qfex_auth_frame(CREDS, NONCE, 1_760_000_000))
    event = session.receive(frame)
    assert isinstance(event, AuthFailed) and isinstance(event.error, error_type)
    assert session.state is State.CLOSED


@pytest.mark.parametrize(
    "frame", ['{"order_response": {}}', err("RateLimited", GET_ORDER_ECHO), '{"all_orders_response": {"orders": []}}']
)
def test_frames_that_do_not_answer_auth_are_ignored_while_authenticating(frame: str):
    session = TradeSession()
    session.auth(qfex_auth_frame(CREDS, NONCE, 1_760_000_000))
    assert isinstance(session.receive(frame), Ignored)
    assert session.state is State.AUTHENTICATING


def test_get_order_needs_ready_and_allows_one_in_flight():
    with pytest.raises(RuntimeError, match="OPEN"):
        TradeSession().get_order("AAPL-USD", ORDER_ID)
    session = ready_session()
    assert json.loads(session.get_order("AAPL-USD", ORDER_ID)) == GET_ORDER_ECHO
    assert session.in_flight == GetOrderRequest("AAPL-USD", ORDER_ID)
    with pytest.raises(RuntimeError, match="in flight"):
        session.get_order("AAPL-USD", ORDER_ID)
    with pytest.raises(RuntimeError, match="READY"):
        session.auth(qfex_auth_frame(CREDS, NONCE, 1_760_000_000))


def test_the_next_orders_reply_answers_the_request_in_flight():
    session = ready_session()
    session.get_order("GOOG-USD", "2f05173c-992a-426b-bcaf-6b341644bb62")
    event = session.receive(fixture("all_orders_response", "seed_example.json"))
    assert isinstance(event, Answered)
    assert event.request == GetOrderRequest("GOOG-USD", "2f05173c-992a-426b-bcaf-6b341644bb62")
    assert event.response.orders[0].symbol == "GOOG-USD"
    assert session.in_flight is None and session.state is State.READY


@pytest.mark.parametrize(
    "frame",
    [
        err("RateLimited", GET_ORDER_ECHO),
        err("InvalidParameter", None),
        json.dumps({"type": "error", "error_code": "RateLimited", "message": "slow"}),
    ],
)
def test_an_error_for_get_order_or_for_nothing_named_refuses_the_request(frame: str):
    session = ready_session()
    session.get_order("AAPL-USD", ORDER_ID)
    event = session.receive(frame)
    assert isinstance(event, Refused) and isinstance(event.error, QfexError) and not event.close
    assert session.in_flight is None and session.state is State.READY


def test_an_error_echoing_another_frame_kind_is_ignored_and_the_request_stays():
    session = ready_session()
    session.get_order("AAPL-USD", ORDER_ID)
    event = session.receive(err("InvalidJSONFormat", {"type": "subscribe", "params": {}}))
    assert isinstance(event, Ignored) and isinstance(event.error, QfexInvalidRequest)
    assert session.in_flight is not None


def test_a_malformed_answer_refuses_the_request_but_keeps_the_pairing():
    session = ready_session()
    session.get_order("AAPL-USD", ORDER_ID)
    event = session.receive(invalid("all_orders_response", "invalid", "order_id_as_number.json"))
    assert isinstance(event, Refused) and isinstance(event.error, DecodeError) and not event.close
    assert session.state is State.READY and session.in_flight is None


def test_an_unreadable_answer_closes_the_session():
    session = ready_session()
    session.get_order("AAPL-USD", ORDER_ID)
    event = session.receive("<html><body>502</body></html>")
    assert isinstance(event, Refused) and event.close and isinstance(event.error, DecodeError)
    assert session.state is State.CLOSED and session.in_flight is None


@pytest.mark.parametrize(
    ("frame", "what"),
    [
        ('{"all_orders_response": {"orders": []}}', "no request in flight"),
        ('{"authenticated": true}', "authenticated=True"),
        ("garbage", "unreadable"),
        (err("RateLimited", None), "RateLimited"),
        ('{"balance_response": {}}', "balance_response"),
    ],
)
def test_frames_with_nothing_in_flight_are_ignored(frame: str, what: str):
    session = ready_session()
    event = session.receive(frame)
    assert isinstance(event, Ignored) and what in event.what
    assert session.state is State.READY


def test_abandon_closes_only_with_a_request_in_flight():
    session = ready_session()
    session.abandon()
    assert session.state is State.READY
    session.get_order("AAPL-USD", ORDER_ID)
    session.abandon()
    assert session.state is State.CLOSED and session.in_flight is None
    late = session.receive('{"all_orders_response": {"orders": []}}')
    assert isinstance(late, Ignored)
    with pytest.raises(RuntimeError, match="CLOSED"):
        session.get_order("AAPL-USD", ORDER_ID)


def test_close_from_any_state():
    session = ready_session()
    session.get_order("AAPL-USD", ORDER_ID)
    session.close()
    assert session.state is State.CLOSED and session.in_flight is None
    assert isinstance(session.receive('{"authenticated": true}'), Ignored)
