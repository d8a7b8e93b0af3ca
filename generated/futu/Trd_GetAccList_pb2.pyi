from . import Trd_Common_pb2 as _Trd_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Trd_GetAccList.C2S (schemas/proto/futu/Trd_GetAccList.proto). OpenD Trd_GetAccList (protoID 2001): the trading accounts of the logged-in user, simulated and real."""
    __slots__ = ("userID", "trdCategory", "needGeneralSecAccount")
    USERID_FIELD_NUMBER: _ClassVar[int]
    TRDCATEGORY_FIELD_NUMBER: _ClassVar[int]
    NEEDGENERALSECACCOUNT_FIELD_NUMBER: _ClassVar[int]
    userID: int
    """ignored by OpenD today; futu-api sends the login user id"""
    trdCategory: int
    """Trd_Common.TrdCategory"""
    needGeneralSecAccount: bool
    def __init__(self, userID: _Optional[int] = ..., trdCategory: _Optional[int] = ..., needGeneralSecAccount: bool = ...) -> None: ...

class S2C(_message.Message):
    """Trd_GetAccList.S2C (schemas/proto/futu/Trd_GetAccList.proto). OpenD Trd_GetAccList (protoID 2001): the trading accounts of the logged-in user, simulated and real."""
    __slots__ = ("accList",)
    ACCLIST_FIELD_NUMBER: _ClassVar[int]
    accList: _containers.RepeatedCompositeFieldContainer[_Trd_Common_pb2.TrdAcc]
    def __init__(self, accList: _Optional[_Iterable[_Union[_Trd_Common_pb2.TrdAcc, _Mapping[str, _Any]]]] = ...) -> None: ...

class Request(_message.Message):
    """Trd_GetAccList.Request (schemas/proto/futu/Trd_GetAccList.proto). OpenD Trd_GetAccList (protoID 2001): the trading accounts of the logged-in user, simulated and real."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_GetAccList.Response (schemas/proto/futu/Trd_GetAccList.proto). OpenD Trd_GetAccList (protoID 2001): the trading accounts of the logged-in user, simulated and real."""
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
