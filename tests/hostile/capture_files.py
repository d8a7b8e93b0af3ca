"""Bad capture files for the hostile tests of `read_capture`, `venuewire check` and
`venuewire replay`: a good header, then records built field by field so that each one breaks
exactly one rule of the format (venuewire.capture.format)."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

from venuewire.capture.format import CAPTURE_FORMAT, CAPTURE_VERSION
from venuewire.generated.registry import WS_BITMART_SPOT_DEPTH, OpenDProtoID
from venuewire.opend.frame import HEADER_SIZE, encode_frame

HEADER = json.dumps({"format": CAPTURE_FORMAT, "version": CAPTURE_VERSION, "started": 0.0, "venuewire": "0"})
DEEP = "[" * 10_000 + "]" * 10_000
OMIT = object()


def record(**fields: Any) -> dict[str, Any]:
    """A well-formed ws-text record of BitMart; `fields` replace (or, as OMIT, remove) fields."""
    out: dict[str, Any] = {
        "seq": 1,
        "mono": 0.5,
        "wall": 1.0,
        "conn": 1,
        "venue": "bitmart",
        "dir": "in",
        "transport": "ws-text",
        "text": "{}",
    }
    out.update(fields)
    return {k: v for k, v in out.items() if v is not OMIT}


def opened(venue: str = "bitmart", url: str = WS_BITMART_SPOT_DEPTH.url, seq: int = 0) -> dict[str, Any]:
    return record(seq=seq, venue=venue, dir="meta", transport="open", text=OMIT, meta={"url": url})


def lines(*records: dict[str, Any]) -> bytes:
    return (HEADER + "\n" + "".join(json.dumps(r) + "\n" for r in records)).encode()


def binary(data: bytes, **fields: Any) -> dict[str, Any]:
    return record(transport="ws-binary", text=OMIT, b64=base64.b64encode(data).decode(), **fields)


def deflated(data: bytes) -> bytes:
    deflater = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return deflater.compress(data) + deflater.flush()


def opend(frame: bytes, direction: str = "in", seq: int = 1) -> dict[str, Any]:
    b64 = base64.b64encode(frame).decode()
    return record(seq=seq, venue="futu", dir=direction, transport="opend", text=OMIT, b64=b64)


def keepalive_reply(serial: int = 7) -> bytes:
    """A whole OpenD KeepAlive reply frame (retType 0 and s2c.time 5)."""
    return encode_frame(int(OpenDProtoID.KeepAlive), serial, b"\x08\x00\x22\x02\x08\x05")


def lying_length(frame: bytes, length: int) -> bytes:
    """`frame` with the body length of its header replaced by `length`."""
    return frame[:12] + length.to_bytes(4, "little") + frame[16:HEADER_SIZE] + frame[HEADER_SIZE:]


def http(transport: str = "http-request", **meta: Any) -> dict[str, Any]:
    """A CoinW HTTP record whose `meta` is `meta`."""
    way = "out" if transport == "http-request" else "in"
    return record(venue="coinw", dir=way, transport=transport, text=OMIT, meta=meta)


def record_line(obj: dict[str, Any]) -> bytes:
    return (HEADER + "\n").encode() + json.dumps(obj).encode() + b"\n"


# Files that are not a capture, or break the format: (name, bytes, what the one line says).
BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "no header line"),
    ("binary", bytes(range(256)) * 8, "not a venuewire capture header"),
    ("another format", b'{"format": "har", "version": 1}\n', "not a venuewire capture"),
    ("a future version", b'{"format": "venuewire-capture", "version": 2}\n', "capture version 2"),
    ("a version that is true", b'{"format": "venuewire-capture", "version": true}\n', "capture version True"),
    ("started not a number", b'{"format": "venuewire-capture", "version": 1, "started": "x"}\n', "'started'"),
    ("header nested 10000 deep", DEEP.encode() + b"\n", "not a venuewire capture header"),
    ("seq a string", lines(record(seq="1")), "'seq' is '1', not an integer"),
    ("seq a float", lines(record(seq=1.5)), "'seq' is 1.5, not an integer"),
    ("seq a boolean", lines(record(seq=True)), "'seq' is True, not an integer"),
    ("seq negative", lines(record(seq=-1)), "'seq' is -1"),
    ("seq missing", lines(record(seq=OMIT)), "no 'seq'"),
    ("mono a string", lines(record(mono="nan")), "'mono' is 'nan', not a number"),
    ("wall a list", lines(record(wall=[1])), "'wall' is list, not a number"),
    ("mono NaN", record_line(record(mono=0.5)).replace(b'"mono": 0.5', b'"mono": NaN'), "'mono' is nan, not a finite"),
    ("wall Infinity", record_line(record(wall=1.0)).replace(b'"wall": 1.0', b'"wall": -Infinity'), "'wall' is -inf"),
    ("mono 1e400", record_line(record(mono=0.5)).replace(b'"mono": 0.5', b'"mono": 1e400'), "'mono' is inf"),
    ("conn an object", lines(record(conn={})), "'conn' is dict, not an integer"),
    ("venue a list", lines(record(venue=["bitmart"])), "'venue' is list, not a string"),
    ("venue null", lines(record(venue=None)), "'venue' is None, not a string"),
    ("dir unknown", lines(record(dir="sideways")), "unknown dir 'sideways'"),
    ("dir a list", lines(record(dir=["in"])), "'dir' is list, not a string"),
    ("transport unknown", lines(record(transport="carrier-pigeon")), "unknown transport 'carrier-pigeon'"),
    ("b64 invalid", lines(record(text=OMIT, b64="!!!not base64")), "'b64' is not base64"),
    ("b64 a number", lines(record(text=OMIT, b64=12)), "'b64' is 12, not a string"),
    ("b64 not ASCII", lines(record(text=OMIT, b64="é")), "'b64' is not base64"),
    ("both text and b64", lines(record(b64="AA==")), "text or b64, not both"),
    ("text a number", lines(record(text=5)), "'text' is 5, not a string"),
    ("text a lone surrogate", record_line(record()).replace(b'"{}"', b'"\\ud800"'), "lone surrogate"),
    ("meta a list", lines(record(meta=[1])), "meta is a JSON object"),
    ("an open URL that does not parse", lines(opened(url="wss://[::1/ws")), "meta 'url' 'wss://[::1/ws' is not a URL"),
    ("an open URL with port 99999", lines(opened(url="wss://h:99999/ws")), "is not a URL (Port out of range"),
    ("an open URL that is a number", lines(opened() | {"meta": {"url": 5}}), "meta 'url' is 5, not a string"),
    ("an HTTP target that does not parse", lines(http(target="http://[x/y")), "meta 'target' 'http://[x/y'"),
    ("an HTTP method that is a list", lines(http(method=["GET"])), "meta 'method' is list, not a string"),
    ("HTTP headers that are a string", lines(http(headers="a: b")), "meta 'headers' is 'a: b', not an object"),
    ("an HTTP status that is a string", lines(http("http-response", status="200")), "meta 'status' is '200'"),
    ("an HTTP request seq that is null", lines(http("http-response", request=None)), "meta 'request' is None"),
    ("an OpenD proto_id that is a float", lines(opend(keepalive_reply()) | {"meta": {"proto_id": 1.5}}), "'proto_id'"),
    ("a record that is a list", (HEADER + "\n[1, 2]\n").encode(), "a record is a JSON object"),
    ("a line that is not JSON", (HEADER + "\nnot json\n").encode(), "line 2 is not JSON"),
    ("a NUL line", (HEADER + "\n\x00\x00\n").encode(), "line 2 is not JSON"),
    ("records out of seq order", lines(record(seq=5), record(seq=2)), "seq 2 after seq 5 (records out of order)"),
    ("a seq repeated", lines(record(seq=3), record(seq=3)), "seq 3 after seq 3"),
    ("a record nested 10000 deep", (HEADER + "\n" + DEEP + "\n").encode(), "line 2 is nested too deep"),
    ("meta nested 10000 deep", record_line(record(meta={})).replace(b'"meta": {}', f'"meta": {DEEP}'.encode()), "deep"),
    ("invalid UTF-8 in text", record_line(record()).replace(b'"{}"', b'"\xff\xfe"'), "line 2 is not UTF-8"),
]
"""Each is refused by read_capture with a CaptureFormatError, and by check and replay with exit 2."""


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / (name.replace(" ", "-") + ".jsonl")
    path.write_bytes(data)
    return path
