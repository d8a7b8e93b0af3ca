from . import Common_pb2 as _Common_pb2
from . import Qot_Common_pb2 as _Qot_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Qot_GetBroker.C2S (schemas/proto/futu/Qot_GetBroker.proto). OpenD Qot_GetBroker (protoID 3014): the broker queue of a HK security subscribed to SubType_Broker."""
    __slots__ = ("security", "header")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    security: _Qot_Common_pb2.Security
    header: _Qot_Common_pb2.QotHeader
    def __init__(self, security: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., header: _Optional[_Union[_Qot_Common_pb2.QotHeader, _Mapping[str, _Any]]] = ...) -> None: ...

class S2C(_message.Message):
    """Qot_GetBroker.S2C (schemas/proto/futu/Qot_GetBroker.proto). OpenD Qot_GetBroker (protoID 3014): the broker queue of a HK security subscribed to SubType_Broker."""
    __slots__ = ("security", "name", "brokerAskList", "brokerBidList")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BROKERASKLIST_FIELD_NUMBER: _ClassVar[int]
    BROKERBIDLIST_FIELD_NUMBER: _ClassVar[int]
    security: _Qot_Common_pb2.Security
    name: str
    brokerAskList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.Broker]
    brokerBidList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.Broker]
    def __init__(self, security: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., name: _Optional[str] = ..., brokerAskList: _Optional[_Iterable[_Union[_Qot_Common_pb2.Broker, _Mapping[str, _Any]]]] = ..., brokerBidList: _Optional[_Iterable[_Union[_Qot_Common_pb2.Broker, _Mapping[str, _Any]]]] = ...) -> None: ...

class Request(_message.Message):
    """Qot_GetBroker.Request (schemas/proto/futu/Qot_GetBroker.proto). OpenD Qot_GetBroker (protoID 3014): the broker queue of a HK security subscribed to SubType_Broker."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Qot_GetBroker.Response (schemas/proto/futu/Qot_GetBroker.proto). OpenD Qot_GetBroker (protoID 3014): the broker queue of a HK security subscribed to SubType_Broker."""
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
