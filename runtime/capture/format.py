"""The capture file: JSON Lines, version 1, append-only.

Why JSON Lines: one record per line is append-only by construction (a crash loses at most the
line being written, and the reader stops at the last whole line), `jq`, `grep` and any JSON
library read it, and it diffs line by line. Bytes that are not guaranteed text are base64.

Line 1 is the header, every other line one record:

    {"format": "venuewire-capture", "version": 1, "started": 1764806400.25, "venuewire": "0.1.0"}
    {"seq": 0, "mono": 0.0012, "wall": 1764806400.2512, "conn": 1, "venue": "bitmart",
     "dir": "meta", "transport": "open", "meta": {"url": "wss://..."}}
    {"seq": 1, "mono": 0.0031, "wall": ..., "conn": 1, "venue": "bitmart", "dir": "out",
     "transport": "ws-text", "text": "{\"op\":\"subscribe\",...}"}
    {"seq": 2, ..., "dir": "in", "transport": "ws-binary", "b64": "eJyrVk..."}

- `seq`: 0, 1, 2, ... in write order. `mono`: seconds since the writer opened (monotonic clock);
  `wall`: Unix seconds. `conn`: the connection id, from `CaptureWriter.connection()`.
- `dir`: "out" (client to venue), "in" (venue to client), "meta" (open and close records).
- `transport`: "open" and "close" (a connection's life; `meta.url`, and `meta.reason` on close),
  "opend" (one whole OpenD frame: the 44-byte header and the body, the body decrypted when the
  session is encrypted; `meta` may carry `proto_id`, `serial`), "ws-text", "ws-binary",
  "http-request" (`meta`: `method`, `target` = path and query, `headers`), "http-response"
  (`meta`: `status`, `headers`; the record's `conn` and `meta.request` = the request's `seq`).
- The data is in `text` when it is valid UTF-8 and the transport is text (ws-text, and HTTP
  bodies that decode as UTF-8), else in `b64`; never both. An empty body has neither.

Secrets are removed before a record is written (`CaptureWriter(redact=...)` replaces each
literal secret, in data, metadata and header values, by `[redacted]`), so they never reach the
disk. A new field in a record or the header is a compatible change (readers ignore it); a change
of meaning raises `version`, and `read_capture` refuses a version it does not know.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import math
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, get_args
from urllib.parse import urlsplit

log = logging.getLogger("venuewire.capture")

CAPTURE_FORMAT = "venuewire-capture"
CAPTURE_VERSION = 1
REDACTED = "[redacted]"
MAX_LINE = 64 * 1024 * 1024
"""The longest line `read_capture` reads (a record's data is base64 or JSON-escaped in it)."""
_SHOWN = 60

Direction = Literal["out", "in", "meta"]
Transport = Literal["open", "close", "opend", "ws-text", "ws-binary", "http-request", "http-response"]
_DIRECTIONS = frozenset(get_args(Direction))
_TRANSPORTS = frozenset(get_args(Transport))
_TEXT_TRANSPORTS = frozenset({"ws-text", "http-request", "http-response"})


class CaptureFormatError(ValueError):
    """A capture file that is not a venuewire capture, or a record that breaks the format."""


@dataclass(frozen=True, slots=True)
class CaptureHeader:
    version: int
    started: float
    venuewire: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Record:
    seq: int
    mono: float
    wall: float
    conn: int
    venue: str
    direction: Direction
    transport: Transport
    data: bytes = b""
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "seq": self.seq,
            "mono": self.mono,
            "wall": self.wall,
            "conn": self.conn,
            "venue": self.venue,
            "dir": self.direction,
            "transport": self.transport,
        }
        if self.data:
            text = _as_text(self.data) if self.transport in _TEXT_TRANSPORTS else None
            if text is not None:
                out["text"] = text
            else:
                out["b64"] = base64.b64encode(self.data).decode("ascii")
        if self.meta:
            out["meta"] = dict(self.meta)
        return out

    @classmethod
    def from_json(cls, obj: object, line: int) -> Record:
        """The record of JSON object `obj` (line `line` of its file); every field of its
        declared type, else a `CaptureFormatError` naming the line and the field."""
        if not isinstance(obj, dict):
            raise CaptureFormatError(f"line {line}: a record is a JSON object")

        def bad(detail: str) -> CaptureFormatError:
            return CaptureFormatError(f"line {line}: bad record: {detail}")

        def need(name: str, kinds: tuple[type, ...], what: str) -> Any:
            if name not in obj:
                raise bad(f"no {name!r}")
            value = obj[name]
            if isinstance(value, bool) or not isinstance(value, kinds):
                raise bad(f"{name!r} is {_shown(value)}, not {what}")
            return value

        seq = need("seq", (int,), "an integer")
        if seq < 0:
            raise bad(f"'seq' is {seq}, not 0 or more")
        mono, wall = (float(need(name, (int, float), "a number")) for name in ("mono", "wall"))
        for name, value in (("mono", mono), ("wall", wall)):
            if not math.isfinite(value):
                raise bad(f"{name!r} is {value}, not a finite number")
        conn = need("conn", (int,), "an integer")
        venue = need("venue", (str,), "a string")
        direction = need("dir", (str,), "a string")
        transport = need("transport", (str,), "a string")
        if direction not in _DIRECTIONS:
            raise CaptureFormatError(f"line {line}: unknown dir {_shown(direction)}")
        if transport not in _TRANSPORTS:
            raise CaptureFormatError(f"line {line}: unknown transport {_shown(transport)}")
        if "text" in obj and "b64" in obj:
            raise CaptureFormatError(f"line {line}: a record has text or b64, not both")
        data = b""
        if "text" in obj:
            text = need("text", (str,), "a string")
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError:
                raise bad("'text' is not valid UTF-8 (a lone surrogate)") from None
        elif "b64" in obj:
            encoded = need("b64", (str,), "a string")
            try:
                data = base64.b64decode(encoded, validate=True)
            except ValueError:  # binascii.Error, and a non-ASCII string
                raise bad("'b64' is not base64") from None
        meta = obj.get("meta", {})
        if not isinstance(meta, dict):
            raise CaptureFormatError(f"line {line}: meta is a JSON object")
        problem = _meta_problem(transport, meta)
        if problem:
            raise bad(problem)
        return cls(
            seq=seq,
            mono=mono,
            wall=wall,
            conn=conn,
            venue=venue,
            direction=direction,
            transport=transport,
            data=data,
            meta=meta,
        )


