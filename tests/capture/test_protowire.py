"""Schema-free protobuf redaction: secrets leave a body that still parses, with every other
field as it was, nested messages included; a body that is not protobuf is redacted in place."""

from __future__ import annotations

import pytest

from venuewire.capture.protowire import redact_protobuf
from venuewire.generated.futu import InitConnect_pb2, Qot_Common_pb2, Qot_GetOrderBook_pb2, Trd_UnlockTrade_pb2

KEY = b"0123456789ABCDEF"


def test_a_secret_in_a_nested_string_is_redacted_and_the_message_still_parses() -> None:
    reply = InitConnect_pb2.Response(
        retType=0,
        retMsg="ok",
        s2c=InitConnect_pb2.S2C(
            serverVer=900,
            loginUserID=7,
            connID=42,
            connAESKey=KEY.decode(),
            keepAliveInterval=10,
            aesCBCiv="iv-iv-iv-iv-iv-1",
        ),
    )
    body = reply.SerializeToString()
    clean = redact_protobuf(body, [KEY, b"iv-iv-iv-iv-iv-1"])
    assert KEY not in clean and b"iv-iv-iv" not in clean
    parsed = InitConnect_pb2.Response.FromString(clean)
    assert parsed.s2c.connAESKey == parsed.s2c.aesCBCiv == "[redacted]"
    assert (parsed.retMsg, parsed.s2c.connID, parsed.s2c.keepAliveInterval, parsed.s2c.serverVer) == ("ok", 42, 10, 900)


def test_a_body_without_a_secret_is_the_same_object() -> None:
    request = Qot_GetOrderBook_pb2.Request(
        c2s=Qot_GetOrderBook_pb2.C2S(security=Qot_Common_pb2.Security(market=1, code="00700"), num=5)
    )
    body = request.SerializeToString()
    assert redact_protobuf(body, [KEY]) is body
    assert redact_protobuf(body, []) is body


def test_a_secret_inside_a_longer_string_keeps_the_rest() -> None:
    md5 = "5f4dcc3b5aa765d61d8327deb882cf99"
    body = Trd_UnlockTrade_pb2.Request(c2s=Trd_UnlockTrade_pb2.C2S(unlock=True, pwdMD5=f"x{md5}y")).SerializeToString()
    parsed = Trd_UnlockTrade_pb2.Request.FromString(redact_protobuf(body, [md5.encode()]))
    assert parsed.c2s.pwdMD5 == "x[redacted]y" and parsed.c2s.unlock


def test_bytes_that_are_not_protobuf_are_redacted_in_place() -> None:
    data = b"\xff\xff\xff" + KEY + b"\x07"
    assert redact_protobuf(data, [KEY]) == b"\xff\xff\xff[redacted]\x07"


def test_read_varint_gives_the_value_and_the_position_after_it() -> None:
    from venuewire.capture.protowire import read_varint

    assert read_varint(b"\x00", 0) == (0, 1)
    assert read_varint(b"\x96\x01", 0) == (150, 2)
    assert read_varint(b"\xff\xac\x02\x07", 1) == (300, 3)
    big = (1 << 63) + 12345  # above 2^53: exact
    encoded = bytearray()
    value = big
    while value >= 0x80:
        encoded.append(value & 0x7F | 0x80)
        value >>= 7
    encoded.append(value)
    assert len(encoded) == 10
    assert read_varint(bytes(encoded), 0) == (big, 10)


@pytest.mark.parametrize("data", [b"", b"\x80", b"\xff\xff", b"\x80" * 10 + b"\x01"])
def test_read_varint_refuses_a_truncated_or_overlong_varint(data: bytes) -> None:
    from venuewire.capture.protowire import read_varint

    with pytest.raises(ValueError):
        read_varint(data, 0)


def test_the_order_book_fast_path_reads_varints_with_the_shared_reader() -> None:
    from venuewire.capture import protowire
    from venuewire.opend import book

    assert book._varint is protowire.read_varint  # one varint reader in the package
