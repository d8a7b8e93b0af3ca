from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Trd_UnlockTrade.C2S (schemas/proto/futu/Trd_UnlockTrade.proto). OpenD Trd_UnlockTrade (protoID 2005): unlock (or lock) trading in the real environment with the trade password's MD5."""
    __slots__ = ("unlock", "pwdMD5", "securityFirm")
    UNLOCK_FIELD_NUMBER: _ClassVar[int]
    PWDMD5_FIELD_NUMBER: _ClassVar[int]
    SECURITYFIRM_FIELD_NUMBER: _ClassVar[int]
    unlock: bool
    """true unlocks, false locks again"""
    pwdMD5: str
    """32 lowercase hex digits: MD5 of the UTF-8 password"""
    securityFirm: int
    """Trd_Common.SecurityFirm"""
    def __init__(self, unlock: bool = ..., pwdMD5: _Optional[str] = ..., securityFirm: _Optional[int] = ...) -> None: ...

class S2C(_message.Message):
    """Trd_UnlockTrade.S2C (schemas/proto/futu/Trd_UnlockTrade.proto). OpenD Trd_UnlockTrade (protoID 2005): unlock (or lock) trading in the real environment with the trade password's MD5."""
    __slots__ = ()
    def __init__(self) -> None: ...

class Request(_message.Message):
    """Trd_UnlockTrade.Request (schemas/proto/futu/Trd_UnlockTrade.proto). OpenD Trd_UnlockTrade (protoID 2005): unlock (or lock) trading in the real environment with the trade password's MD5."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_UnlockTrade.Response (schemas/proto/futu/Trd_UnlockTrade.proto). OpenD Trd_UnlockTrade (protoID 2005): unlock (or lock) trading in the real environment with the trade password's MD5."""
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
