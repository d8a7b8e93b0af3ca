"""`venuewire schemas` (every documented message and where it travels) and `venuewire decode`
(one message into its typed form). Neither needs rich."""

from __future__ import annotations

import argparse
import importlib
import sys

from venuewire.cli.common import Commands, add_command, one_line, unknown_venue
from venuewire.cli.venues import ALIASES, KEYS


def _unknown(command: str, venue: str | None) -> bool:
    """True (after one line on stderr naming the right key) when `venue` is not a registry key."""
    if venue is None or venue in KEYS:
        return False
    print(f"venuewire {command}: {unknown_venue(venue, KEYS, ALIASES)}", file=sys.stderr)
    return True


def message_routes() -> dict[tuple[str, str], list[str]]:
    """Where each JSON message travels: "GET /v1/perpum/order (response)", "wss://... (push)"."""
    from venuewire.generated.registry import MESSAGE_ROLES, REST_ENDPOINTS, WS_CHANNELS

    routes: dict[tuple[str, str], list[str]] = {}
    carriers = [(f"{r.method} {r.path}", r) for r in REST_ENDPOINTS] + [(w.url, w) for w in WS_CHANNELS]
    for where, carrier in carriers:
        refs = [(role, getattr(carrier, role, None)) for role in MESSAGE_ROLES]
        for request in getattr(carrier, "requests", ()):  # a WebSocket channel's [[ws.requests]]
            refs += [(f"{request.name} request", request.request), (f"{request.name} reply", request.reply)]
        for role, ref in refs:
            if ref is not None:
                venue, name = ref.split("/", 1)
                routes.setdefault((venue, name), []).append(f"{where} ({role})")
    return routes


def _run_schemas(args: argparse.Namespace) -> int:
    from venuewire.generated.registry import MESSAGES

    if _unknown("schemas", args.venue):
        return 2
    routes = message_routes()
    rows = [("VENUE", "MESSAGE", "SCHEMA", "GENERATED CLASS", "PROTOID / ENDPOINT / CHANNEL")]
    for m in MESSAGES:
        if args.venue and m.venue != args.venue:
            continue
        if m.format == "protobuf":
            where = f"protoID {m.proto_id}" if m.proto_id is not None else "shared type"
        else:
            where = "; ".join(routes.get((m.venue, m.name), [])) or "shared type"
        rows.append((m.venue, m.name, f"schemas/{m.schema}", f"{m.module}.{m.class_name}", where))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    return 0


def add_schemas(group: Commands) -> None:
    command = add_command(
        group,
        "schemas",
        "List every documented message: venue, name, schema file, generated class, and the protoID, "
        "endpoint or channel that carries it.",
        "venuewire schemas --venue coinw",
        _run_schemas,
    )
    command.add_argument("--venue", help=f"only this venue ({', '.join(KEYS)})")


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    with open(source, "rb") as handle:
        return handle.read()


def _hex_or_binary(data: bytes) -> bytes:
    """Frames may be given as hex text (spaces and newlines allowed) or as raw bytes."""
    text = data.strip()
    try:
        return bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return data


def _emit(text: str) -> None:
    """Print `text` to stdout; when the terminal's encoding cannot hold it (e.g.
    PYTHONIOENCODING=ascii and a venue's text in another script), as UTF-8 bytes instead."""
    try:
        print(text)
    except UnicodeEncodeError:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            print(text.encode("ascii", "backslashreplace").decode("ascii"))
            return
        sys.stdout.flush()
        buffer.write(text.encode("utf-8") + b"\n")
        buffer.flush()


def _decode_failed(exc: BaseException) -> int:
    """Bad input: one line on stderr (whatever the error text holds), exit status 2."""
    print(f"venuewire decode: {one_line(exc)}", file=sys.stderr)
    return 2


def _run_decode(args: argparse.Namespace) -> int:
    if _unknown("decode", args.venue):
        return 2
    from google.protobuf import json_format, text_format

    from venuewire.errors import VenueError
    from venuewire.generated.registry import MESSAGES
    from venuewire.messages import decode_json, decode_proto, encode_json
    from venuewire.opend.frame import MAGIC, FrameError, decode_frame

    matches = [m for m in MESSAGES if m.venue == args.venue and m.name == args.message]
    if not matches:
        names = sorted(m.name for m in MESSAGES if m.venue == args.venue)
        print(
            f"venuewire decode: no message {args.message!r} for venue {args.venue!r}; known: {', '.join(names)}",
            file=sys.stderr,
        )
        return 2
    info = matches[0]
    cls = getattr(importlib.import_module(info.module), info.class_name)
    try:
        data = _read_input(args.file)
    except OSError as exc:
        print(f"venuewire decode: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    try:
        if info.format == "protobuf":
            raw = _hex_or_binary(data)
            body = decode_frame(raw).body if raw.startswith(MAGIC) else raw
            message = decode_proto(cls, body)
            if args.json:
                _emit(json_format.MessageToJson(message, preserving_proto_field_name=True, indent=2))
            else:
                _emit(f"{info.venue} {info.name}\n{text_format.MessageToString(message)}".removesuffix("\n"))
        else:
            obj = decode_json(cls, data)
            _emit(encode_json(obj).decode() if args.json else repr(obj))
    except (VenueError, FrameError) as exc:
        return _decode_failed(exc)
    return 0


def add_decode(group: Commands) -> None:
    command = add_command(
        group,
        "decode",
        "Decode one message into its typed form and print it: an OpenD frame or body (hex or binary) "
        "or a JSON payload. Invalid input exits 2 naming the field path.",
        "venuewire decode coinw order_response reply.json --json",
        _run_decode,
    )
    command.add_argument("venue", help=", ".join(KEYS))
    command.add_argument("message", help="message name as `venuewire schemas` lists it, e.g. Qot_GetOrderBook.Response")
    command.add_argument("file", nargs="?", default="-", help="input file, or - for standard input (default)")
    command.add_argument("--json", action="store_true", help="print the typed message as JSON")
