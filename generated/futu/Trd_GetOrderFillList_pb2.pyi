from . import Trd_Common_pb2 as _Trd_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Trd_GetOrderFillList.C2S (schemas/proto/futu/Trd_GetOrderFillList.proto). OpenD Trd_GetOrderFillList (protoID 2211): an account's fills of today."""
    __slots__ = ("header", "filterConditions", "refreshCache")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    FILTERCONDITIONS_FIELD_NUMBER: _ClassVar[int]
    REFRESHCACHE_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    filterConditions: _Trd_Common_pb2.TrdFilterConditions
    refreshCache: bool
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., filterConditions: _Optional[_Union[_Trd_Common_pb2.TrdFilterConditions, _Mapping[str, _Any]]] = ..., refreshCache: bool = ...) -> None: ...

class S2C(_message.Message):
    """Trd_GetOrderFillList.S2C (schemas/proto/futu/Trd_GetOrderFillList.proto). OpenD Trd_GetOrderFillList (protoID 2211): an account's fills of today."""
    __slots__ = ("header", "orderFillList")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    ORDERFILLLIST_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    orderFillList: _containers.RepeatedCompositeFieldContainer[_Trd_Common_pb2.OrderFill]
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., orderFillList: _Optional[_Iterable[_Union[_Trd_Common_pb2.OrderFill, _Mapping[str, _Any]]]] = ...) -> None: ...

class Request(_message.Message):
    """Trd_GetOrderFillList.Request (schemas/proto/futu/Trd_GetOrderFillList.proto). OpenD Trd_GetOrderFillList (protoID 2211): an account's fills of today."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_GetOrderFillList.Response (schemas/proto/futu/Trd_GetOrderFillList.proto). OpenD Trd_GetOrderFillList (protoID 2211): an account's fills of today."""
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