_META_TYPES: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "open": {"url": ((str,), "a string")},
    "close": {"reason": ((str,), "a string")},
    "http-request": {"method": ((str,), "a string"), "target": ((str,), "a string"), "headers": ((dict,), "an object")},
    "http-response": {
        "status": ((int,), "an integer"),
        "request": ((int,), "an integer"),
        "headers": ((dict,), "an object"),
    },
    "opend": {"proto_id": ((int,), "an integer"), "serial": ((int,), "an integer")},
}
"""The `meta` keys each transport's readers use, and their types (other keys are free)."""
_URL_KEYS = ("url", "target")


def _meta_problem(transport: str, meta: Mapping[str, Any]) -> str:
    """Why `meta` of a `transport` record is unusable (a key of the wrong type, a URL that does
    not parse), or ""."""
    for name, (kinds, what) in _META_TYPES.get(transport, {}).items():
        if name not in meta:
            continue
        value = meta[name]
        if isinstance(value, bool) or not isinstance(value, kinds):
            return f"meta {name!r} is {_shown(value)}, not {what}"
        if name in _URL_KEYS and isinstance(value, str):
            try:
                _ = urlsplit(value).port  # the port too: it is parsed on use
            except ValueError as exc:
                return f"meta {name!r} {_shown(value)} is not a URL ({exc})"
    return ""


def _shown(value: object) -> str:
    """A value of a bad record, short enough for one line of an error."""
    text = repr(value) if isinstance(value, str | int | float | bool) or value is None else type(value).__name__
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def _as_text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True, slots=True)
class Capture:
    """A read capture: its header, its whole records, and whether the file ended mid-record."""

    path: Path
    header: CaptureHeader
    records: tuple[Record, ...]
    truncated: bool

    def connections(self) -> dict[int, list[Record]]:
        out: dict[int, list[Record]] = {}
        for record in self.records:
            out.setdefault(record.conn, []).append(record)
        return out


