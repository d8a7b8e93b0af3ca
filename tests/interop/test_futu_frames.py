"""Our frame codec and session cipher against futu-api's own packing and parsing code.

Both directions, in plaintext, RSA (InitConnect), AES-CBC and FTAES_ECB:
- frames from our `encode_frame` (+ `SessionCipher`) parse with futu-api's `parse_head`,
  `parse_rsp` and `decrypt_rsp_body` (futu.common.utils), to the same message;
- frames from futu-api's `pack_pb_req` / `_joint_head` parse with our `FrameDecoder`;
- the AES bodies are byte for byte what futu-api's `FutuConnMng` produces.
futu-api keeps connections and the RSA file in process-wide state: each test registers its
own connection id and restores what it changed.
"""

from __future__ import annotations

import itertools
import signal
import string
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

_sigint = signal.getsignal(signal.SIGINT)
import futu  # noqa: E402 - futu replaces the SIGINT handler on import (with os._exit(0))
from futu.common.conn_mng import FutuConnMng  # noqa: E402
from futu.common.constant import ProtoFMT  # noqa: E402
from futu.common.pb import InitConnect_pb2 as TheirInitConnect  # noqa: E402
from futu.common.pb import Qot_GetOrderBook_pb2 as TheirGetOrderBook  # noqa: E402
from futu.common.sys_config import RsaCrypt, SysConfig  # noqa: E402
from futu.common.utils import _joint_head, decrypt_rsp_body, pack_pb_req, parse_head, parse_rsp  # noqa: E402
from futu.quote.quote_query import InitConnect as TheirInitConnectQuery  # noqa: E402

if signal.getsignal(signal.SIGINT) is futu.quit_handler:
    signal.signal(signal.SIGINT, _sigint if callable(_sigint) else signal.default_int_handler)

from venuewire.generated.futu import InitConnect_pb2, Qot_Common_pb2, Qot_GetOrderBook_pb2  # noqa: E402
from venuewire.generated.registry import OpenDProtoID  # noqa: E402
from venuewire.messages import decode_proto, encode_proto  # noqa: E402
from venuewire.opend.crypto import (  # noqa: E402
    SessionCipher,
    aes_cbc_encrypt,
    ftaes_ecb_decrypt,
    ftaes_ecb_encrypt,
    load_rsa_key,
)
from venuewire.opend.frame import HEADER_SIZE, FrameDecoder, encode_frame  # noqa: E402

pytestmark = pytest.mark.interop

KEY = Path(futu.__file__).parent / "common" / "conn_key.txt"
RSA_KEY = load_rsa_key(KEY)
AES_KEY = "Vw0123456789abcd"
AES_IV = "iv56789abcdefGHI"
MODES = ["plain", "cbc", "ecb"]
_conn_ids = itertools.count(0x5EED_0000)


@contextmanager
def futu_connection(mode: str) -> Iterator[int]:
    """A connection registered in futu-api's FutuConnMng as its InitConnect reply would."""
    conn_id = next(_conn_ids)
    FutuConnMng.add_conn(
        {
            "conn_id": conn_id,
            "conn_key": AES_KEY,
            "conn_iv": AES_IV if mode == "cbc" else None,
            "login_user_id": 1,
            "is_encrypt": mode != "plain",
            "keep_alive_interval": 10,
        }
    )
    try:
        yield conn_id
    finally:
        FutuConnMng.remove_conn(conn_id)


@contextmanager
def futu_rsa_file() -> Iterator[None]:
    saved = SysConfig.INIT_RSA_FILE
    SysConfig.set_init_rsa_file(str(KEY))
    try:
        yield
    finally:
        SysConfig.set_init_rsa_file(saved)
        RsaCrypt.CHIPPER = None


def our_cipher(mode: str) -> SessionCipher:
    if mode == "plain":
        return SessionCipher()
    cipher = SessionCipher(rsa_key=RSA_KEY)
    cipher.set_aes(AES_KEY, AES_IV if mode == "cbc" else None)
    return cipher


def book_response(levels: int = 10) -> Qot_GetOrderBook_pb2.Response:
    def side(start: float, step: float) -> list[Qot_Common_pb2.OrderBook]:
        return [
            Qot_Common_pb2.OrderBook(price=start + i * step, volume=100 * (i + 1), orederCount=i + 1)
            for i in range(levels)
        ]

    return Qot_GetOrderBook_pb2.Response(
        retType=0,
        s2c=Qot_GetOrderBook_pb2.S2C(
            security=Qot_Common_pb2.Security(market=1, code="00700"),
            name="TENCENT",
            orderBookAskList=side(400.2, 0.2),
            orderBookBidList=side(400.0, -0.2),
            svrRecvTimeBid="2024-01-02 10:00:00.000",
            svrRecvTimeAsk="2024-01-02 10:00:00.000",
        ),
    )


# --- ours -> futu-api ----------------------------------------------------------------------------


def test_futu_parses_our_header_field_by_field():
    body = encode_proto(book_response())
    frame = encode_frame(OpenDProtoID.Qot_GetOrderBook, 0xA1B2C3, body)
    head = parse_head(frame[:HEADER_SIZE])
    assert (head["head_1"], head["head_2"]) == (b"F", b"T")
    assert head["proto_id"] == OpenDProtoID.Qot_GetOrderBook
    assert (head["proto_fmt_type"], head["proto_ver"]) == (0, 0)
    assert head["serial_no"] == 0xA1B2C3
    assert head["body_len"] == len(body)
    assert head["reserve8"] == bytes(8)


