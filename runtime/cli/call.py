"""`venuewire call VENUE NAME [ARGS...]`: send any message the registry declares, print the reply.

What can be called is read from the registry and the generated modules, never listed here:

- REST endpoints (`[[rest]]`, `venuewire.generated.registry.REST_ENDPOINTS`) by their `name`,
  sent through the generated typed method of the venue's client (generated/<venue>/api.py);
  a JSON body's parameters are the fields of its generated body class.
- OpenD request protocols (`[[opend.protocols]]` with a proto file,
  `venuewire.generated.futu.dispatch.REQUESTS`) by message name: the arguments are the fields
  of its C2S (protobuf JSON mapping), sent through `OpenDClient.request`.
- WebSocket requests (`[[ws.requests]]`) by name, through the generated typed method
  (generated/<venue>/ws_api.py).

Arguments: one JSON object, or key=value pairs whose values are read as JSON when they parse
and as text otherwise. The reply prints as tables (rich when installed, plain text otherwise)
or, with `--json`, as JSON whose exact numbers (Decimals, integers beyond 2**53) are text.
Exit codes: 0 a reply; 1 the venue, the connection or the simulator failed (one line naming
the error's class, venue, message and field); 2 an unknown venue or name ("did you mean"),
or arguments that do not fit the message (naming the field).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import difflib
import importlib
import inspect
import json
import sys
import types
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import msgspec

from venuewire.cli.common import CommandFailed, Commands, add_command, one_line, positive_seconds, quiet_logging
from venuewire.cli.venues import ALIASES, BY_KEY, KEYS, VenueTool

__all__ = ["EXACT_INT", "Param", "Target", "add_call", "targets", "to_plain"]

EXACT_INT: Final = 2**53
"""Integers at or beyond this (in magnitude) print as text in --json: a double cannot hold them."""

WIDE_COLUMNS: Final = 8
"""A list of objects with more keys than this prints one field | value table per object."""

_NO_TEXT: Final = object()


class BadArguments(Exception):
    """Arguments that do not fit the message: `field` names the one at fault."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class Param:
    """One parameter of a callable name: its `name`, `type` (as text) and whether it is required."""

    name: str
    type: str
    required: bool

    def text(self) -> str:
        return f"{self.name}: {self.type}" + ("" if self.required else " (optional)")


@dataclass(frozen=True)
class Target:
    """One name `venuewire call VENUE NAME` sends: `kind` says what it is on the wire,
    `params` what it takes; `send(client, args)` sends it (args: name -> (value, text or
    _NO_TEXT)) and returns the typed reply."""

    venue: str
    name: str
    kind: str
    params: tuple[Param, ...]
    send: Callable[[Any, Mapping[str, tuple[Any, object]]], Awaitable[Any]]


# --- arguments ---------------------------------------------------------------------------------


