"""The OpenD frame: a 44-byte little-endian header, then the body. Pure, no I/O.

    offset size field
    0      2    magic "FT"
    2      4    protoID        (u32)
    6      1    protoFmtType   (0 protobuf, 1 JSON)
    7      1    protoVer       (0)
    8      4    serialNo       (u32; a reply echoes its request's)
    12     4    bodyLen        (bytes on the wire: ciphertext length when encrypted)
    16     20   SHA-1 of the PLAINTEXT body
    36     8    reserved, zero

`encode_frame` builds one frame; `FrameDecoder` takes bytes in any chunking and gives
complete frames out, in order, checking magic, format, the body-length cap (before the
body is buffered) and the SHA-1. Every failure is a `FrameError` subclass carrying the
offending value; after one, the stream is unusable (`FrameDecoder` refuses more input)
and the connection must be closed, never resynchronised by guessing.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from hashlib import sha1
from typing import NamedTuple

from venuewire.errors import DecodeError
from venuewire.generated.registry import OPEND

HEADER = struct.Struct("<2sIBBII20s8s")
_unpack_header = struct.Struct("<2sIBBII20s8x").unpack_from  # the same, reserved skipped
HEADER_SIZE = OPEND.header_size
MAGIC = OPEND.magic.encode("ascii")
KNOWN_FORMATS = frozenset({OPEND.proto_fmt_protobuf, OPEND.proto_fmt_json})
RESERVED = bytes(8)
MAX_SERIAL = 2**32 - 1

if HEADER.size != HEADER_SIZE:  # pragma: no cover - the registry and the layout must agree
    raise RuntimeError(f"frame header layout is {HEADER.size} bytes, registry says {HEADER_SIZE}")


class FrameError(DecodeError):
    """An OpenD frame that cannot be trusted. `value` is the offending value."""

    def __init__(self, field: str, value: object, detail: str) -> None:
        self.value = value
        super().__init__("futu", "frame", (field,), detail)


class BadMagic(FrameError):
    """The frame does not start with "FT"."""


class UnknownFormat(FrameError):
    """protoFmtType is neither protobuf (0) nor JSON (1)."""


class BodyTooLarge(FrameError):
    """bodyLen is above the decoder's cap; the body was not buffered."""


class ChecksumMismatch(FrameError):
    """The SHA-1 of the (decrypted) body differs from the header's."""


class UndecryptableBody(FrameError):
    """The body could not be decrypted (wrong key or corrupted ciphertext)."""


class IncompleteFrame(FrameError):
    """`decode_frame` got fewer bytes than the header announces."""


class TrailingBytes(FrameError):
    """`decode_frame` got bytes after the end of the frame."""


class StreamClosed(FrameError):
    """More bytes were fed after a FrameError: the stream is dead."""


class Frame(NamedTuple):
    """One decoded frame. `body` is the plaintext (decrypted when encryption is on)."""

    proto_id: int
    serial_no: int
    proto_fmt: int
    proto_ver: int
    body: bytes


_new_frame = tuple.__new__  # builds a Frame without NamedTuple's Python-level __new__

# (proto_id, wire bytes) -> plaintext; raises to refuse. See venuewire.opend.crypto.
BodyTransform = Callable[[int, bytes], bytes]


def encode_frame(
    proto_id: int,
    serial_no: int,
    body: bytes,
    *,
    encrypt: BodyTransform | None = None,
    proto_fmt: int = OPEND.proto_fmt_protobuf,
    digest: bytes | None = None,
) -> bytes:
    """One frame: header + body. With `encrypt`, the body on the wire is its output;
    the header's SHA-1 is always over the plaintext `body` (`digest`: that SHA-1 when the
    caller has it already, for a body it sends again)."""
    if not 0 <= proto_id <= MAX_SERIAL or not 0 <= serial_no <= MAX_SERIAL:
        raise ValueError(f"protoID {proto_id} and serialNo {serial_no} must fit in 32 bits")
    wire = encrypt(proto_id, body) if encrypt is not None else body
    if digest is None:
        digest = sha1(body).digest()
    return HEADER.pack(MAGIC, proto_id, proto_fmt, OPEND.proto_ver, serial_no, len(wire), digest, RESERVED) + wire


