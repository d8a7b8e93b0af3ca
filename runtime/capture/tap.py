"""Where a client's recording starts: the `capture=` parameter, the environment variable, and
the `Tap` the transport layer writes each message through.

`capture=` on every client is a path (a new file; when it exists, a new file beside it with a
numeric suffix: `run.jsonl`, `run-1.jsonl`, `run-2.jsonl`, ...), or a `CaptureWriter` to
share one file between clients (its owner closes it). Without it, `VENUEWIRE_CAPTURE=path`
records every client of the process into one file, opened on first use the same way and
closed at exit. A client closes a writer it opened itself when it is closed.

A `Tap` is one client's handle: its venue, the writer, and the secrets it registered (each
also in its hex and base64 forms), which the writer removes before anything reaches the disk.
With capture off a client holds None, and the transport's hooks are one `if` each."""

from __future__ import annotations

import atexit
import base64
import dataclasses
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeAlias

from venuewire.capture.format import CaptureFormatError, CaptureWriter, Direction
from venuewire.capture.protowire import redact_protobuf
from venuewire.credentials import Secret

log = logging.getLogger("venuewire.capture")

ENV_VAR = "VENUEWIRE_CAPTURE"
"""The environment variable that turns recording on for every client of a process."""

CaptureTarget: TypeAlias = "str | os.PathLike[str] | CaptureWriter | None"

_MAX_SUFFIX = 10_000


def new_capture(path: str | os.PathLike[str]) -> CaptureWriter:
    """A writer on a new file at `path`, or, when that exists, on the first free
    `stem-N.suffix` beside it (never appending to or overwriting another session's file)."""
    first = Path(path)
    for n in range(_MAX_SUFFIX):
        candidate = first if n == 0 else first.with_name(f"{first.stem}-{n}{first.suffix}")
        if candidate.exists():
            continue
        try:
            return CaptureWriter(candidate)
        except CaptureFormatError:  # created by someone else meanwhile: the next number
            continue
    raise FileExistsError(f"{first}: no free capture file name beside it")


_process_lock = threading.Lock()
_process: dict[str, tuple[int, CaptureWriter]] = {}
"""The environment variable's writer, by path: (the pid that opened it, the writer)."""
_unwritable: set[str] = set()
"""Environment variable paths that could not be opened (warned about once)."""


def process_capture() -> CaptureWriter | None:
    """The process's writer when `VENUEWIRE_CAPTURE` is set (opened on first use, closed at
    exit; a forked child opens its own), else None. A path that cannot be opened (a folder
    that does not exist, no permission) logs one warning and turns recording off: the program
    runs as it would without the variable."""
    target = os.environ.get(ENV_VAR, "")
    if not target:
        return None
    with _process_lock:
        opened = _process.get(target)
        if opened is not None and opened[0] == os.getpid():
            return opened[1]
        if target in _unwritable:
            return None
        try:
            writer = new_capture(target)
        except OSError as exc:  # the program runs as it would without the variable
            _unwritable.add(target)
            log.warning("%s=%s: cannot record there (%s); recording is off", ENV_VAR, target, exc)
            return None
        _process[target] = (os.getpid(), writer)
        atexit.register(writer.close)
        return writer


def secret_forms(secret: str | bytes | Secret) -> list[bytes]:
    """A secret as it may appear on the wire: itself, its hex and its base64 (with and without padding)."""
    value = secret.reveal() if isinstance(secret, Secret) else secret
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if not raw:
        return []
    b64 = base64.b64encode(raw)
    return [raw, raw.hex().encode("ascii"), raw.hex().upper().encode("ascii"), b64, b64.rstrip(b"=")]


