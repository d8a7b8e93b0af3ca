from . import Common_pb2 as _Common_pb2
from . import Trd_Common_pb2 as _Trd_Common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Trd_PlaceOrder.C2S (schemas/proto/futu/Trd_PlaceOrder.proto). OpenD Trd_PlaceOrder (protoID 2202): place an order."""
    __slots__ = ("packetID", "header", "trdSide", "orderType", "code", "qty", "price", "adjustPrice", "adjustSideAndLimit", "secMarket", "remark", "timeInForce", "fillOutsideRTH", "auxPrice", "trailType", "trailValue", "trailSpread", "session", "positionID", "expireTime", "amount", "predSide")
    PACKETID_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    TRDSIDE_FIELD_NUMBER: _ClassVar[int]
    ORDERTYPE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    QTY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    ADJUSTPRICE_FIELD_NUMBER: _ClassVar[int]
    ADJUSTSIDEANDLIMIT_FIELD_NUMBER: _ClassVar[int]
    SECMARKET_FIELD_NUMBER: _ClassVar[int]
    REMARK_FIELD_NUMBER: _ClassVar[int]
    TIMEINFORCE_FIELD_NUMBER: _ClassVar[int]
    FILLOUTSIDERTH_FIELD_NUMBER: _ClassVar[int]
    AUXPRICE_FIELD_NUMBER: _ClassVar[int]
    TRAILTYPE_FIELD_NUMBER: _ClassVar[int]
    TRAILVALUE_FIELD_NUMBER: _ClassVar[int]
    TRAILSPREAD_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    POSITIONID_FIELD_NUMBER: _ClassVar[int]
    EXPIRETIME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PREDSIDE_FIELD_NUMBER: _ClassVar[int]
    packetID: _Common_pb2.PacketID
    """connID from InitConnect + a serial: replay protection for trade writes"""
    header: _Trd_Common_pb2.TrdHeader
    trdSide: int
    """Trd_Common.TrdSide"""
    orderType: int
    """Trd_Common.OrderType"""
    code: str
    """without the market prefix ("00700")"""
    qty: float
    price: float
    adjustPrice: bool
    adjustSideAndLimit: float
    secMarket: int
    """Trd_Common.TrdSecMarket"""
    remark: str
    timeInForce: int
    """Trd_Common.TimeInForce"""
    fillOutsideRTH: bool
    auxPrice: float
    trailType: int
    """Trd_Common.TrailType"""
    trailValue: float
    trailSpread: float
    session: int
    """Session (OpenD Common.proto; not modelled here)"""
    positionID: int
    expireTime: str
    amount: float
    predSide: int
    def __init__(self, packetID: _Optional[_Union[_Common_pb2.PacketID, _Mapping[str, _Any]]] = ..., header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., trdSide: _Optional[int] = ..., orderType: _Optional[int] = ..., code: _Optional[str] = ..., qty: _Optional[float] = ..., price: _Optional[float] = ..., adjustPrice: bool = ..., adjustSideAndLimit: _Optional[float] = ..., secMarket: _Optional[int] = ..., remark: _Optional[str] = ..., timeInForce: _Optional[int] = ..., fillOutsideRTH: bool = ..., auxPrice: _Optional[float] = ..., trailType: _Optional[int] = ..., trailValue: _Optional[float] = ..., trailSpread: _Optional[float] = ..., session: _Optional[int] = ..., positionID: _Optional[int] = ..., expireTime: _Optional[str] = ..., amount: _Optional[float] = ..., predSide: _Optional[int] = ...) -> None: ...

class S2C(_message.Message):
    """Trd_PlaceOrder.S2C (schemas/proto/futu/Trd_PlaceOrder.proto). OpenD Trd_PlaceOrder (protoID 2202): place an order."""
    __slots__ = ("header", "orderID", "orderIDEx")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    ORDERID_FIELD_NUMBER: _ClassVar[int]
    ORDERIDEX_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    orderID: int
    orderIDEx: str
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., orderID: _Optional[int] = ..., orderIDEx: _Optional[str] = ...) -> None: ...

class Request(_message.Message):
    """Trd_PlaceOrder.Request (schemas/proto/futu/Trd_PlaceOrder.proto). OpenD Trd_PlaceOrder (protoID 2202): place an order."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_PlaceOrder.Response (schemas/proto/futu/Trd_PlaceOrder.proto). OpenD Trd_PlaceOrder (protoID 2202): place an order."""
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