class FrameDecoder:
    """Incremental frame parser. Feed with `receive_data`, drain with `next_frame`.

    `decrypt` (settable at any time, e.g. once InitConnect has agreed the AES key)
    turns each body into plaintext before the SHA-1 check; frames are parsed one at a
    time, so a new transform applies from the next frame on. Consumed bytes are dropped
    in batches, so decoding a stream costs no more than one copy of each body.
    """

    _COMPACT_AT = 1 << 16

    def __init__(self, max_body_len: int = OPEND.max_body_len, decrypt: BodyTransform | None = None) -> None:
        if max_body_len < 0:
            raise ValueError("max_body_len must be >= 0")
        self.max_body_len = max_body_len
        self.decrypt = decrypt
        self._buffer = bytearray()
        self._pos = 0
        self._failed: FrameError | None = None

    @property
    def buffered(self) -> int:
        """Bytes received and not yet returned as frames."""
        return len(self._buffer) - self._pos

    def receive_data(self, data: bytes) -> None:
        if self._failed is not None:
            raise StreamClosed("stream", None, f"the frame stream already failed: {self._failed.detail}")
        if self._pos and self._pos == len(self._buffer):
            self._buffer.clear()
            self._pos = 0
        self._buffer += data

    def next_frame(self) -> Frame | None:
        """The next complete frame, or None until more bytes arrive. Raises FrameError."""
        if self._failed is not None:
            raise self._failed
        try:
            return self._next()
        except FrameError as exc:
            self._failed = exc
            self._buffer.clear()
            self._pos = 0
            raise

    def frames(self, data: bytes = b"") -> list[Frame]:
        """Feed `data` and return every frame now complete: the fast path for a stream.

        The current `decrypt` applies to every frame returned; use `next_frame` when the
        transform may change between two frames (during InitConnect).
        """
        if not self._buffer and type(data) is bytes and self._failed is None and self.decrypt is None:
            # Fast path: nothing buffered and `data` holds exactly one whole, clean frame
            # (a push read by itself). Every check of the loop below, without the copy.
            size = len(data)
            if size >= HEADER_SIZE:
                magic, proto_id, fmt, ver, serial, body_len, digest = _unpack_header(data)
                if (
                    size == HEADER_SIZE + body_len
                    and magic == MAGIC
                    and fmt in KNOWN_FORMATS
                    and body_len <= self.max_body_len
                ):
                    body = data[HEADER_SIZE:]
                    if sha1(body).digest() == digest:
                        return [_new_frame(Frame, (proto_id, serial, fmt, ver, body))]
        out: list[Frame] = []
        self._collect(data, out)
        return out

    def frames_until_error(self, data: bytes = b"") -> tuple[list[Frame], FrameError | None]:
        """`frames` for a caller that acts on every good frame before a bad one: (the frames
        now complete up to the first bad one, that FrameError or None). After an error the
        stream is dead, as after `frames` raised it."""
        out: list[Frame] = []
        try:
            self._collect(data, out)
        except FrameError as exc:
            return out, exc
        return out, None

    def _collect(self, data: bytes, out: list[Frame]) -> None:
        """Feed `data` and append every frame now complete to `out`; FrameError at a bad one
        (the frames before it already appended)."""
        if data:
            self.receive_data(data)
        if self._failed is not None:
            raise self._failed
        buf, pos = self._buffer, self._pos
        size, cap, decrypt, unpack = len(buf), self.max_body_len, self.decrypt, HEADER.unpack_from
        with memoryview(buf) as view:
            while size - pos >= HEADER_SIZE:
                magic, proto_id, fmt, ver, serial, body_len, digest, _reserved = unpack(buf, pos)
                end = pos + HEADER_SIZE + body_len
                if magic != MAGIC or fmt not in KNOWN_FORMATS or body_len > cap or end > size:
                    break  # incomplete, or an error that next_frame reports in full below
                body = view[pos + HEADER_SIZE : end].tobytes()
                if decrypt is not None:
                    try:
                        body = decrypt(proto_id, body)
                    except Exception:
                        break  # reported in full by next_frame below
                if sha1(body).digest() != digest:
                    break  # likewise
                out.append(_new_frame(Frame, (proto_id, serial, fmt, ver, body)))
                pos = end
        if pos == size:
            buf.clear()
            pos = 0
        elif pos >= self._COMPACT_AT:
            del buf[:pos]
            pos = 0
        self._pos = pos
        if size - pos >= HEADER_SIZE:  # a bad frame (or one not all there): next_frame tells
            while (frame := self.next_frame()) is not None:
                out.append(frame)
        elif pos < size and buf[pos : pos + 2] != MAGIC[: size - pos]:
            self.next_frame()  # raises BadMagic for a partial header that cannot be a frame

    def _next(self) -> Frame | None:
        buf, pos = self._buffer, self._pos
        parsed = _parse(buf, pos, self.max_body_len, self.decrypt)
        if parsed is None:
            return None
        frame, end = parsed
        if end == len(buf):
            buf.clear()
            self._pos = 0
        elif end >= self._COMPACT_AT:
            del buf[:end]
            self._pos = 0
        else:
            self._pos = end
        return frame


