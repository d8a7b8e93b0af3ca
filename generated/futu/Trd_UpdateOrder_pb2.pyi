from . import Trd_Common_pb2 as _Trd_Common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class S2C(_message.Message):
    """Trd_UpdateOrder.S2C (schemas/proto/futu/Trd_UpdateOrder.proto). OpenD Trd_UpdateOrder (protoID 2208): push: an order of a subscribed account (Trd_SubAccPush) changed."""
    __slots__ = ("header", "order")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    order: _Trd_Common_pb2.Order
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., order: _Optional[_Union[_Trd_Common_pb2.Order, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_UpdateOrder.Response (schemas/proto/futu/Trd_UpdateOrder.proto). OpenD Trd_UpdateOrder (protoID 2208): push: an order of a subscribed account (Trd_SubAccPush) changed."""
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
