from . import Common_pb2 as _Common_pb2
from . import Qot_Common_pb2 as _Qot_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Qot_GetSubInfo.C2S (schemas/proto/futu/Qot_GetSubInfo.proto). OpenD Qot_GetSubInfo (protoID 3003): the subscriptions held by this connection (or by every connection) and the quota used."""
    __slots__ = ("isReqAllConn", "header")
    ISREQALLCONN_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    isReqAllConn: bool
    header: _Qot_Common_pb2.QotHeader
    def __init__(self, isReqAllConn: bool = ..., header: _Optional[_Union[_Qot_Common_pb2.QotHeader, _Mapping[str, _Any]]] = ...) -> None: ...

class S2C(_message.Message):
    """Qot_GetSubInfo.S2C (schemas/proto/futu/Qot_GetSubInfo.proto). OpenD Qot_GetSubInfo (protoID 3003): the subscriptions held by this connection (or by every connection) and the quota used."""
    __slots__ = ("connSubInfoList", "totalUsedQuota", "remainQuota", "optionUsedQuota", "optionRemainQuota")
    CONNSUBINFOLIST_FIELD_NUMBER: _ClassVar[int]
    TOTALUSEDQUOTA_FIELD_NUMBER: _ClassVar[int]
    REMAINQUOTA_FIELD_NUMBER: _ClassVar[int]
    OPTIONUSEDQUOTA_FIELD_NUMBER: _ClassVar[int]
    OPTIONREMAINQUOTA_FIELD_NUMBER: _ClassVar[int]
    connSubInfoList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.ConnSubInfo]
    totalUsedQuota: int
    remainQuota: int
    optionUsedQuota: int
    optionRemainQuota: int
    def __init__(self, connSubInfoList: _Optional[_Iterable[_Union[_Qot_Common_pb2.ConnSubInfo, _Mapping[str, _Any]]]] = ..., totalUsedQuota: _Optional[int] = ..., remainQuota: _Optional[int] = ..., optionUsedQuota: _Optional[int] = ..., optionRemainQuota: _Optional[int] = ...) -> None: ...

class Request(_message.Message):
    """Qot_GetSubInfo.Request (schemas/proto/futu/Qot_GetSubInfo.proto). OpenD Qot_GetSubInfo (protoID 3003): the subscriptions held by this connection (or by every connection) and the quota used."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Qot_GetSubInfo.Response (schemas/proto/futu/Qot_GetSubInfo.proto). OpenD Qot_GetSubInfo (protoID 3003): the subscriptions held by this connection (or by every connection) and the quota used."""
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