def decode_frame(data: bytes, *, decrypt: BodyTransform | None = None, max_body_len: int = OPEND.max_body_len) -> Frame:
    """Exactly one complete frame from `data` (no more, no less). Raises FrameError, or
    `IncompleteFrame` when `data` is shorter than its header says."""
    parsed = _parse(data, 0, max_body_len, decrypt)
    if parsed is None:
        raise IncompleteFrame("bodyLen", len(data), f"{len(data)} bytes are not a complete frame")
    frame, end = parsed
    if end != len(data):
        raise TrailingBytes("frame", len(data) - end, f"{len(data) - end} bytes after the frame")
    return frame


def _parse(
    buf: bytes | bytearray, pos: int, max_body_len: int, decrypt: BodyTransform | None
) -> tuple[Frame, int] | None:
    """The frame starting at `pos` and the offset after it; None if it is not all there yet."""
    available = len(buf) - pos
    if available < HEADER_SIZE:
        if available and buf[pos : pos + min(2, available)] != MAGIC[: min(2, available)]:
            start = bytes(buf[pos : pos + 2])
            raise BadMagic("magic", start, f"frame starts with {start!r}")
        return None
    magic, proto_id, fmt, ver, serial, body_len, digest, _reserved = HEADER.unpack_from(buf, pos)
    if magic != MAGIC:
        raise BadMagic("magic", magic, f"frame starts with {magic!r}")
    if fmt not in KNOWN_FORMATS:
        raise UnknownFormat("protoFmtType", fmt, f"unknown protoFmtType {fmt}")
    if body_len > max_body_len:
        raise BodyTooLarge("bodyLen", body_len, f"bodyLen {body_len} is above the cap of {max_body_len}")
    end = pos + HEADER_SIZE + body_len
    if len(buf) < end:
        return None
    body = bytes(buf[pos + HEADER_SIZE : end])
    if decrypt is not None:
        try:
            body = decrypt(proto_id, body)
        except FrameError:
            raise
        except Exception as exc:
            detail = f"cannot decrypt body of protoID {proto_id}: {exc}"
            raise UndecryptableBody("body", body_len, detail) from None
    if sha1(body).digest() != digest:
        actual = sha1(body).hexdigest()
        raise ChecksumMismatch(
            "bodySHA1", actual, f"SHA-1 {actual} of protoID {proto_id} body != header {digest.hex()}"
        )
    return _new_frame(Frame, (proto_id, serial, fmt, ver, body)), end
