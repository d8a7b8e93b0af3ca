from . import Trd_Common_pb2 as _Trd_Common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Trd_GetFunds.C2S (schemas/proto/futu/Trd_GetFunds.proto). OpenD Trd_GetFunds (protoID 2101): an account's funds."""
    __slots__ = ("header", "refreshCache", "currency", "assetCategory")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    REFRESHCACHE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    ASSETCATEGORY_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    refreshCache: bool
    currency: int
    """Trd_Common.Currency"""
    assetCategory: int
    """Trd_Common.TrdAssetCategory"""
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., refreshCache: bool = ..., currency: _Optional[int] = ..., assetCategory: _Optional[int] = ...) -> None: ...

class S2C(_message.Message):
    """Trd_GetFunds.S2C (schemas/proto/futu/Trd_GetFunds.proto). OpenD Trd_GetFunds (protoID 2101): an account's funds."""
    __slots__ = ("header", "funds")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    FUNDS_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    funds: _Trd_Common_pb2.Funds
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., funds: _Optional[_Union[_Trd_Common_pb2.Funds, _Mapping[str, _Any]]] = ...) -> None: ...

class Request(_message.Message):
    """Trd_GetFunds.Request (schemas/proto/futu/Trd_GetFunds.proto). OpenD Trd_GetFunds (protoID 2101): an account's funds."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_GetFunds.Response (schemas/proto/futu/Trd_GetFunds.proto). OpenD Trd_GetFunds (protoID 2101): an account's funds."""
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
