from . import Common_pb2 as _Common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class NotifyType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NotifyType_None: _ClassVar[NotifyType]
    NotifyType_GtwEvent: _ClassVar[NotifyType]
    NotifyType_ProgramStatus: _ClassVar[NotifyType]
    NotifyType_ConnStatus: _ClassVar[NotifyType]
    NotifyType_QotRight: _ClassVar[NotifyType]
    NotifyType_APILevel: _ClassVar[NotifyType]
    NotifyType_APIQuota: _ClassVar[NotifyType]
    NotifyType_UsedQuota: _ClassVar[NotifyType]

class GtwEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GtwEventType_None: _ClassVar[GtwEventType]
    GtwEventType_LocalCfgLoadFailed: _ClassVar[GtwEventType]
    GtwEventType_APISvrRunFailed: _ClassVar[GtwEventType]
    GtwEventType_ForceUpdate: _ClassVar[GtwEventType]
    GtwEventType_LoginFailed: _ClassVar[GtwEventType]
    GtwEventType_UnAgreeDisclaimer: _ClassVar[GtwEventType]
    GtwEventType_NetCfgMissing: _ClassVar[GtwEventType]
    GtwEventType_KickedOut: _ClassVar[GtwEventType]
    GtwEventType_LoginPwdChanged: _ClassVar[GtwEventType]
    GtwEventType_BanLogin: _ClassVar[GtwEventType]
    GtwEventType_NeedPicVerifyCode: _ClassVar[GtwEventType]
    GtwEventType_NeedPhoneVerifyCode: _ClassVar[GtwEventType]
    GtwEventType_AppDataNotExist: _ClassVar[GtwEventType]
    GtwEventType_NessaryDataMissing: _ClassVar[GtwEventType]
    GtwEventType_TradePwdChanged: _ClassVar[GtwEventType]
    GtwEventType_EnableDeviceLock: _ClassVar[GtwEventType]
NotifyType_None: NotifyType
NotifyType_GtwEvent: NotifyType
NotifyType_ProgramStatus: NotifyType
NotifyType_ConnStatus: NotifyType
NotifyType_QotRight: NotifyType
NotifyType_APILevel: NotifyType
NotifyType_APIQuota: NotifyType
NotifyType_UsedQuota: NotifyType
GtwEventType_None: GtwEventType
GtwEventType_LocalCfgLoadFailed: GtwEventType
GtwEventType_APISvrRunFailed: GtwEventType
GtwEventType_ForceUpdate: GtwEventType
GtwEventType_LoginFailed: GtwEventType
GtwEventType_UnAgreeDisclaimer: GtwEventType
GtwEventType_NetCfgMissing: GtwEventType
GtwEventType_KickedOut: GtwEventType
GtwEventType_LoginPwdChanged: GtwEventType
GtwEventType_BanLogin: GtwEventType
GtwEventType_NeedPicVerifyCode: GtwEventType
GtwEventType_NeedPhoneVerifyCode: GtwEventType
GtwEventType_AppDataNotExist: GtwEventType
GtwEventType_NessaryDataMissing: GtwEventType
GtwEventType_TradePwdChanged: GtwEventType
GtwEventType_EnableDeviceLock: GtwEventType

