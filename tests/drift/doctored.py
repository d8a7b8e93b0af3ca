"""Doctored captures for the drift tests: valid messages (fixtures and examples) with one
change each, written with CaptureWriter exactly as a recording client writes them."""

from __future__ import annotations

import copy
import json
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from venuewire.capture.format import CaptureWriter
from venuewire.generated.futu import Common_pb2, Notify_pb2, Qot_Common_pb2, Qot_UpdateOrderBook_pb2
from venuewire.generated.infoway.examples import EXAMPLES as INFOWAY_EXAMPLES
from venuewire.generated.registry import (
    REST_COINW_GET_ORDER_INFORMATION,
    REST_INFOWAY_MARKETS,
    WS_BITMART_SPOT_DEPTH,
    WS_INFOWAY_DEPTH,
    WS_QFEX_TRADE,
    OpenDProtoID,
)
from venuewire.opend.frame import encode_frame

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
Message = tuple[str, str, str, bytes, dict[str, Any]]  # venue, dir, transport, data, meta


def fixture(venue: str, message: str, case: str) -> Any:
    return json.loads((FIXTURES / venue / message / f"{case}.json").read_text(encoding="utf-8"))


def write_capture(path: Path, messages: Iterable[Message]) -> Path:
    """One connection per (venue, url) in `meta["url"]` (popped), records in order; an HTTP
    response's meta "request" True is replaced by the seq of the request before it."""
    with CaptureWriter(path) as capture:
        conns: dict[tuple[str, str], int] = {}
        last_request = -1
        for venue, direction, transport, data, given in messages:
            meta = dict(given)
            url = str(meta.pop("url", "tcp://127.0.0.1:11111"))
            conn = conns.get((venue, url))
            if conn is None:
                conn = conns[(venue, url)] = capture.connection(venue, url)
            if meta.get("request") is True:
                meta["request"] = last_request
            seq = capture.write(conn, venue, direction, transport, data, meta=meta)  # type: ignore[arg-type]
            if transport == "http-request":
                last_request = seq
    return path


# OpenD --------------------------------------------------------------------------------------


def _opend(proto_id: int, body: bytes, direction: str = "in") -> Message:
    return ("futu", direction, "opend", encode_frame(proto_id, 7, body), {})


def order_book_push(extra_s2c: bytes = b"", security: bytes | None = None) -> Message:
    s2c = Qot_UpdateOrderBook_pb2.S2C(security=Qot_Common_pb2.Security(market=1, code="00700"))
    s2c.orderBookAskList.add(price=601.0, volume=100, orederCount=1)
    raw = s2c.SerializeToString()
    if security is not None:  # replace field 1 (security) by these bytes
        s2c.ClearField("security")
        raw = b"\x0a" + bytes([len(security)]) + security + s2c.SerializePartialToString()
    raw += extra_s2c
    body = Common_pb2.RetType.Value("RetType_Succeed")
    response = b"\x08" + _varint(body) + b"\x22" + _varint(len(raw)) + raw  # retType = 1, s2c = 4
    return _opend(OpenDProtoID.Qot_UpdateOrderBook, response)


def notify_program_status(status: int) -> Message:
    """A Notify push whose s2c.programStatus.programStatus.type (a closed enum) is `status`."""
    status_bytes = b"\x08" + _varint(status)  # Common.ProgramStatus.type = 1
    wrapper = b"\x0a" + bytes([len(status_bytes)]) + status_bytes  # Notify.ProgramStatus.programStatus = 1
    kind = _varint(Notify_pb2.NotifyType.Value("NotifyType_ProgramStatus"))
    s2c = b"\x08" + kind + b"\x1a" + bytes([len(wrapper)]) + wrapper  # S2C.type = 1, programStatus = 3
    response = b"\x08\x00" + b"\x22" + bytes([len(s2c)]) + s2c
    return _opend(OpenDProtoID.Notify, response)


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


# JSON venues --------------------------------------------------------------------------------


def doctor(value: Any, change: Callable[[Any], None]) -> Any:
    changed = copy.deepcopy(value)
    change(changed)
    return changed


def bitmart_push(frame: Any) -> Message:
    deflater = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    data = deflater.compress(json.dumps(frame).encode()) + deflater.flush()
    return ("bitmart", "in", "ws-binary", data, {"url": WS_BITMART_SPOT_DEPTH.url})


def infoway_ws(frame: Any, direction: str = "in") -> Message:
    url = WS_INFOWAY_DEPTH.url + "?business=crypto"
    return ("infoway", direction, "ws-text", json.dumps(frame).encode(), {"url": url})


def qfex_ws(frame: Any, direction: str = "in") -> Message:
    return ("qfex", direction, "ws-text", json.dumps(frame).encode(), {"url": WS_QFEX_TRADE.url})


def http_exchange(venue: str, method: str, target: str, reply: Any, status: int = 200) -> list[Message]:
    url = f"https://{venue}.invalid"
    return [
        (venue, "out", "http-request", b"", {"url": url, "method": method, "target": target}),
        (venue, "in", "http-response", json.dumps(reply).encode(), {"url": url, "status": status, "request": True}),
    ]


def coinw_orders(reply: Any) -> list[Message]:
    target = REST_COINW_GET_ORDER_INFORMATION.path + "?positionType=plan&sourceIds=1&instrument=btc"
    return http_exchange("coinw", REST_COINW_GET_ORDER_INFORMATION.method, target, reply)


def infoway_markets(reply: Any) -> list[Message]:
    return http_exchange("infoway", REST_INFOWAY_MARKETS.method, REST_INFOWAY_MARKETS.path, reply)


def infoway_markets_example() -> Any:
    return json.loads(INFOWAY_EXAMPLES["markets_response"][0])
