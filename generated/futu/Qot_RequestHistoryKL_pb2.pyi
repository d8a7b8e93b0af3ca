from . import Common_pb2 as _Common_pb2
from . import Qot_Common_pb2 as _Qot_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Qot_RequestHistoryKL.C2S (schemas/proto/futu/Qot_RequestHistoryKL.proto). OpenD Qot_RequestHistoryKL (protoID 3103): historical candles between two dates, paged with nextReqKey."""
    __slots__ = ("rehabType", "klType", "security", "beginTime", "endTime", "maxAckKLNum", "needKLFieldsFlag", "nextReqKey", "extendedTime", "session", "header")
    REHABTYPE_FIELD_NUMBER: _ClassVar[int]
    KLTYPE_FIELD_NUMBER: _ClassVar[int]
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    BEGINTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    MAXACKKLNUM_FIELD_NUMBER: _ClassVar[int]
    NEEDKLFIELDSFLAG_FIELD_NUMBER: _ClassVar[int]
    NEXTREQKEY_FIELD_NUMBER: _ClassVar[int]
    EXTENDEDTIME_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    rehabType: int
    """Qot_Common.RehabType"""
    klType: int
    """Qot_Common.KLType"""
    security: _Qot_Common_pb2.Security
    beginTime: str
    endTime: str
    maxAckKLNum: int
    needKLFieldsFlag: int
    """Qot_Common.KLFields"""
    nextReqKey: bytes
    extendedTime: bool
    session: int
    header: _Qot_Common_pb2.QotHeader
    def __init__(self, rehabType: _Optional[int] = ..., klType: _Optional[int] = ..., security: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., beginTime: _Optional[str] = ..., endTime: _Optional[str] = ..., maxAckKLNum: _Optional[int] = ..., needKLFieldsFlag: _Optional[int] = ..., nextReqKey: _Optional[bytes] = ..., extendedTime: bool = ..., session: _Optional[int] = ..., header: _Optional[_Union[_Qot_Common_pb2.QotHeader, _Mapping[str, _Any]]] = ...) -> None: ...

class S2C(_message.Message):
    """Qot_RequestHistoryKL.S2C (schemas/proto/futu/Qot_RequestHistoryKL.proto). OpenD Qot_RequestHistoryKL (protoID 3103): historical candles between two dates, paged with nextReqKey."""
    __slots__ = ("security", "name", "klList", "nextReqKey")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KLLIST_FIELD_NUMBER: _ClassVar[int]
    NEXTREQKEY_FIELD_NUMBER: _ClassVar[int]
    security: _Qot_Common_pb2.Security
    name: str
    klList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.KLine]
    nextReqKey: bytes
    def __init__(self, security: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., name: _Optional[str] = ..., klList: _Optional[_Iterable[_Union[_Qot_Common_pb2.KLine, _Mapping[str, _Any]]]] = ..., nextReqKey: _Optional[bytes] = ...) -> None: ...

class Request(_message.Message):
    """Qot_RequestHistoryKL.Request (schemas/proto/futu/Qot_RequestHistoryKL.proto). OpenD Qot_RequestHistoryKL (protoID 3103): historical candles between two dates, paged with nextReqKey."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Qot_RequestHistoryKL.Response (schemas/proto/futu/Qot_RequestHistoryKL.proto). OpenD Qot_RequestHistoryKL (protoID 3103): historical candles between two dates, paged with nextReqKey."""
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