class GtwEvent(_message.Message):
    """Notify.GtwEvent (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("eventType", "desc")
    EVENTTYPE_FIELD_NUMBER: _ClassVar[int]
    DESC_FIELD_NUMBER: _ClassVar[int]
    eventType: int
    """GtwEventType"""
    desc: str
    def __init__(self, eventType: _Optional[int] = ..., desc: _Optional[str] = ...) -> None: ...

class ProgramStatus(_message.Message):
    """Notify.ProgramStatus (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("programStatus",)
    PROGRAMSTATUS_FIELD_NUMBER: _ClassVar[int]
    programStatus: _Common_pb2.ProgramStatus
    def __init__(self, programStatus: _Optional[_Union[_Common_pb2.ProgramStatus, _Mapping[str, _Any]]] = ...) -> None: ...

class ConnectStatus(_message.Message):
    """Notify.ConnectStatus (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("qotLogined", "trdLogined")
    QOTLOGINED_FIELD_NUMBER: _ClassVar[int]
    TRDLOGINED_FIELD_NUMBER: _ClassVar[int]
    qotLogined: bool
    trdLogined: bool
    def __init__(self, qotLogined: bool = ..., trdLogined: bool = ...) -> None: ...

class QotRight(_message.Message):
    """Notify.QotRight (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("hkQotRight", "usQotRight", "cnQotRight", "hkOptionQotRight", "hasUSOptionQotRight", "hkFutureQotRight", "usFutureQotRight", "usOptionQotRight", "usIndexQotRight", "usOtcQotRight", "sgFutureQotRight", "jpFutureQotRight", "usCMEFutureQotRight", "usCBOTFutureQotRight", "usNYMEXFutureQotRight", "usCOMEXFutureQotRight", "usCBOEFutureQotRight", "shQotRight", "szQotRight", "ccQotRight", "sgStockQotRight", "myStockQotRight", "jpStockQotRight", "ecQotRight")
    HKQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    CNQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    HKOPTIONQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    HASUSOPTIONQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    HKFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USOPTIONQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USINDEXQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USOTCQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    SGFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    JPFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USCMEFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USCBOTFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USNYMEXFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USCOMEXFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    USCBOEFUTUREQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    SHQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    SZQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    CCQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    SGSTOCKQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    MYSTOCKQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    JPSTOCKQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    ECQOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    hkQotRight: int
    """Qot_Common.QotRight"""
    usQotRight: int
    """Qot_Common.QotRight"""
    cnQotRight: int
    """Qot_Common.QotRight"""
    hkOptionQotRight: int
    """Qot_Common.QotRight"""
    hasUSOptionQotRight: bool
    hkFutureQotRight: int
    """Qot_Common.QotRight"""
    usFutureQotRight: int
    """Qot_Common.QotRight"""
    usOptionQotRight: int
    """Qot_Common.QotRight"""
    usIndexQotRight: int
    """Qot_Common.QotRight"""
    usOtcQotRight: int
    """Qot_Common.QotRight"""
    sgFutureQotRight: int
    """Qot_Common.QotRight"""
    jpFutureQotRight: int
    """Qot_Common.QotRight"""
    usCMEFutureQotRight: int
    """Qot_Common.QotRight"""
    usCBOTFutureQotRight: int
    """Qot_Common.QotRight"""
    usNYMEXFutureQotRight: int
    """Qot_Common.QotRight"""
    usCOMEXFutureQotRight: int
    """Qot_Common.QotRight"""
    usCBOEFutureQotRight: int
    """Qot_Common.QotRight"""
    shQotRight: int
    """Qot_Common.QotRight"""
    szQotRight: int
    """Qot_Common.QotRight"""
    ccQotRight: int
    """Qot_Common.QotRight"""
    sgStockQotRight: int
    """Qot_Common.QotRight"""
    myStockQotRight: int
    """Qot_Common.QotRight"""
    jpStockQotRight: int
    """Qot_Common.QotRight"""
    ecQotRight: int
    """Qot_Common.QotRight"""
    def __init__(self, hkQotRight: _Optional[int] = ..., usQotRight: _Optional[int] = ..., cnQotRight: _Optional[int] = ..., hkOptionQotRight: _Optional[int] = ..., hasUSOptionQotRight: bool = ..., hkFutureQotRight: _Optional[int] = ..., usFutureQotRight: _Optional[int] = ..., usOptionQotRight: _Optional[int] = ..., usIndexQotRight: _Optional[int] = ..., usOtcQotRight: _Optional[int] = ..., sgFutureQotRight: _Optional[int] = ..., jpFutureQotRight: _Optional[int] = ..., usCMEFutureQotRight: _Optional[int] = ..., usCBOTFutureQotRight: _Optional[int] = ..., usNYMEXFutureQotRight: _Optional[int] = ..., usCOMEXFutureQotRight: _Optional[int] = ..., usCBOEFutureQotRight: _Optional[int] = ..., shQotRight: _Optional[int] = ..., szQotRight: _Optional[int] = ..., ccQotRight: _Optional[int] = ..., sgStockQotRight: _Optional[int] = ..., myStockQotRight: _Optional[int] = ..., jpStockQotRight: _Optional[int] = ..., ecQotRight: _Optional[int] = ...) -> None: ...

class APILevel(_message.Message):
    """Notify.APILevel (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("apiLevel",)
    APILEVEL_FIELD_NUMBER: _ClassVar[int]
    apiLevel: str
    def __init__(self, apiLevel: _Optional[str] = ...) -> None: ...

class APIQuota(_message.Message):
    """Notify.APIQuota (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("subQuota", "historyKLQuota")
    SUBQUOTA_FIELD_NUMBER: _ClassVar[int]
    HISTORYKLQUOTA_FIELD_NUMBER: _ClassVar[int]
    subQuota: int
    historyKLQuota: int
    def __init__(self, subQuota: _Optional[int] = ..., historyKLQuota: _Optional[int] = ...) -> None: ...

class UsedQuota(_message.Message):
    """Notify.UsedQuota (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("usedSubQuota", "usedKLineQuota")
    USEDSUBQUOTA_FIELD_NUMBER: _ClassVar[int]
    USEDKLINEQUOTA_FIELD_NUMBER: _ClassVar[int]
    usedSubQuota: int
    usedKLineQuota: int
    def __init__(self, usedSubQuota: _Optional[int] = ..., usedKLineQuota: _Optional[int] = ...) -> None: ...

class S2C(_message.Message):
    """Notify.S2C (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
    __slots__ = ("type", "event", "programStatus", "connectStatus", "qotRight", "apiLevel", "apiQuota", "usedQuota")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    PROGRAMSTATUS_FIELD_NUMBER: _ClassVar[int]
    CONNECTSTATUS_FIELD_NUMBER: _ClassVar[int]
    QOTRIGHT_FIELD_NUMBER: _ClassVar[int]
    APILEVEL_FIELD_NUMBER: _ClassVar[int]
    APIQUOTA_FIELD_NUMBER: _ClassVar[int]
    USEDQUOTA_FIELD_NUMBER: _ClassVar[int]
    type: int
    event: GtwEvent
    programStatus: ProgramStatus
    connectStatus: ConnectStatus
    qotRight: QotRight
    apiLevel: APILevel
    apiQuota: APIQuota
    usedQuota: UsedQuota
    def __init__(self, type: _Optional[int] = ..., event: _Optional[_Union[GtwEvent, _Mapping[str, _Any]]] = ..., programStatus: _Optional[_Union[ProgramStatus, _Mapping[str, _Any]]] = ..., connectStatus: _Optional[_Union[ConnectStatus, _Mapping[str, _Any]]] = ..., qotRight: _Optional[_Union[QotRight, _Mapping[str, _Any]]] = ..., apiLevel: _Optional[_Union[APILevel, _Mapping[str, _Any]]] = ..., apiQuota: _Optional[_Union[APIQuota, _Mapping[str, _Any]]] = ..., usedQuota: _Optional[_Union[UsedQuota, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Notify.Response (schemas/proto/futu/Notify.proto). OpenD Notify (protoID 1003, push): events OpenD pushes unasked: gateway events, program status, connection status, quote rights, API level and quota."""
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
