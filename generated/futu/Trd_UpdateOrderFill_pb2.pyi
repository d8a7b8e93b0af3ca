from . import Trd_Common_pb2 as _Trd_Common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class S2C(_message.Message):
    """Trd_UpdateOrderFill.S2C (schemas/proto/futu/Trd_UpdateOrderFill.proto). OpenD Trd_UpdateOrderFill (protoID 2218): push: a fill of an order of a subscribed account (Trd_SubAccPush)."""
    __slots__ = ("header", "orderFill")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    ORDERFILL_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    orderFill: _Trd_Common_pb2.OrderFill
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., orderFill: _Optional[_Union[_Trd_Common_pb2.OrderFill, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_UpdateOrderFill.Response (schemas/proto/futu/Trd_UpdateOrderFill.proto). OpenD Trd_UpdateOrderFill (protoID 2218): push: a fill of an order of a subscribed account (Trd_SubAccPush)."""
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
