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

import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass

from venuewire.errors import DecodeError
from venuewire.generated.registry import OPEND

HEADER = struct.Struct("<2sIBBII20s8s")
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


class StreamClosed(FrameError):
    """More bytes were fed after a FrameError: the stream is dead."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded frame. `body` is the plaintext (decrypted when encryption is on)."""

    proto_id: int
    serial_no: int
    proto_fmt: int
    proto_ver: int
    body: bytes


# (proto_id, wire bytes) -> plaintext; raises to refuse. See venuewire.opend.crypto.
BodyTransform = Callable[[int, bytes], bytes]


def encode_frame(
    proto_id: int,
    serial_no: int,
    body: bytes,
    *,
    encrypt: BodyTransform | None = None,
    proto_fmt: int = OPEND.proto_fmt_protobuf,
) -> bytes:
    """One frame: header + body. With `encrypt`, the body on the wire is its output;
    the header's SHA-1 is always over the plaintext `body`."""
    if not 0 <= proto_id <= MAX_SERIAL or not 0 <= serial_no <= MAX_SERIAL:
        raise ValueError(f"protoID {proto_id} and serialNo {serial_no} must fit in 32 bits")
    wire = encrypt(proto_id, body) if encrypt is not None else body
    digest = hashlib.sha1(body).digest()
    return HEADER.pack(MAGIC, proto_id, proto_fmt, OPEND.proto_ver, serial_no, len(wire), digest, RESERVED) + wire


class FrameDecoder:
    """Incremental frame parser. Feed with `receive_data`, drain with `next_frame`.

    `decrypt` (settable at any time, e.g. once InitConnect has agreed the AES key)
    turns each body into plaintext before the SHA-1 check; frames are parsed one at a
    time, so a new transform applies from the next frame on.
    """

    def __init__(self, max_body_len: int = OPEND.max_body_len, decrypt: BodyTransform | None = None) -> None:
        if max_body_len < 0:
            raise ValueError("max_body_len must be >= 0")
        self.max_body_len = max_body_len
        self.decrypt = decrypt
        self._buffer = bytearray()
        self._header: tuple[int, int, int, int, int, bytes] | None = None
        self._failed: FrameError | None = None

    @property
    def buffered(self) -> int:
        """Bytes received and not yet returned as frames."""
        return len(self._buffer)

    def receive_data(self, data: bytes) -> None:
        if self._failed is not None:
            raise StreamClosed("stream", None, f"the frame stream already failed: {self._failed.detail}")
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
            raise

    def frames(self, data: bytes = b"") -> list[Frame]:
        """Feed `data` and return every frame now complete."""
        if data:
            self.receive_data(data)
        out = []
        while (frame := self.next_frame()) is not None:
            out.append(frame)
        return out

    def _next(self) -> Frame | None:
        if self._header is None:
            if len(self._buffer) < 2:
                if self._buffer and self._buffer[:1] != MAGIC[:1]:
                    raise BadMagic("magic", bytes(self._buffer[:1]), f"frame starts with {bytes(self._buffer[:1])!r}")
                return None
            if self._buffer[:2] != MAGIC:
                raise BadMagic("magic", bytes(self._buffer[:2]), f"frame starts with {bytes(self._buffer[:2])!r}")
            if len(self._buffer) < HEADER_SIZE:
                return None
            _magic, proto_id, fmt, ver, serial, body_len, digest, _reserved = HEADER.unpack_from(self._buffer)
            if fmt not in KNOWN_FORMATS:
                raise UnknownFormat("protoFmtType", fmt, f"unknown protoFmtType {fmt}")
            if body_len > self.max_body_len:
                raise BodyTooLarge("bodyLen", body_len, f"bodyLen {body_len} is above the cap of {self.max_body_len}")
            del self._buffer[:HEADER_SIZE]
            self._header = (proto_id, fmt, ver, serial, body_len, digest)
        proto_id, fmt, ver, serial, body_len, digest = self._header
        if len(self._buffer) < body_len:
            return None
        wire = bytes(self._buffer[:body_len])
        del self._buffer[:body_len]
        self._header = None
        body = wire
        if self.decrypt is not None:
            try:
                body = self.decrypt(proto_id, wire)
            except FrameError:
                raise
            except Exception as exc:
                raise UndecryptableBody(
                    "body", len(wire), f"cannot decrypt body of protoID {proto_id}: {exc}"
                ) from None
        actual = hashlib.sha1(body).digest()
        if actual != digest:
            raise ChecksumMismatch(
                "bodySHA1", actual.hex(), f"SHA-1 {actual.hex()} of protoID {proto_id} body != header {digest.hex()}"
            )
        return Frame(proto_id=proto_id, serial_no=serial, proto_fmt=fmt, proto_ver=ver, body=body)