def parse_arguments(words: Sequence[str]) -> dict[str, tuple[Any, object]]:
    """One JSON object, or key=value words: name -> (value, the text as typed or _NO_TEXT)."""
    if len(words) == 1 and words[0].lstrip().startswith("{"):
        try:
            loaded = json.loads(words[0], parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise BadArguments("(arguments)", f"not a JSON object: {exc}") from None
        if not isinstance(loaded, dict):
            raise BadArguments("(arguments)", "not a JSON object")
        return {str(k): (v, _NO_TEXT) for k, v in loaded.items()}
    out: dict[str, tuple[Any, object]] = {}
    for word in words:
        key, sep, text = word.partition("=")
        if not sep or not key:
            raise BadArguments(word, "arguments are one JSON object or key=value pairs")
        if key in out:
            raise BadArguments(key, "given twice")
        try:
            value: Any = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError:
            value = text
        out[key] = (value, text)
    return out


def _check_names(args: Mapping[str, object], params: Sequence[Param]) -> None:
    known = {p.name for p in params}
    for key in args:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            names = ", ".join(p.name for p in params) or "none"
            raise BadArguments(key, f"not a parameter{hint} (parameters: {names})")
    for p in params:
        if p.required and p.name not in args:
            raise BadArguments(p.name, f"required ({p.type})")


def _jsonable(value: Any) -> Any:
    """A parsed argument as builtins msgspec and protobuf accept (Decimals stay exact as text)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _convert(name: str, value: Any, text: object, kind: Any) -> Any:
    """`value` as `kind` (lenient: "10" is a Decimal, 10 an int); the typed text instead when
    the parsed value does not fit (a `str` parameter given `123`)."""
    errors = []
    for candidate in (_jsonable(value), text):
        if candidate is _NO_TEXT:
            continue
        try:
            return msgspec.convert(candidate, kind, strict=False)
        except (msgspec.ValidationError, TypeError) as exc:
            errors.append(str(exc))
    raise BadArguments(name, errors[0] if errors else "does not fit")


def _type_text(kind: Any) -> str:
    """A parameter's type as a user reads it: `str`, `Decimal`, `long|short`, `[int]`."""
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return _type_text(typing.get_args(kind)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(kind) if a not in (type(None), msgspec.UnsetType)]
        return " | ".join(_type_text(a) for a in members)
    if origin in (list, tuple):
        return f"[{_type_text(typing.get_args(kind)[0])}]"
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "|".join(str(m.value) for m in kind)
    return getattr(kind, "__name__", None) or str(kind)


# --- typed methods (REST and WebSocket requests) -------------------------------------------------


def _method_of(module: str, name: str) -> Callable[..., Any]:
    """The generated method `name` of the API class in `module` (venuewire.generated.<venue>.*)."""
    loaded = importlib.import_module(module)
    for value in vars(loaded).values():
        if isinstance(value, type) and value.__module__ == loaded.__name__ and name in vars(value):
            method: Callable[..., Any] = vars(value)[name]
            return method
    raise LookupError(f"{module} has no method {name}")


def _method_target(venue: str, name: str, kind: str, module: str) -> Target:
    method = _method_of(module, name)
    hints = typing.get_type_hints(method)
    signature = inspect.signature(method)
    parameters = [p for p in signature.parameters.values() if p.name != "self"]
    body = hints.get("body")
    if isinstance(body, type) and issubclass(body, msgspec.Struct):
        # A JSON body's fields are parameters of their own, beside the method's others (a path
        # parameter such as Infoway's `market`).
        body_type = body
        others = [p for p in parameters if p.name != "body"]
        fields = msgspec.structs.fields(body_type)
        plain = tuple(
            Param(p.name, _type_text(hints.get(p.name, Any)), p.default is inspect.Parameter.empty) for p in others
        )
        clash = {p.name for p in plain} & {f.encode_name for f in fields}
        if clash:
            raise LookupError(f"{venue} {name}: body fields {sorted(clash)} clash with the method's parameters")
        params = plain + tuple(Param(f.encode_name, _type_text(f.type), f.required) for f in fields)

        async def send_body(client: Any, args: Mapping[str, tuple[Any, object]]) -> Any:
            _check_names(args, params)
            values = {
                f.name: _convert(f.encode_name, *args[f.encode_name], f.type) for f in fields if f.encode_name in args
            }
            kwargs = {p.name: _convert(p.name, *args[p.name], hints.get(p.name, Any)) for p in others if p.name in args}
            return await method(client, body=body_type(**values), **kwargs)

        return Target(venue, name, kind, params, send_body)
    params = tuple(
        Param(p.name, _type_text(hints.get(p.name, Any)), p.default is inspect.Parameter.empty) for p in parameters
    )

    async def send(client: Any, args: Mapping[str, tuple[Any, object]]) -> Any:
        _check_names(args, params)
        values = {p.name: _convert(p.name, *args[p.name], hints.get(p.name, Any)) for p in parameters if p.name in args}
        return await method(client, **values)

    return Target(venue, name, kind, params, send)


# --- OpenD request protocols -------------------------------------------------------------------


def _proto_type(field: Any) -> str:
    from google.protobuf.descriptor import FieldDescriptor

    if field.message_type is not None:
        base = field.message_type.name
    elif field.enum_type is not None:
        base = field.enum_type.name
    else:
        base = {
            FieldDescriptor.TYPE_STRING: "string",
            FieldDescriptor.TYPE_BOOL: "bool",
            FieldDescriptor.TYPE_DOUBLE: "double",
            FieldDescriptor.TYPE_FLOAT: "float",
            FieldDescriptor.TYPE_BYTES: "bytes",
        }.get(field.type, "int64" if field.type in (3, 4, 16, 18) else "int32")
    return f"[{base}]" if _repeated(field) else base


def _repeated(field: Any) -> bool:
    return bool(field.is_repeated)


def _opend_target(route: Any) -> Target:
    from google.protobuf import json_format
    from google.protobuf.descriptor import FieldDescriptor

    c2s_field = route.request.DESCRIPTOR.fields_by_name.get("c2s")
    fields = c2s_field.message_type.fields if c2s_field is not None else ()
    params = tuple(Param(f.name, _proto_type(f), bool(f.is_required)) for f in fields)
    by_name = {f.name: f for f in fields}

    async def send(client: Any, args: Mapping[str, tuple[Any, object]]) -> Any:
        _check_names(args, params)
        c2s: dict[str, Any] = {}
        for key, (value, text) in args.items():
            field = by_name[key]
            scalar_text = field.type == FieldDescriptor.TYPE_STRING and not _repeated(field)
            c2s[key] = text if scalar_text and text is not _NO_TEXT else _jsonable(value)
        message = route.request()
        try:
            json_format.ParseDict({"c2s": c2s} if c2s_field is not None else {}, message)
        except json_format.ParseError as exc:
            raise BadArguments(_proto_field(str(exc), by_name), one_line(exc)) from None
        missing = message.FindInitializationErrors()
        if missing:
            raise BadArguments(missing[0].removeprefix("c2s."), f"required; missing: {', '.join(missing)}")
        response = await client.request(message)
        return response.s2c if response.HasField("s2c") else response

    return Target("futu", route.name, f"OpenD request {route.proto_id}", params, send)


def _proto_field(text: str, fields: Mapping[str, object]) -> str:
    """The first C2S field a protobuf ParseError names (else the message as a whole)."""
    for word in text.replace('"', " ").replace(".", " ").replace(":", " ").split():
        if word in fields:
            return word
    return "c2s"


# --- the catalogue -----------------------------------------------------------------------------


def targets(venue: str) -> dict[str, Target]:
    """Every name `venuewire call VENUE` sends, in the registry's order."""
    from venuewire.generated.registry import OPEND, REST_ENDPOINTS, WS_CHANNELS

    out: dict[str, Target] = {}
    for endpoint in REST_ENDPOINTS:
        if endpoint.venue == venue:
            kind = f"REST {endpoint.method} {endpoint.path}"
            out[endpoint.name] = _method_target(venue, endpoint.name, kind, f"venuewire.generated.{venue}.api")
    for channel in WS_CHANNELS:
        if channel.venue == venue:
            for request in channel.requests:
                kind = f"WebSocket request on {channel.name}"
                out[request.name] = _method_target(venue, request.name, kind, f"venuewire.generated.{venue}.ws_api")
    if venue == "futu":  # the registry's [opend] section is the futu venue's
        from venuewire.generated.futu.dispatch import REQUESTS

        routes = {route.name: route for route in REQUESTS.values()}
        for protocol in OPEND.protocols:
            if protocol.kind == "request" and protocol.name in routes:
                out[protocol.name] = _opend_target(routes[protocol.name])
    return out


# --- the reply ---------------------------------------------------------------------------------


def to_plain(reply: Any) -> Any:
    """The typed reply as JSON builtins with exact numbers as text: Decimals and integers of
    2**53 or more in magnitude are strings (protobuf int64 fields already are)."""
    if isinstance(reply, msgspec.Struct):
        value = msgspec.to_builtins(reply, enc_hook=str)
    elif hasattr(reply, "DESCRIPTOR"):
        from google.protobuf import json_format

        value = json_format.MessageToDict(reply, preserving_proto_field_name=True)
    else:
        value = msgspec.to_builtins(reply, enc_hook=str)
    return _exact(value)


def _exact(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value) if abs(value) >= EXACT_INT else value
    if isinstance(value, Decimal | Enum):
        return str(value.value if isinstance(value, Enum) else value)
    if isinstance(value, dict):
        return {str(k): _exact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_exact(v) for v in value]
    return value


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _tables(value: Any, path: str = "") -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, columns, rows): one field | value table of the scalars, one table per list of
    objects (its columns: every key any row has; nested objects one level flattened)."""
    fields: list[list[str]] = []
    lists: list[tuple[str, list[str], list[list[str]]]] = []

    def walk(item: Any, at: str) -> None:
        if isinstance(item, dict):
            if not item:
                fields.append([at or "(reply)", "{}"])
            for key, sub in item.items():
                walk(sub, f"{at}.{key}" if at else key)
        elif isinstance(item, list) and item and all(isinstance(x, dict) for x in item):
            rows = [_flat(x) for x in item]
            columns = list(dict.fromkeys(k for row in rows for k in row))
            if len(columns) <= WIDE_COLUMNS:
                lists.append((at, columns, [[row.get(c, "") for c in columns] for row in rows]))
            else:  # too wide for one table: each object as a field | value table of its own
                for i, row in enumerate(rows):
                    lists.append((f"{at}[{i}]", ["field", "value"], [[k, v] for k, v in row.items()]))
        else:
            fields.append([at or "(reply)", _scalar(item)])

    walk(value, path)
    out = [("", ["field", "value"], fields)] if fields else []
    return out + lists


def _flat(row: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        if isinstance(value, dict) and value and all(not isinstance(v, dict | list) for v in value.values()):
            out.update({f"{key}.{k}": _scalar(v) for k, v in value.items()})
        else:
            out[key] = _scalar(value)
    return out


def _print_tables(title: str, value: Any) -> None:
    tables = _tables(value)
    try:
        from rich.table import Table

        from venuewire.render import make_console
    except ImportError:
        print(title)
        for name, columns, rows in tables:
            if name:
                print(f"\n{name}" if name.endswith("]") else f"\n{name} ({len(rows)})")
            widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(columns)]
            for line in [columns, *rows]:
                print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        return
    console = make_console()
    for i, (name, columns, rows) in enumerate(tables):
        caption = (name if name.endswith("]") else f"{name} ({len(rows)})") if name else None
        table = Table(title=title if i == 0 else None, caption=caption)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)


# --- running -----------------------------------------------------------------------------------


def _error_line(venue: str, exc: BaseException) -> str:
    from venuewire.errors import VenueError

    if isinstance(exc, VenueError):
        from venuewire.errors import format_path

        field_path = getattr(exc, "field_path", None)
        fields = getattr(exc, "fields", None)
        where = ""
        if field_path:
            where = f" (field {format_path(field_path)})"
        elif fields:
            where = f" (field {', '.join(fields)})"
        code = f" [{exc.code}]" if exc.code is not None else ""
        return f"venuewire call: {type(exc).__name__} {exc.venue}{code}: {one_line(exc.message)}{where}"
    return f"venuewire call: {type(exc).__name__} {venue}: {one_line(exc)}"


def _unknown_name(tool: VenueTool, name: str, known: Mapping[str, Target]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    if not close:
        lowered = name.lower()
        close = [k for k in known if lowered in k.lower() or k.lower() in lowered][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    listing = f"`venuewire call {tool.key} --list` lists them" if known else "it declares no callable message"
    return f"venuewire call: {tool.key} has no message {name!r}{hint} ({listing})"


def _list(tool: VenueTool, known: Mapping[str, Target]) -> int:
    if not known:
        print(f"{tool.key}: the registry declares no request venuewire call sends (streams only)")
        return 0
    for target in known.values():
        params = ", ".join(p.text() for p in target.params) or "no parameters"
        print(f"{target.name}  [{target.kind}]  {params}")
    return 0


async def _call(
    tool: VenueTool,
    target: Target,
    args: argparse.Namespace,
    values: Mapping[str, Any],
    before: Sequence[tuple[Target, Mapping[str, Any]]] = (),
) -> Any:
    rest = target.kind.startswith("REST")
    async with contextlib.AsyncExitStack() as stack:
        if args.sim:
            sim = tool.client_simulator()
            await asyncio.wait_for(sim.start(), args.timeout)
            stack.push_async_callback(sim.close)
            make = tool.rest_client if rest and tool.rest_client is not None else tool.client
            client = make(sim, args.timeout, sim.port)
        else:
            live = tool.rest_live if rest and tool.rest_live is not None else tool.call_live
            if live is None:
                raise CommandFailed(f"venuewire call: {tool.key} has no live client here; use --sim", 2)
            client = live(args)
        stack.push_async_callback(client.close)
        opener = getattr(client, "connect", None)
        if opener is not None:
            await asyncio.wait_for(opener(), args.timeout)
        for first, first_values in before:
            await _send(first, client, first_values, args.timeout)
        return await _send(target, client, values, args.timeout)


class _Refused(Exception):
    """A client refused the arguments before sending (its ValueError / TypeError): exit 2."""


async def _send(target: Target, client: Any, values: Mapping[str, Any], seconds: float) -> Any:
    try:
        return await asyncio.wait_for(target.send(client, values), seconds + 1)
    except (ValueError, TypeError) as exc:
        raise _Refused(f"{target.name}: {one_line(exc)}") from None


def _run_call(args: argparse.Namespace) -> int:
    key = args.venue
    if key not in KEYS:  # an alias too ("opend"): venues are named by their registry key
        from venuewire.cli.common import unknown_venue

        print(f"venuewire call: {unknown_venue(args.venue, KEYS, ALIASES)}", file=sys.stderr)
        return 2
    tool = BY_KEY[key]
    known = targets(key)
    if args.list:
        return _list(tool, known)
    if args.name is None:
        print(f"venuewire call: name a message of {key} (`venuewire call {key} --list`)", file=sys.stderr)
        return 2
    target = known.get(args.name)
    if target is None:
        print(_unknown_name(tool, args.name, known), file=sys.stderr)
        return 2
    before: list[tuple[Target, Mapping[str, Any]]] = []
    for word in args.before:
        first_name, _, first_args = word.strip().partition(" ")
        first = known.get(first_name)
        if first is None:
            print(_unknown_name(tool, first_name, known), file=sys.stderr)
            return 2
        try:
            first_values = parse_arguments([first_args] if first_args.strip() else [])
            _check_names(first_values, first.params)
        except BadArguments as exc:
            print(f"venuewire call: {key} {first.name} (--before): bad argument {exc}", file=sys.stderr)
            return 2
        before.append((first, first_values))
    try:
        values = parse_arguments(args.args)
        _check_names(values, target.params)
        with quiet_logging(args.verbose):
            reply = asyncio.run(_call(tool, target, args, values, before))
    except BadArguments as exc:
        print(f"venuewire call: {key} {target.name}: bad argument {exc}", file=sys.stderr)
        return 2
    except _Refused as exc:
        print(f"venuewire call: {key} {exc}", file=sys.stderr)
        return 2
    except CommandFailed as exc:
        print(exc.line, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("venuewire call: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # every wire-side failure is a VenueError; anything else one line too
        if isinstance(exc, TimeoutError) and not str(exc):
            exc = TimeoutError(f"no answer within {args.timeout:g} s")
        print(_error_line(key, exc), file=sys.stderr)
        return 1
    plain = to_plain(reply)
    if args.json:
        print(json.dumps(plain, indent=2, ensure_ascii=False))
    else:
        _print_tables(f"{key} {target.name}", plain)
    return 0


def add_call(group: Commands) -> None:
    command = add_command(
        group,
        "call",
        "Send any message the registry declares for a venue (REST endpoints by name, OpenD requests "
        "by message name, WebSocket requests by name) and print the typed reply as a table or JSON. "
        "Arguments: one JSON object or key=value pairs (values read as JSON when they parse, else "
        "text). --sim starts the venue's embedded simulator; otherwise the live endpoint, with "
        "credentials from the environment. Exits 0, 1 with one line naming the typed error, or 2 "
        "for an unknown name or arguments that do not fit.",
        "venuewire call futu Qot_GetSubInfo --sim --json",
        _run_call,
        summary="Send any declared message of a venue and print the typed reply.",
    )
    command.add_argument("venue", metavar="VENUE", help=f"the venue: {', '.join(KEYS)}")
    command.add_argument("name", metavar="NAME", nargs="?", help="the message (see --list)")
    command.add_argument("args", metavar="ARGS", nargs="*", help="a JSON object, or key=value pairs")
    command.add_argument(
        "--before",
        action="append",
        default=[],
        metavar="'NAME JSON'",
        help="send NAME with these JSON arguments first, on the same connection (repeatable; e.g. a Qot_Sub "
        "before a quote)",
    )
    command.add_argument("--list", action="store_true", help="list every name of VENUE with its kind and parameters")
    command.add_argument("--json", action="store_true", help="print the reply as JSON (exact numbers as text)")
    command.add_argument("--sim", action="store_true", help="start the venue's embedded simulator and call it")
    command.add_argument("--url", help="the live endpoint instead of the registry's (futu: HOST:PORT)")
    command.add_argument("--host", help="futu: OpenD's host (default: the registry's)")
    command.add_argument("--port", type=int, help="futu: OpenD's port (default: the registry's)")
    command.add_argument(
        "--timeout", type=positive_seconds, default=10.0, metavar="S", help="seconds per step (default: %(default)g)"
    )
    command.add_argument("-v", "--verbose", action="store_true", help="log the clients' and simulators' warnings")
