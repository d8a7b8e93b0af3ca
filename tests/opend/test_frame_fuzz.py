"""Arbitrary and mutated byte streams: the decoder raises FrameError or nothing, and
never buffers more than one header plus the body-length cap (plus the current chunk)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from venuewire.opend.frame import HEADER_SIZE, FrameDecoder, FrameError, encode_frame

# CI runs at least 10,000 examples per property (see conftest.py's "ci" profile).
CAP = 4096

valid_frames = st.lists(
    st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.binary(max_size=300)), min_size=1, max_size=4
).map(lambda items: b"".join(encode_frame(p, s, b) for p, s, b in items))


def drain(stream: bytes, chunks: list[int]) -> None:
    decoder = FrameDecoder(max_body_len=CAP)
    pos = 0
    try:
        for size in [*chunks, len(stream)]:
            piece = stream[pos : pos + size]
            pos += size
            decoder.receive_data(piece)
            while decoder.next_frame() is not None:
                pass
            assert decoder.buffered <= HEADER_SIZE + CAP + len(piece)
            if pos >= len(stream):
                break
    except FrameError:
        pass


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.lists(st.integers(1, 64), max_size=20))
def test_arbitrary_bytes_only_raise_frame_errors(stream, chunks):
    drain(stream, chunks)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(valid_frames, st.data())
def test_mutated_valid_frames_only_raise_frame_errors(stream, data):
    mutated = bytearray(stream)
    for _ in range(data.draw(st.integers(1, 8))):
        kind = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        index = data.draw(st.integers(0, max(0, len(mutated) - 1)))
        if kind == "flip" and mutated:
            mutated[index] ^= data.draw(st.integers(1, 255))
        elif kind == "insert":
            mutated[index:index] = data.draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete" and mutated:
            del mutated[index]
        elif kind == "truncate":
            del mutated[index:]
    drain(bytes(mutated), data.draw(st.lists(st.integers(1, 64), max_size=10)))


@given(valid_frames)
def test_valid_streams_decode_completely(stream):
    decoder = FrameDecoder(max_body_len=CAP)
    frames = decoder.frames(stream)
    assert frames
    assert decoder.buffered == 0
    assert b"".join(encode_frame(f.proto_id, f.serial_no, f.body) for f in frames) == stream


def test_ci_profile_is_active_when_ci_is_set():
    from hypothesis import settings as current

    if os.environ.get("CI"):
        assert current.default.max_examples >= 10_000
