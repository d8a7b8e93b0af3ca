from . import Common_pb2 as _Common_pb2
from . import Qot_Common_pb2 as _Qot_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Qot_GetStaticInfo.C2S (schemas/proto/futu/Qot_GetStaticInfo.proto). OpenD Qot_GetStaticInfo (protoID 3202): static facts (lot size, type, listing date, ...) of a market's securities or a list of them."""
    __slots__ = ("market", "secType", "securityList", "header")
    MARKET_FIELD_NUMBER: _ClassVar[int]
    SECTYPE_FIELD_NUMBER: _ClassVar[int]
    SECURITYLIST_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    market: int
    """Qot_Common.QotMarket"""
    secType: int
    """Qot_Common.SecurityType"""
    securityList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.Security]
    header: _Qot_Common_pb2.QotHeader
    def __init__(self, market: _Optional[int] = ..., secType: _Optional[int] = ..., securityList: _Optional[_Iterable[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]]] = ..., header: _Optional[_Union[_Qot_Common_pb2.QotHeader, _Mapping[str, _Any]]] = ...) -> None: ...

class S2C(_message.Message):
    """Qot_GetStaticInfo.S2C (schemas/proto/futu/Qot_GetStaticInfo.proto). OpenD Qot_GetStaticInfo (protoID 3202): static facts (lot size, type, listing date, ...) of a market's securities or a list of them."""
    __slots__ = ("staticInfoList",)
    STATICINFOLIST_FIELD_NUMBER: _ClassVar[int]
    staticInfoList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.SecurityStaticInfo]
    def __init__(self, staticInfoList: _Optional[_Iterable[_Union[_Qot_Common_pb2.SecurityStaticInfo, _Mapping[str, _Any]]]] = ...) -> None: ...

class Request(_message.Message):
    """Qot_GetStaticInfo.Request (schemas/proto/futu/Qot_GetStaticInfo.proto). OpenD Qot_GetStaticInfo (protoID 3202): static facts (lot size, type, listing date, ...) of a market's securities or a list of them."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Qot_GetStaticInfo.Response (schemas/proto/futu/Qot_GetStaticInfo.proto). OpenD Qot_GetStaticInfo (protoID 3202): static facts (lot size, type, listing date, ...) of a market's securities or a list of them."""
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
