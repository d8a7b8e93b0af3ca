"""FrameDecoder.frames when each call holds exactly one whole frame (the push fast path):
the same frames and the same errors, with their values, as the buffered path."""

from __future__ import annotations

import hashlib

import pytest

from venuewire.opend.frame import (
    HEADER_SIZE,
    BadMagic,
    BodyTooLarge,
    ChecksumMismatch,
    FrameDecoder,
    StreamClosed,
    UnknownFormat,
    encode_frame,
)


def test_one_frame_a_call_gives_every_frame_in_order() -> None:
    decoder = FrameDecoder()
    got = [decoder.frames(encode_frame(3001, serial, bytes([serial]) * serial)) for serial in range(1, 6)]
    assert [[(f.proto_id, f.serial_no, f.body) for f in out] for out in got] == [
        [(3001, serial, bytes([serial]) * serial)] for serial in range(1, 6)
    ]
    assert all(type(out[0].body) is bytes for out in got)
    assert decoder.buffered == 0


def test_fast_path_keeps_every_check_with_its_value() -> None:
    frame = encode_frame(3001, 9, b"body")
    bad_sha = frame[:16] + bytes(20) + frame[36:]
    with pytest.raises(ChecksumMismatch) as info:
        FrameDecoder().frames(bad_sha)
    assert info.value.value == hashlib.sha1(b"body").hexdigest()
    with pytest.raises(BadMagic) as magic:
        FrameDecoder().frames(b"XT" + frame[2:])
    assert magic.value.value == b"XT"
    with pytest.raises(UnknownFormat) as fmt:
        FrameDecoder().frames(frame[:6] + b"\x07" + frame[7:])
    assert fmt.value.value == 7
    with pytest.raises(BodyTooLarge) as big:
        FrameDecoder(max_body_len=3).frames(frame)
    assert big.value.value == 4


def test_fast_path_refuses_input_after_a_failure() -> None:
    decoder = FrameDecoder()
    frame = encode_frame(3001, 9, b"body")
    with pytest.raises(ChecksumMismatch):
        decoder.frames(frame[:-1] + b"X")
    with pytest.raises(StreamClosed):
        decoder.frames(frame)


def test_partial_header_that_cannot_be_a_frame_fails_at_once() -> None:
    decoder = FrameDecoder()
    assert decoder.frames(encode_frame(3001, 1, b"x")[: HEADER_SIZE - 1]) == []
    with pytest.raises(BadMagic):
        FrameDecoder().frames(b"Xq")


def test_a_frame_after_a_partial_one_is_not_taken_alone() -> None:
    decoder = FrameDecoder()
    first, second = encode_frame(3001, 1, b"a" * 10), encode_frame(3001, 2, b"b" * 10)
    assert decoder.frames(first[:20]) == []
    out = decoder.frames(first[20:] + second)
    assert [(f.serial_no, f.body) for f in out] == [(1, b"a" * 10), (2, b"b" * 10)]
