"""Secrets out of a protobuf body without its schema, keeping it a valid message.

Replacing a secret's bytes inside a protobuf body by `[redacted]` would change a
length-delimited field's length and break the message. `redact_protobuf` walks the wire
format instead: a length-delimited field holding a secret is, when its bytes parse as a
message, redacted inside recursively, else treated as a string whose secrets become
`[redacted]`; its length prefix is rewritten. Fields without a secret are copied as they are."""

from __future__ import annotations

from collections.abc import Sequence

from venuewire.capture.format import REDACTED

_MARK = REDACTED.encode("ascii")
_MAX_DEPTH = 32


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """(value, position after it) of the protobuf base-128 varint at `pos` of `data`, the
    value unmasked (an int64's two's complement as the unsigned number on the wire).
    ValueError when it runs past the end of `data` or over 10 bytes. The one varint reader
    of the package: capture redaction walks bodies with it, and the OpenD order-book fast
    path (venuewire.opend.book) reads its lengths and integers with it."""
    result = shift = 0
    end = min(len(data), pos + 10)
    while pos < end:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
    raise ValueError("truncated varint" if pos == len(data) else "varint over 10 bytes")


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _fields(data: bytes) -> list[tuple[bytes, bytes | None, bytes]]:
    """(key bytes, length-delimited value or None, raw rest of the field); ValueError when
    `data` is not a whole protobuf message."""
    out: list[tuple[bytes, bytes | None, bytes]] = []
    pos = 0
    while pos < len(data):
        start = pos
        key, pos = read_varint(data, pos)
        wire_type, number = key & 7, key >> 3
        if number == 0:
            raise ValueError("field number 0")
        key_bytes = data[start:pos]
        if wire_type == 0:
            _, end = read_varint(data, pos)
        elif wire_type == 1:
            end = pos + 8
        elif wire_type == 5:
            end = pos + 4
        elif wire_type == 2:
            length, pos = read_varint(data, pos)
            end = pos + length
            if end > len(data):
                raise ValueError("truncated field")
            out.append((key_bytes, data[pos:end], b""))
            pos = end
            continue
        else:
            raise ValueError(f"wire type {wire_type}")
        if end > len(data):
            raise ValueError("truncated field")
        out.append((key_bytes, None, data[pos:end]))
        pos = end
    return out


def _strip(value: bytes, secrets: Sequence[bytes]) -> bytes:
    for secret in secrets:
        value = value.replace(secret, _MARK)
    return value


def _redact(data: bytes, secrets: Sequence[bytes], depth: int) -> bytes:
    fields = _fields(data)
    out = bytearray()
    for key, value, rest in fields:
        out += key
        if value is None:
            out += rest
            continue
        clean = _redact_field(value, secrets, depth) if any(secret in value for secret in secrets) else value
        out += _encode_varint(len(clean)) + clean
    return bytes(out)


def _redact_field(value: bytes, secrets: Sequence[bytes], depth: int) -> bytes:
    """A length-delimited value holding a secret: a nested message redacted inside, else a string."""
    try:
        clean = _redact(value, secrets, depth + 1) if depth < _MAX_DEPTH else _strip(value, secrets)
    except ValueError:
        return _strip(value, secrets)
    if any(secret in clean for secret in secrets):  # a string that parsed as a message by chance
        return _strip(value, secrets)
    return clean


def redact_protobuf(body: bytes, secrets: Sequence[bytes]) -> bytes:
    """`body` with every secret in it replaced by `[redacted]`, still a valid protobuf
    message when it was one (a body that is not one has its secrets replaced in place)."""
    if not secrets or not any(secret in body for secret in secrets):
        return body
    try:
        return _redact(body, secrets, 0)
    except ValueError:
        return _strip(body, secrets)


__all__ = ["read_varint", "redact_protobuf"]