class Tap:
    """One client's recording into `writer` (see the module doc); `owned`: the client opened
    the writer and closes it with `close()`."""

    __slots__ = ("owned", "venue", "writer")

    def __init__(self, writer: CaptureWriter, venue: str, *, owned: bool) -> None:
        self.writer = writer
        self.venue = venue
        self.owned = owned

    @classmethod
    def open(cls, capture: CaptureTarget, venue: str, secrets: Iterable[str | bytes | Secret] = ()) -> Tap | None:
        """The client's tap for `capture=` (a path or a writer; None: the environment
        variable's, or no recording), with `secrets` registered."""
        if isinstance(capture, CaptureWriter):
            tap = cls(capture, venue, owned=False)
        elif capture is None:
            shared = process_capture()
            if shared is None:
                return None
            tap = cls(shared, venue, owned=False)
        elif isinstance(capture, str | os.PathLike):
            tap = cls(new_capture(capture), venue, owned=True)
        else:
            raise TypeError(f"capture must be a path or a CaptureWriter, got {type(capture).__name__}")
        for secret in secrets:
            tap.secret(secret)
        return tap

    def __repr__(self) -> str:
        state = "" if self.failed is None else ", failed"
        return f"Tap({self.venue!r}, {str(self.writer.path)!r}{state})"

    @property
    def failed(self) -> OSError | None:
        """Why the recording stopped early (a full disk, ...), None while it runs: the client
        itself goes on (see `CaptureWriter`)."""
        return self.writer.failed

    def secret(self, secret: str | bytes | Secret | None) -> None:
        """Never write `secret` (nor its hex or base64 forms) from now on."""
        if secret is None:
            return
        for form in secret_forms(secret):
            self.writer.add_secret(form)

    def opened(self, url: str) -> int:
        """A new connection to `url` (its query is written only after redaction): its id."""
        return self.writer.connection(self.venue, url)

    def closed(self, conn: int, reason: str = "") -> None:
        self.writer.close_connection(conn, self.venue, reason)

    def ws(self, conn: int, direction: Direction, frame: str | bytes) -> None:
        """One WebSocket message, text or binary, exactly as it crossed the wire."""
        if isinstance(frame, str):
            self.writer.write(conn, self.venue, direction, "ws-text", frame.encode("utf-8"))
        else:
            self.writer.write(conn, self.venue, direction, "ws-binary", frame)

    def http_request(self, conn: int, method: str, target: str, headers: Mapping[str, str], body: bytes | None) -> int:
        """One HTTP request (target: path and query as sent); its `seq`, for the response."""
        meta = {"method": method, "target": target, "headers": dict(headers)}
        return self.writer.write(conn, self.venue, "out", "http-request", body or b"", meta=meta)

    def http_response(self, conn: int, request: int, status: int, headers: Mapping[str, str], body: bytes) -> None:
        meta = {"status": status, "headers": dict(headers), "request": request}
        self.writer.write(conn, self.venue, "in", "http-response", body, meta=meta)

    def opend(  # noqa: PLR0917 - one OpenD frame's parts (`venuewire.opend.protocol.FrameHook` after `conn`)
        self, conn: int, direction: str, header: bytes, proto_id: int, serial: int, body: bytes
    ) -> None:
        """One whole OpenD frame: its 44-byte header as it crossed the wire, and its body
        in the clear (decrypted when the session is encrypted)."""
        meta = {"proto_id": proto_id, "serial": serial}
        clean = redact_protobuf(body, self.writer.secrets)
        way: Direction = "out" if direction == "out" else "in"
        self.writer.write(conn, self.venue, way, "opend", header + clean, meta=meta)

    def close(self) -> None:
        """Close the writer when the client opened it (a shared one is its owner's)."""
        if self.owned:
            self.writer.close()


def secret_headers(tap: Tap, scheme: str, headers: Mapping[str, str], timestamp: str) -> None:
    """Register the values of auth scheme `scheme`'s headers in `headers` (the signature, the
    key) with `tap`; the timestamp is no secret and stays readable."""
    from venuewire.generated.registry import AUTH_SCHEMES

    auth = AUTH_SCHEMES.get(scheme)
    for name in auth.headers if auth is not None else ():
        value = headers.get(name)
        if value and value != timestamp:
            tap.secret(value)


def credential_secrets(credentials: object) -> list[str | Secret]:
    """Every field of a `venuewire.credentials` object (keys, secrets, memos): none is recorded."""
    if credentials is None or not dataclasses.is_dataclass(credentials) or isinstance(credentials, type):
        return []
    values = (getattr(credentials, f.name) for f in dataclasses.fields(credentials))
    return [v for v in values if isinstance(v, str | Secret)]


def open_tap(
    capture: CaptureTarget, venue: str, credentials: object = None, secrets: Iterable[str | bytes | Secret] = ()
) -> Tap | None:
    """`Tap.open` for a client: `credentials`' fields and `secrets` registered."""
    return Tap.open(capture, venue, [*credential_secrets(credentials), *secrets])


__all__ = [
    "ENV_VAR",
    "CaptureTarget",
    "Tap",
    "credential_secrets",
    "new_capture",
    "open_tap",
    "process_capture",
    "secret_forms",
    "secret_headers",
]