def read_capture(path: str | os.PathLike[str]) -> Capture:
    """Read a capture. A last line cut short (no newline, or not JSON) is dropped and reported
    as `truncated`; anything else that breaks the format (a bad line, a line longer than
    `MAX_LINE` bytes, records out of `seq` order) is a `CaptureFormatError` naming the file
    and the line. An unreadable file is the `OSError` of `open`."""
    file = Path(path)
    records: list[Record] = []
    truncated = False
    with file.open("rb") as stream:
        first = _line(stream, file, 1)
        if first is None or not first.endswith(b"\n"):
            raise CaptureFormatError(f"{file}: no header line")
        header = _header(first, file)
        number = 1
        while (line := _line(stream, file, number + 1)) is not None:
            number += 1
            if not line.endswith(b"\n"):
                truncated = True  # the last line has no newline: a write cut short
                break
            try:
                obj = json.loads(line)
            except RecursionError:
                raise CaptureFormatError(f"{file}: line {number} is nested too deep") from None
            except UnicodeDecodeError:
                raise CaptureFormatError(f"{file}: line {number} is not UTF-8") from None
            except ValueError as exc:
                detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise CaptureFormatError(f"{file}: line {number} is not JSON ({detail})") from None
            try:
                record = Record.from_json(obj, number)
            except CaptureFormatError as exc:
                raise CaptureFormatError(f"{file}: {exc}") from None
            if records and record.seq <= records[-1].seq:
                raise CaptureFormatError(
                    f"{file}: line {number}: seq {record.seq} after seq {records[-1].seq} (records out of order)"
                )
            records.append(record)
    return Capture(path=file, header=header, records=tuple(records), truncated=truncated)


def read_problem(path: str | os.PathLike[str], error: OSError | CaptureFormatError) -> str:
    """One line saying why `read_capture(path)` failed: a format error names the file and the
    line itself, an `OSError` gets the file's name."""
    if isinstance(error, CaptureFormatError):
        return " ".join(str(error).split())
    return f"{path}: {error.strerror or type(error).__name__}"


def _line(stream: IO[bytes], file: Path, number: int) -> bytes | None:
    """The next line (with its newline; without one at the end of the file), None at the end."""
    line = stream.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise CaptureFormatError(f"{file}: line {number} is longer than {MAX_LINE} bytes")
    return line or None


def _header(line: bytes, file: Path) -> CaptureHeader:
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        raise CaptureFormatError(f"{file}: line 1 is not a venuewire capture header") from None
    if not isinstance(obj, dict) or obj.get("format") != CAPTURE_FORMAT:
        raise CaptureFormatError(f"{file}: not a venuewire capture (line 1 has no format {CAPTURE_FORMAT!r})")
    version = obj.get("version")
    if type(version) is not int or version != CAPTURE_VERSION:
        raise CaptureFormatError(
            f"{file}: capture version {_shown(version)}; this venuewire reads version {CAPTURE_VERSION}"
        )
    started = obj.get("started", 0.0)
    if isinstance(started, bool) or not isinstance(started, int | float):
        raise CaptureFormatError(f"{file}: line 1: 'started' is {_shown(started)}, not a number")
    known = {"format", "version", "started", "venuewire"}
    return CaptureHeader(
        version=CAPTURE_VERSION,
        started=float(started),
        venuewire=str(obj.get("venuewire", "")),
        extra={k: v for k, v in obj.items() if k not in known},
    )


