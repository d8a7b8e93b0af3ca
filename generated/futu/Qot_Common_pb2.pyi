from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class QotMarket(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QotMarket_Unknown: _ClassVar[QotMarket]
    QotMarket_HK_Security: _ClassVar[QotMarket]
    QotMarket_HK_Future: _ClassVar[QotMarket]
    QotMarket_US_Security: _ClassVar[QotMarket]
    QotMarket_CNSH_Security: _ClassVar[QotMarket]
    QotMarket_CNSZ_Security: _ClassVar[QotMarket]
    QotMarket_SG_Security: _ClassVar[QotMarket]
    QotMarket_JP_Security: _ClassVar[QotMarket]
    QotMarket_AU_Security: _ClassVar[QotMarket]
    QotMarket_MY_Security: _ClassVar[QotMarket]
    QotMarket_CA_Security: _ClassVar[QotMarket]
    QotMarket_FX_Security: _ClassVar[QotMarket]
    QotMarket_CC_Security: _ClassVar[QotMarket]
    QotMarket_EventContract: _ClassVar[QotMarket]

class SubType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SubType_None: _ClassVar[SubType]
    SubType_Basic: _ClassVar[SubType]
    SubType_OrderBook: _ClassVar[SubType]
    SubType_Ticker: _ClassVar[SubType]
    SubType_RT: _ClassVar[SubType]
    SubType_KL_Day: _ClassVar[SubType]
    SubType_KL_5Min: _ClassVar[SubType]
    SubType_KL_15Min: _ClassVar[SubType]
    SubType_KL_30Min: _ClassVar[SubType]
    SubType_KL_60Min: _ClassVar[SubType]
    SubType_KL_1Min: _ClassVar[SubType]
    SubType_KL_Week: _ClassVar[SubType]
    SubType_KL_Month: _ClassVar[SubType]
    SubType_Broker: _ClassVar[SubType]
    SubType_KL_Qurater: _ClassVar[SubType]
    SubType_KL_Year: _ClassVar[SubType]
    SubType_KL_3Min: _ClassVar[SubType]
    SubType_KL_10Min: _ClassVar[SubType]
    SubType_KL_120Min: _ClassVar[SubType]
    SubType_KL_180Min: _ClassVar[SubType]
    SubType_KL_240Min: _ClassVar[SubType]
    SubType_OrderBook_Odd: _ClassVar[SubType]

class OrderBookType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OrderBookType_Normal: _ClassVar[OrderBookType]
    OrderBookType_Odd: _ClassVar[OrderBookType]
QotMarket_Unknown: QotMarket
QotMarket_HK_Security: QotMarket
QotMarket_HK_Future: QotMarket
QotMarket_US_Security: QotMarket
QotMarket_CNSH_Security: QotMarket
QotMarket_CNSZ_Security: QotMarket
QotMarket_SG_Security: QotMarket
QotMarket_JP_Security: QotMarket
QotMarket_AU_Security: QotMarket
QotMarket_MY_Security: QotMarket
QotMarket_CA_Security: QotMarket
QotMarket_FX_Security: QotMarket
QotMarket_CC_Security: QotMarket
QotMarket_EventContract: QotMarket
SubType_None: SubType
SubType_Basic: SubType
SubType_OrderBook: SubType
SubType_Ticker: SubType
SubType_RT: SubType
SubType_KL_Day: SubType
SubType_KL_5Min: SubType
SubType_KL_15Min: SubType
SubType_KL_30Min: SubType
SubType_KL_60Min: SubType
SubType_KL_1Min: SubType
SubType_KL_Week: SubType
SubType_KL_Month: SubType
SubType_Broker: SubType
SubType_KL_Qurater: SubType
SubType_KL_Year: SubType
SubType_KL_3Min: SubType
SubType_KL_10Min: SubType
SubType_KL_120Min: SubType
SubType_KL_180Min: SubType
SubType_KL_240Min: SubType
SubType_OrderBook_Odd: SubType
OrderBookType_Normal: OrderBookType
OrderBookType_Odd: OrderBookType

class Security(_message.Message):
    """A tradable security: market is a QotMarket value, code the exchange code ("00700")."""
    __slots__ = ("market", "code")
    MARKET_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    market: int
    code: str
    def __init__(self, market: _Optional[int] = ..., code: _Optional[str] = ...) -> None: ...

class OrderBookDetail(_message.Message):
    """One exchange order queued at a price level."""
    __slots__ = ("orderID", "volume")
    ORDERID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    orderID: int
    volume: int
    def __init__(self, orderID: _Optional[int] = ..., volume: _Optional[int] = ...) -> None: ...

class OrderBook(_message.Message):
    """One price level. orederCount (sic) is the wire name. hpVolume, when present, is the high-precision volume and wins over volume."""
    __slots__ = ("price", "volume", "orederCount", "detailList", "hpVolume")
    PRICE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    OREDERCOUNT_FIELD_NUMBER: _ClassVar[int]
    DETAILLIST_FIELD_NUMBER: _ClassVar[int]
    HPVOLUME_FIELD_NUMBER: _ClassVar[int]
    price: float
    volume: int
    orederCount: int
    detailList: _containers.RepeatedCompositeFieldContainer[OrderBookDetail]
    hpVolume: float
    def __init__(self, price: _Optional[float] = ..., volume: _Optional[int] = ..., orederCount: _Optional[int] = ..., detailList: _Optional[_Iterable[_Union[OrderBookDetail, _Mapping[str, _Any]]]] = ..., hpVolume: _Optional[float] = ...) -> None: ...

class QotHeader(_message.Message):
    """Qot_Common.QotHeader (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("securityFirm",)
    SECURITYFIRM_FIELD_NUMBER: _ClassVar[int]
    securityFirm: int
    def __init__(self, securityFirm: _Optional[int] = ...) -> None: ...
