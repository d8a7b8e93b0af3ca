from . import Qot_Common_pb2 as _Qot_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Qot_Sub.C2S (schemas/proto/futu/Qot_Sub.proto). OpenD Qot_Sub (protoID 3001): subscribe or unsubscribe quote data."""
    __slots__ = ("securityList", "subTypeList", "isSubOrUnSub", "isRegOrUnRegPush", "regPushRehabTypeList", "isFirstPush", "isUnsubAll", "isSubOrderBookDetail", "extendedTime", "session", "header")
    SECURITYLIST_FIELD_NUMBER: _ClassVar[int]
    SUBTYPELIST_FIELD_NUMBER: _ClassVar[int]
    ISSUBORUNSUB_FIELD_NUMBER: _ClassVar[int]
    ISREGORUNREGPUSH_FIELD_NUMBER: _ClassVar[int]
    REGPUSHREHABTYPELIST_FIELD_NUMBER: _ClassVar[int]
    ISFIRSTPUSH_FIELD_NUMBER: _ClassVar[int]
    ISUNSUBALL_FIELD_NUMBER: _ClassVar[int]
    ISSUBORDERBOOKDETAIL_FIELD_NUMBER: _ClassVar[int]
    EXTENDEDTIME_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    securityList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.Security]
    subTypeList: _containers.RepeatedScalarFieldContainer[int]
    """Qot_Common.SubType"""
    isSubOrUnSub: bool
    """false (unsubscribe) must still be encoded"""
    isRegOrUnRegPush: bool
    regPushRehabTypeList: _containers.RepeatedScalarFieldContainer[int]
    isFirstPush: bool
    isUnsubAll: bool
    isSubOrderBookDetail: bool
    extendedTime: bool
    session: int
    header: _Qot_Common_pb2.QotHeader
    def __init__(self, securityList: _Optional[_Iterable[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]]] = ..., subTypeList: _Optional[_Iterable[int]] = ..., isSubOrUnSub: bool = ..., isRegOrUnRegPush: bool = ..., regPushRehabTypeList: _Optional[_Iterable[int]] = ..., isFirstPush: bool = ..., isUnsubAll: bool = ..., isSubOrderBookDetail: bool = ..., extendedTime: bool = ..., session: _Optional[int] = ..., header: _Optional[_Union[_Qot_Common_pb2.QotHeader, _Mapping[str, _Any]]] = ...) -> None: ...

class S2C(_message.Message):
    """Qot_Sub.S2C (schemas/proto/futu/Qot_Sub.proto). OpenD Qot_Sub (protoID 3001): subscribe or unsubscribe quote data."""
    __slots__ = ()
    def __init__(self) -> None: ...

class Request(_message.Message):
    """Qot_Sub.Request (schemas/proto/futu/Qot_Sub.proto). OpenD Qot_Sub (protoID 3001): subscribe or unsubscribe quote data."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Qot_Sub.Response (schemas/proto/futu/Qot_Sub.proto). OpenD Qot_Sub (protoID 3001): subscribe or unsubscribe quote data."""
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
