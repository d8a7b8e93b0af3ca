from . import Common_pb2 as _Common_pb2
from . import Qot_Common_pb2 as _Qot_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class S2C(_message.Message):
    """Qot_UpdateTicker.S2C (schemas/proto/futu/Qot_UpdateTicker.proto). OpenD Qot_UpdateTicker (protoID 3011, push): trades (tickers) pushed for a security subscribed to SubType_Ticker."""
    __slots__ = ("security", "name", "tickerList")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TICKERLIST_FIELD_NUMBER: _ClassVar[int]
    security: _Qot_Common_pb2.Security
    name: str
    tickerList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.Ticker]
    def __init__(self, security: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., name: _Optional[str] = ..., tickerList: _Optional[_Iterable[_Union[_Qot_Common_pb2.Ticker, _Mapping[str, _Any]]]] = ...) -> None: ...

class Response(_message.Message):
    """Qot_UpdateTicker.Response (schemas/proto/futu/Qot_UpdateTicker.proto). OpenD Qot_UpdateTicker (protoID 3011, push): trades (tickers) pushed for a security subscribed to SubType_Ticker."""
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
