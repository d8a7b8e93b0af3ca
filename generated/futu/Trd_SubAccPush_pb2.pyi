from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Trd_SubAccPush.C2S (schemas/proto/futu/Trd_SubAccPush.proto). OpenD Trd_SubAccPush (protoID 2008): which accounts' order and fill pushes (Trd_UpdateOrder, Trd_UpdateOrderFill) this connection receives."""
    __slots__ = ("accIDList",)
    ACCIDLIST_FIELD_NUMBER: _ClassVar[int]
    accIDList: _containers.RepeatedScalarFieldContainer[int]
    """the whole set: each request replaces the previous one"""
    def __init__(self, accIDList: _Optional[_Iterable[int]] = ...) -> None: ...

class S2C(_message.Message):
    """Trd_SubAccPush.S2C (schemas/proto/futu/Trd_SubAccPush.proto). OpenD Trd_SubAccPush (protoID 2008): which accounts' order and fill pushes (Trd_UpdateOrder, Trd_UpdateOrderFill) this connection receives."""
    __slots__ = ()
    def __init__(self) -> None: ...

class Request(_message.Message):
    """Trd_SubAccPush.Request (schemas/proto/futu/Trd_SubAccPush.proto). OpenD Trd_SubAccPush (protoID 2008): which accounts' order and fill pushes (Trd_UpdateOrder, Trd_UpdateOrderFill) this connection receives."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_SubAccPush.Response (schemas/proto/futu/Trd_SubAccPush.proto). OpenD Trd_SubAccPush (protoID 2008): which accounts' order and fill pushes (Trd_UpdateOrder, Trd_UpdateOrderFill) this connection receives."""
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