class CaptureWriter:
    """Appends records to one capture file, one flushed line each; safe to share between threads.

    `redact`: literal secrets (API keys, secrets, signatures, passwords) replaced by `[redacted]`
    in every record before it is written; `add_secret` adds one later (a signature made per
    request, a session key).

    A write that fails (a full disk, a file gone) never reaches the client that records: the
    writer logs one warning, closes the file, keeps the error in `failed` and drops every
    later record (`write` returns -1). The file stays a valid capture up to its last whole
    line (a line cut by the failure reads as `truncated`)."""

    def __init__(self, path: str | os.PathLike[str], redact: Iterable[str | bytes] = ()) -> None:
        from venuewire import __version__

        self.path = Path(path)
        self._lock = threading.Lock()
        self._secrets: list[bytes] = []
        for secret in redact:
            self.add_secret(secret)
        self._seq = 0
        self._conn = 0
        self._t0 = time.monotonic()
        self.failed: OSError | None = None
        """Why recording stopped early (None while it runs, and after a normal `close`)."""
        try:
            self._file: IO[bytes] | None = self.path.open("xb")
        except FileExistsError:
            raise CaptureFormatError(f"{self.path}: exists; a capture is one new file per session") from None
        header = {
            "format": CAPTURE_FORMAT,
            "version": CAPTURE_VERSION,
            "started": time.time(),
            "venuewire": __version__,
        }
        self._write_line(header)
        if self.failed is not None:
            raise self.failed

    def add_secret(self, secret: str | bytes) -> None:
        value = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
        if len(value) >= 4 and value not in self._secrets:
            self._secrets.append(value)
            self._secrets.sort(key=len, reverse=True)

    @property
    def secrets(self) -> tuple[bytes, ...]:
        """The registered secrets, longest first."""
        return tuple(self._secrets)

    def connection(self, venue: str, url: str) -> int:
        """A new connection id, written as an `open` record."""
        with self._lock:
            self._conn += 1
            conn = self._conn
        self.write(conn, venue, "meta", "open", meta={"url": url})
        return conn

    def close_connection(self, conn: int, venue: str, reason: str = "") -> None:
        self.write(conn, venue, "meta", "close", meta={"reason": reason} if reason else {})

    def write(
        self,
        conn: int,
        venue: str,
        direction: Direction,
        transport: Transport,
        data: bytes = b"",
        *,
        meta: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one record; returns its `seq`. After `close()` records are dropped (returns -1)."""
        clean_data = self._redact_bytes(data)
        clean_meta = self._redact_value(dict(meta or {}))
        with self._lock:
            if self._file is None:
                return -1
            seq = self._seq
            self._seq += 1
            record = Record(
                seq=seq,
                mono=round(time.monotonic() - self._t0, 6),
                wall=time.time(),
                conn=conn,
                venue=venue,
                direction=direction,
                transport=transport,
                data=clean_data,
                meta=clean_meta,
            )
            self._write_line_locked(record.to_json())
            return seq if self._file is not None else -1

    def _redact_bytes(self, data: bytes) -> bytes:
        for secret in self._secrets:
            if secret in data:
                data = data.replace(secret, REDACTED.encode("ascii"))
        return data

    def _redact_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._redact_bytes(value.encode("utf-8")).decode("utf-8", "replace")
        if isinstance(value, bytes):
            return self._redact_bytes(value).decode("utf-8", "replace")
        if isinstance(value, Mapping):
            return {str(k): self._redact_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._redact_value(v) for v in value]
        return value

    def _write_line(self, obj: Mapping[str, Any]) -> None:
        with self._lock:
            self._write_line_locked(obj)

    def _write_line_locked(self, obj: Mapping[str, Any]) -> None:
        if self._file is None:
            return
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        try:
            self._file.write(line)
            self._file.flush()
        except (OSError, ValueError) as exc:  # ValueError: the file was closed under us
            self._fail(exc if isinstance(exc, OSError) else OSError(str(exc)))

    def _fail(self, error: OSError) -> None:
        """Stop recording after a failed write (the lock is held): one warning, the file closed."""
        self.failed = error
        file, self._file = self._file, None
        log.warning("capture to %s stopped: %s; the client goes on without recording", self.path, error)
        if file is not None:
            with contextlib.suppress(OSError, ValueError):
                file.close()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                file, self._file = self._file, None
                try:
                    file.close()
                except (OSError, ValueError) as exc:  # the last flush failed
                    self._file = file
                    self._fail(exc if isinstance(exc, OSError) else OSError(str(exc)))

    def __enter__(self) -> CaptureWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def iter_records(capture: Capture, venue: str | None = None) -> Iterator[Record]:
    """The records of one venue (all when None), in `seq` order."""
    for record in capture.records:
        if venue is None or record.venue == venue:
            yield record