@pytest.mark.parametrize("mode", MODES)
def test_futu_parses_our_reply_frames(mode):
    response = book_response()
    body = encode_proto(response)
    with futu_connection(mode) as conn_id:
        frame = encode_frame(OpenDProtoID.Qot_GetOrderBook, 7, body, encrypt=our_cipher(mode).encrypt)
        result = parse_rsp(bytearray(frame + b"next frame..."), conn_id, mode != "plain")
    assert result.err.name == "OK", result.msg
    assert result.total_len == len(frame)
    assert result.head_dict["serial_no"] == 7
    assert isinstance(result.rsp_pb, TheirGetOrderBook.Response)
    assert result.rsp_pb.SerializeToString() == body
    assert result.rsp_pb.s2c.orderBookBidList[0].orederCount == 1


def test_futu_parses_our_rsa_init_connect_reply():
    s2c = InitConnect_pb2.S2C(serverVer=1, loginUserID=2, connID=3, connAESKey=AES_KEY, keepAliveInterval=10)
    body = encode_proto(InitConnect_pb2.Response(retType=0, s2c=s2c))
    frame = encode_frame(OpenDProtoID.InitConnect, 1, body, encrypt=SessionCipher(rsa_key=RSA_KEY).encrypt)
    assert parse_head(frame[:HEADER_SIZE])["body_len"] % 128 == 0
    with futu_rsa_file():
        result = parse_rsp(bytearray(frame), 0, True)
    assert result.err.name == "OK", result.msg
    assert isinstance(result.rsp_pb, TheirInitConnect.Response)
    assert result.rsp_pb.s2c.connAESKey == AES_KEY


@pytest.mark.parametrize("mode", ["cbc", "ecb"])
@given(body=st.binary(max_size=300))
def test_futu_decrypts_our_bodies_of_any_length(mode, body):
    with futu_connection(mode) as conn_id:
        frame = encode_frame(OpenDProtoID.Qot_GetOrderBook, 1, body, encrypt=our_cipher(mode).encrypt)
        head = parse_head(frame[:HEADER_SIZE])
        ret, msg, plain = decrypt_rsp_body(frame[HEADER_SIZE:], head, conn_id, True)
    assert (ret, plain) == (0, body), msg


# --- futu-api -> ours ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_we_parse_futu_request_frames(mode):
    request = TheirGetOrderBook.Request()
    request.c2s.security.market = 1
    request.c2s.security.code = "00700"
    request.c2s.num = 0  # a zero-valued required field, still on the wire
    with futu_connection(mode) as conn_id:
        ret, msg, data, proto_id, serial = pack_pb_req(request, OpenDProtoID.Qot_GetOrderBook, conn_id, 4242)
    assert ret == 0, msg
    (frame,) = FrameDecoder(decrypt=our_cipher(mode).decrypt).frames(bytes(data))
    assert (frame.proto_id, frame.serial_no, frame.proto_fmt) == (proto_id, serial, 0) == (3012, 4242, 0)
    ours = decode_proto(Qot_GetOrderBook_pb2.Request, frame.body)
    assert (ours.c2s.security.code, ours.c2s.num) == ("00700", 0) and ours.c2s.HasField("num")


def test_we_parse_futu_rsa_init_connect_request():
    with futu_rsa_file():
        ret, msg, data, _proto_id, serial = TheirInitConnectQuery.pack_req(
            client_ver=300, client_id="PyNormal", recv_notify=True, is_encrypt=True, push_proto_fmt=0
        )
    assert ret == 0, msg
    (frame,) = FrameDecoder(decrypt=SessionCipher(rsa_key=RSA_KEY).decrypt).frames(bytes(data))
    assert (frame.proto_id, frame.serial_no) == (OpenDProtoID.InitConnect, serial)
    c2s = decode_proto(InitConnect_pb2.Request, frame.body).c2s
    assert (c2s.clientVer, c2s.clientID, c2s.packetEncAlgo, c2s.programmingLanguage) == (300, "PyNormal", 2, "Python")


@pytest.mark.parametrize("mode", MODES)
@given(body=st.binary(min_size=1, max_size=300), serial=st.integers(min_value=0, max_value=2**32 - 1))
def test_we_parse_futu_frames_with_any_body(mode, body, serial):
    # protoFmtType JSON makes futu-api's packer take the body as raw bytes
    with futu_connection(mode) as conn_id:
        ret, msg, data = _joint_head(3012, ProtoFMT.Json, len(body), body, conn_id, serial, mode != "plain")
    assert ret == 0, msg
    (frame,) = FrameDecoder(decrypt=our_cipher(mode).decrypt).frames(bytes(data))
    assert (frame.proto_id, frame.serial_no, frame.proto_fmt, frame.body) == (3012, serial, 1, body)


# --- the AES bodies themselves --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["cbc", "ecb"])
@given(body=st.binary(max_size=300))
def test_aes_bodies_are_byte_identical_to_futu(mode, body):
    with futu_connection(mode) as conn_id:
        ret, msg, theirs = FutuConnMng.encrypt_conn_data(conn_id, body)
    assert ret == 0, msg
    key = AES_KEY.encode()
    ours = aes_cbc_encrypt(key, AES_IV.encode(), body) if mode == "cbc" else ftaes_ecb_encrypt(key, body)
    assert ours == theirs


@pytest.mark.parametrize("length", range(34))
def test_ftaes_ecb_trailer_records_the_length_mod_16(length):
    body = string.ascii_letters.encode()[:length]
    with futu_connection("ecb") as conn_id:
        _, _, theirs = FutuConnMng.encrypt_conn_data(conn_id, body)
    assert len(theirs) == -(-length // 16) * 16 + 16
    assert theirs[-16:] == bytes(15) + bytes([length % 16])
    assert ftaes_ecb_decrypt(AES_KEY.encode(), theirs) == body
