"""One OpenD connection as a state machine, with no I/O (h11 style).

    CONNECTING --initiate()--> HANDSHAKING --InitConnect reply--> READY --close()--> CLOSED

Bytes to write come out of `initiate()` and `send()`; bytes read go into
`receive_data()`, which returns events: `Ready` once InitConnect has succeeded (the AES
key is then in force for every later frame), `Reply` for an answer to a request (matched
later by the caller on (protoID, serialNo)), `Push` for a push protoID. Nothing but
InitConnect may be sent before READY. A frame error raises `FrameError` and the
connection is CLOSED: it is never resynchronised.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from google.protobuf.message import Message

from venuewire.errors import DecodeError, InvalidRequest, VenueError
from venuewire.generated.futu import InitConnect_pb2
from venuewire.generated.futu.enums import PacketEncAlgo, ProtoFmt, RetType
from venuewire.generated.registry import OPEND, OpenDProtoID
from venuewire.messages import decode_proto, encode_proto
from venuewire.opend.crypto import CryptoError, SessionCipher
from venuewire.opend.frame import HEADER, HEADER_SIZE, MAX_SERIAL, FrameDecoder, FrameError, encode_frame

PUSH_IDS = frozenset(p.proto_id for p in OPEND.protocols if p.kind == "push")


class State(enum.Enum):
    CONNECTING = "CONNECTING"
    HANDSHAKING = "HANDSHAKING"
    READY = "READY"
    CLOSED = "CLOSED"


class OpenDError(VenueError):
    """OpenD answered with retType != 0. Carries `ret_type`, `ret_msg` and `err_code`."""

    def __init__(self, request: str, ret_type: int, ret_msg: str, err_code: int | None) -> None:
        self.request = request
        self.ret_type = ret_type
        self.ret_msg = ret_msg
        self.err_code = err_code
        try:
            kind = RetType(ret_type).name
        except ValueError:
            kind = "unknown retType"
        extra = f", errCode {err_code}" if err_code else ""
        super().__init__("futu", f"{request} failed ({kind}{extra}): {ret_msg or 'no message'}", ret_type)


class ProtocolStateError(InvalidRequest):
    """An operation that the connection's state does not allow (e.g. a request before READY)."""

    def __init__(self, state: State, action: str) -> None:
        self.state = state
        super().__init__("futu", f"cannot {action} in state {state.value}")


@dataclass(frozen=True, slots=True)
class Ready:
    """InitConnect succeeded: the session's parameters."""

    s2c: InitConnect_pb2.S2C


@dataclass(frozen=True, slots=True)
class Reply:
    proto_id: int
    serial_no: int
    body: bytes


@dataclass(frozen=True, slots=True)
class Push:
    proto_id: int
    body: bytes


Event = Ready | Reply | Push

FrameHook = Callable[[str, bytes, int, int, bytes], None]
"""Called with (direction "out" or "in", the frame's header as on the wire, protoID, serialNo,
the body in the clear) for every whole frame, when a connection is recorded."""


