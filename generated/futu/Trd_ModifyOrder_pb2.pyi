from . import Common_pb2 as _Common_pb2
from . import Trd_Common_pb2 as _Trd_Common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Trd_ModifyOrder.C2S (schemas/proto/futu/Trd_ModifyOrder.proto). OpenD Trd_ModifyOrder (protoID 2205): change or cancel an order (modifyOrderOp)."""
    __slots__ = ("packetID", "header", "orderID", "modifyOrderOp", "forAll", "trdMarket", "qty", "price", "adjustPrice", "adjustSideAndLimit", "auxPrice", "trailType", "trailValue", "trailSpread", "orderIDEx")
    PACKETID_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    ORDERID_FIELD_NUMBER: _ClassVar[int]
    MODIFYORDEROP_FIELD_NUMBER: _ClassVar[int]
    FORALL_FIELD_NUMBER: _ClassVar[int]
    TRDMARKET_FIELD_NUMBER: _ClassVar[int]
    QTY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    ADJUSTPRICE_FIELD_NUMBER: _ClassVar[int]
    ADJUSTSIDEANDLIMIT_FIELD_NUMBER: _ClassVar[int]
    AUXPRICE_FIELD_NUMBER: _ClassVar[int]
    TRAILTYPE_FIELD_NUMBER: _ClassVar[int]
    TRAILVALUE_FIELD_NUMBER: _ClassVar[int]
    TRAILSPREAD_FIELD_NUMBER: _ClassVar[int]
    ORDERIDEX_FIELD_NUMBER: _ClassVar[int]
    packetID: _Common_pb2.PacketID
    """as in Trd_PlaceOrder"""
    header: _Trd_Common_pb2.TrdHeader
    orderID: int
    modifyOrderOp: int
    """Trd_Common.ModifyOrderOp"""
    forAll: bool
    trdMarket: int
    """Trd_Common.TrdMarket"""
    qty: float
    """field 7 is not used"""
    price: float
    adjustPrice: bool
    adjustSideAndLimit: float
    auxPrice: float
    trailType: int
    """Trd_Common.TrailType"""
    trailValue: float
    trailSpread: float
    orderIDEx: str
    def __init__(self, packetID: _Optional[_Union[_Common_pb2.PacketID, _Mapping[str, _Any]]] = ..., header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., orderID: _Optional[int] = ..., modifyOrderOp: _Optional[int] = ..., forAll: bool = ..., trdMarket: _Optional[int] = ..., qty: _Optional[float] = ..., price: _Optional[float] = ..., adjustPrice: bool = ..., adjustSideAndLimit: _Optional[float] = ..., auxPrice: _Optional[float] = ..., trailType: _Optional[int] = ..., trailValue: _Optional[float] = ..., trailSpread: _Optional[float] = ..., orderIDEx: _Optional[str] = ...) -> None: ...

class S2C(_message.Message):
    """Trd_ModifyOrder.S2C (schemas/proto/futu/Trd_ModifyOrder.proto). OpenD Trd_ModifyOrder (protoID 2205): change or cancel an order (modifyOrderOp)."""
    __slots__ = ("header", "orderID", "orderIDEx")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    ORDERID_FIELD_NUMBER: _ClassVar[int]
    ORDERIDEX_FIELD_NUMBER: _ClassVar[int]
    header: _Trd_Common_pb2.TrdHeader
    orderID: int
    orderIDEx: str
    def __init__(self, header: _Optional[_Union[_Trd_Common_pb2.TrdHeader, _Mapping[str, _Any]]] = ..., orderID: _Optional[int] = ..., orderIDEx: _Optional[str] = ...) -> None: ...

class Request(_message.Message):
    """Trd_ModifyOrder.Request (schemas/proto/futu/Trd_ModifyOrder.proto). OpenD Trd_ModifyOrder (protoID 2205): change or cancel an order (modifyOrderOp)."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Trd_ModifyOrder.Response (schemas/proto/futu/Trd_ModifyOrder.proto). OpenD Trd_ModifyOrder (protoID 2205): change or cancel an order (modifyOrderOp)."""
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
