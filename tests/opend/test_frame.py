"""OpenD frame codec: layout, any chunking, and a typed error for every bad frame."""

from __future__ import annotations

import hashlib
import struct

import pytest

from venuewire.errors import DecodeError
from venuewire.opend.frame import (
    HEADER_SIZE,
    BadMagic,
    BodyTooLarge,
    ChecksumMismatch,
    FrameDecoder,
    FrameError,
    StreamClosed,
    UndecryptableBody,
    UnknownFormat,
    encode_frame,
)


def test_header_layout_matches_the_documented_example():
    body = bytes(range(40))
    frame = encode_frame(1001, 0x1B0F, body)
    assert len(frame) == HEADER_SIZE + 40
    assert frame[:16].hex() == "4654" + "e9030000" + "00" + "00" + "0f1b0000" + "28000000"
    assert frame[16:36] == hashlib.sha1(body).digest()
    assert frame[36:44] == bytes(8)
    assert frame[44:] == body


def test_frames_come_out_whole_and_in_order_from_one_byte_at_a_time():
    stream = b"".join(encode_frame(3012 + i % 2, i, bytes([i]) * i) for i in range(30))
    decoder = FrameDecoder()
    frames = []
    for i in range(len(stream)):
        frames += decoder.frames(stream[i : i + 1])
    assert [(f.proto_id, f.serial_no, f.body) for f in frames] == [(3012 + i % 2, i, bytes([i]) * i) for i in range(30)]
    assert decoder.buffered == 0


def test_many_frames_in_one_chunk_and_a_split_header():
    a, b = encode_frame(1004, 1, b"ab"), encode_frame(1004, 2, b"")
    decoder = FrameDecoder()
    assert [f.serial_no for f in decoder.frames(a + b[:10])] == [1]
    assert decoder.next_frame() is None
    assert [f.serial_no for f in decoder.frames(b[10:])] == [2]


def test_bad_magic_is_reported_from_the_first_byte():
    decoder = FrameDecoder()
    with pytest.raises(BadMagic) as caught:
        decoder.frames(b"X")
    assert caught.value.value == b"X"
    assert isinstance(caught.value, DecodeError)
    assert caught.value.venue == "futu"
    assert caught.value.field_path == ("magic",)


def test_unknown_format_names_the_value():
    frame = bytearray(encode_frame(3012, 1, b"x"))
    frame[6] = 7
    with pytest.raises(UnknownFormat) as caught:
        FrameDecoder().frames(bytes(frame))
    assert caught.value.value == 7


def test_body_length_over_the_cap_fails_before_the_body_is_buffered():
    header = struct.pack("<2sIBBII20s8s", b"FT", 3012, 0, 0, 1, 10_000, bytes(20), bytes(8))
    decoder = FrameDecoder(max_body_len=1024)
    with pytest.raises(BodyTooLarge) as caught:
        decoder.frames(header)
    assert caught.value.value == 10_000
    assert decoder.buffered == 0


def test_sha1_mismatch_is_detected():
    frame = bytearray(encode_frame(3012, 1, b"hello"))
    frame[-1] ^= 0xFF
    with pytest.raises(ChecksumMismatch) as caught:
        FrameDecoder().frames(bytes(frame))
    assert caught.value.field_path == ("bodySHA1",)


def test_after_a_frame_error_the_stream_refuses_more_input():
    decoder = FrameDecoder()
    with pytest.raises(BadMagic):
        decoder.frames(b"GARBAGE")
    with pytest.raises(StreamClosed):
        decoder.receive_data(encode_frame(1004, 1, b""))
    with pytest.raises(BadMagic):
        decoder.next_frame()


def test_decrypt_failure_is_a_frame_error_not_the_library_exception():
    def refuse(proto_id: int, wire: bytes) -> bytes:
        raise ValueError("bad padding")

    with pytest.raises(UndecryptableBody) as caught:
        FrameDecoder(decrypt=refuse).frames(encode_frame(3012, 1, b"abc"))
    assert "3012" in str(caught.value)


def test_sha1_is_over_the_plaintext_and_body_len_over_the_wire_bytes():
    frame = encode_frame(3012, 9, b"plain", encrypt=lambda pid, body: body[::-1] + b"!!")
    (body_len,) = struct.unpack_from("<I", frame, 12)
    assert body_len == len(b"plain") + 2
    assert frame[16:36] == hashlib.sha1(b"plain").digest()
    (decoded,) = FrameDecoder(decrypt=lambda pid, wire: wire[:-2][::-1]).frames(frame)
    assert decoded.body == b"plain"


def test_encode_refuses_out_of_range_ids():
    with pytest.raises(ValueError, match="32 bits"):
        encode_frame(2**32, 1, b"")


def test_every_frame_error_is_one_class_family():
    for cls in (BadMagic, UnknownFormat, BodyTooLarge, ChecksumMismatch, UndecryptableBody, StreamClosed):
        assert issubclass(cls, FrameError)


def test_frames_until_error_gives_the_good_frames_before_a_bad_one_and_the_error():
    good = [encode_frame(3012, i, bytes([i]) * 20) for i in range(1, 4)]
    bad = bytearray(encode_frame(3012, 9, b"x" * 20))
    bad[20] ^= 0xFF  # the SHA-1
    decoder = FrameDecoder()
    frames, error = decoder.frames_until_error(good[0] + good[1][:10])
    assert ([f.serial_no for f in frames], error) == ([1], None)
    frames, error = decoder.frames_until_error(good[1][10:] + good[2] + bytes(bad) + good[0])
    assert [f.serial_no for f in frames] == [2, 3]
    assert [f.body for f in frames] == [bytes([2]) * 20, bytes([3]) * 20]
    assert isinstance(error, ChecksumMismatch)
    frames, error = decoder.frames_until_error(good[0])
    assert frames == [] and isinstance(error, StreamClosed)
    with pytest.raises(StreamClosed):
        decoder.frames(good[0])


def test_frames_until_error_reports_bad_magic_of_a_partial_header():
    frames, error = FrameDecoder().frames_until_error(encode_frame(1, 1, b"ok") + b"XY")
    assert [f.body for f in frames] == [b"ok"] and isinstance(error, BadMagic)


def test_encode_frame_with_a_known_digest_is_the_same_frame():
    body = b"a body sent again and again"
    digest = hashlib.sha1(body).digest()
    assert encode_frame(3012, 7, body, digest=digest) == encode_frame(3012, 7, body)
