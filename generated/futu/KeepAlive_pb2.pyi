from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """KeepAlive.C2S (schemas/proto/futu/KeepAlive.proto). OpenD KeepAlive (protoID 1004), sent every 0.8 x keepAliveInterval."""
    __slots__ = ("time",)
    TIME_FIELD_NUMBER: _ClassVar[int]
    time: int
    """client unix time, seconds"""
    def __init__(self, time: _Optional[int] = ...) -> None: ...

class S2C(_message.Message):
    """KeepAlive.S2C (schemas/proto/futu/KeepAlive.proto). OpenD KeepAlive (protoID 1004), sent every 0.8 x keepAliveInterval."""
    __slots__ = ("time",)
    TIME_FIELD_NUMBER: _ClassVar[int]
    time: int
    """server unix time, seconds"""
    def __init__(self, time: _Optional[int] = ...) -> None: ...

class Request(_message.Message):
    """KeepAlive.Request (schemas/proto/futu/KeepAlive.proto). OpenD KeepAlive (protoID 1004), sent every 0.8 x keepAliveInterval."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """KeepAlive.Response (schemas/proto/futu/KeepAlive.proto). OpenD KeepAlive (protoID 1004), sent every 0.8 x keepAliveInterval."""
    __slots__ = ("retType", "retMsg", "errCode", "s2c")
    RETTYPE_FIELD_NUMBER: _ClassVar[int]
    RETMSG_FIELD_NUMBER: _ClassVar[int]
    ERRCODE_FIELD_NUMBER: _ClassVar[int]
    S2C_FIELD_NUMBER: _ClassVar[int]
    retType: int
    """Common.RetType"""
    retMsg: str
    errCode: int
    s2c: S2C
    def __init__(self, retType: _Optional[int] = ..., retMsg: _Optional[str] = ..., errCode: _Optional[int] = ..., s2c: _Optional[_Union[S2C, _Mapping[str, _Any]]] = ...) -> None: ...