class _Headers:
    """The header of each whole frame in the bytes received (only when recorded: the decoder
    checks the frames, this keeps their headers as they came)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        buffer = self._buffer
        buffer += data
        out: list[bytes] = []
        while len(buffer) >= HEADER_SIZE:
            end = HEADER_SIZE + HEADER.unpack_from(buffer, 0)[5]
            if len(buffer) < end:
                break
            out.append(bytes(buffer[:HEADER_SIZE]))
            del buffer[:end]
        return out


def init_connect_request(encrypted: bool) -> InitConnect_pb2.Request:
    """The InitConnect request venuewire sends (client facts from the registry)."""
    return InitConnect_pb2.Request(
        c2s=InitConnect_pb2.C2S(
            clientVer=OPEND.client_ver,
            clientID=OPEND.client_id,
            recvNotify=True,
            packetEncAlgo=PacketEncAlgo.AES_CBC if encrypted else PacketEncAlgo.None_,
            pushProtoFmt=ProtoFmt.Protobuf,
            programmingLanguage=OPEND.programming_language,
        )
    )


class OpenDConnection:
    def __init__(self, cipher: SessionCipher | None = None, max_body_len: int = OPEND.max_body_len) -> None:
        self.cipher = cipher or SessionCipher()
        self.state = State.CONNECTING
        # A plaintext session has no transform either way (the decoder then takes its
        # one-whole-frame fast path, and frames are built without a no-op call).
        self._encrypt = self.cipher.encrypt if self.cipher.enabled else None
        decrypt = self.cipher.decrypt if self.cipher.enabled else None
        self._decoder = FrameDecoder(max_body_len=max_body_len, decrypt=decrypt)
        self._serial = 0
        self._init_serial: int | None = None
        self.on_frame: FrameHook | None = None
        """Recording: every whole frame both ways (see `FrameHook`); None when not recorded."""
        self.on_secret: Callable[[str], None] | None = None
        """Recording: called with the session's AES key and IV before the frame carrying them is recorded."""
        self._headers = _Headers()

    def _next_serial(self) -> int:
        self._serial = self._serial + 1 if self._serial < MAX_SERIAL else 1
        return self._serial

    def initiate(self) -> bytes:
        """The InitConnect frame; the connection is HANDSHAKING until its reply."""
        if self.state is not State.CONNECTING:
            raise ProtocolStateError(self.state, "send InitConnect")
        body = encode_proto(init_connect_request(self.cipher.enabled))
        self._init_serial = self._next_serial()
        self.state = State.HANDSHAKING
        frame = encode_frame(OpenDProtoID.InitConnect, self._init_serial, body, encrypt=self._encrypt)
        if self.on_frame is not None:
            self.on_frame("out", frame[:HEADER_SIZE], OpenDProtoID.InitConnect, self._init_serial, body)
        return frame

    def send(self, proto_id: int, request: Message) -> tuple[int, bytes]:
        """Frame one request: (serialNo, bytes). Required fields are checked first
        (MissingRequiredFields, and no serial number is used)."""
        if self.state is not State.READY:
            raise ProtocolStateError(self.state, f"send protoID {proto_id}")
        return self.send_body(proto_id, encode_proto(request))

    def send_body(self, proto_id: int, body: bytes) -> tuple[int, bytes]:
        """Frame one request body already encoded (by `encode_proto`, which checked its
        required fields): (serialNo, bytes)."""
        if self.state is not State.READY:
            raise ProtocolStateError(self.state, f"send protoID {proto_id}")
        serial = self._next_serial()
        frame = encode_frame(proto_id, serial, body, encrypt=self._encrypt)
        if self.on_frame is not None:
            self.on_frame("out", frame[:HEADER_SIZE], proto_id, serial, body)
        return serial, frame

    def receive_data(self, data: bytes) -> list[Event]:
        if self.state is State.CLOSED:
            return []
        try:
            if self.on_frame is not None:
                return self._recorded(data, self.on_frame)
            if self.state is State.READY:  # the cipher no longer changes: the batch path (as `_event`)
                pushes = PUSH_IDS
                return [
                    Push(f.proto_id, f.body) if f.proto_id in pushes else Reply(f.proto_id, f.serial_no, f.body)
                    for f in self._decoder.frames(data)
                ]
            self._decoder.receive_data(data)
            events: list[Event] = []
            while (frame := self._decoder.next_frame()) is not None:
                events.append(self._event(frame.proto_id, frame.serial_no, frame.body))
            return events
        except FrameError:
            self.state = State.CLOSED
            raise

    def _recorded(self, data: bytes, record: FrameHook) -> list[Event]:
        """`receive_data` for a recorded connection: each frame recorded once its event is made
        (so the AES key it carries is registered first), also when that event raises."""
        headers = self._headers.feed(data)
        self._decoder.receive_data(data)
        events: list[Event] = []
        index = 0
        while (frame := self._decoder.next_frame()) is not None:
            try:
                events.append(self._event(frame.proto_id, frame.serial_no, frame.body))
            finally:
                header = headers[index] if index < len(headers) else b""
                record("in", header, frame.proto_id, frame.serial_no, frame.body)
                index += 1
        return events

    def _event(self, proto_id: int, serial_no: int, body: bytes) -> Event:
        if self.state is State.HANDSHAKING:
            if proto_id != OpenDProtoID.InitConnect:
                self.state = State.CLOSED
                raise ProtocolStateError(State.HANDSHAKING, f"accept protoID {proto_id} before the InitConnect reply")
            response = decode_proto(InitConnect_pb2.Response, body)
            if self.on_secret is not None and response.HasField("s2c"):
                self.on_secret(response.s2c.connAESKey)
                self.on_secret(response.s2c.aesCBCiv)
            if response.retType != RetType.Succeed:
                self.state = State.CLOSED
                raise OpenDError("InitConnect", response.retType, response.retMsg, response.errCode or None)
            if not response.HasField("s2c"):
                self.state = State.CLOSED
                raise OpenDError("InitConnect", RetType.Unknown, "reply carries no s2c", None)
            s2c = response.s2c
            if self.cipher.enabled:
                self._set_session_key(s2c)
            self.state = State.READY
            return Ready(s2c)
        if proto_id in PUSH_IDS:
            return Push(proto_id, body)
        return Reply(proto_id, serial_no, body)

    def _set_session_key(self, s2c: InitConnect_pb2.S2C) -> None:
        """Put InitConnect's AES key in force; an unusable one is a DecodeError naming the
        field (built outside the `except`, so no exception holding the key is chained)."""
        failure: tuple[str, str] | None = None
        try:
            self.cipher.set_aes(s2c.connAESKey, s2c.aesCBCiv if s2c.HasField("aesCBCiv") else None)
        except CryptoError as exc:
            failure = (exc.field or "connAESKey", str(exc))
        if failure is not None:
            self.state = State.CLOSED
            raise DecodeError("futu", "InitConnect.Response", ("s2c", failure[0]), failure[1])

    def close(self) -> None:
        self.state = State.CLOSED
