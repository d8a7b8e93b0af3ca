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

class SecurityType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SecurityType_Unknown: _ClassVar[SecurityType]
    SecurityType_Bond: _ClassVar[SecurityType]
    SecurityType_Bwrt: _ClassVar[SecurityType]
    SecurityType_Eqty: _ClassVar[SecurityType]
    SecurityType_Trust: _ClassVar[SecurityType]
    SecurityType_Warrant: _ClassVar[SecurityType]
    SecurityType_Index: _ClassVar[SecurityType]
    SecurityType_Plate: _ClassVar[SecurityType]
    SecurityType_Drvt: _ClassVar[SecurityType]
    SecurityType_PlateSet: _ClassVar[SecurityType]
    SecurityType_Future: _ClassVar[SecurityType]
    SecurityType_Forex: _ClassVar[SecurityType]
    SecurityType_Crypto: _ClassVar[SecurityType]

class WarrantType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WarrantType_Unknown: _ClassVar[WarrantType]
    WarrantType_Buy: _ClassVar[WarrantType]
    WarrantType_Sell: _ClassVar[WarrantType]
    WarrantType_Bull: _ClassVar[WarrantType]
    WarrantType_Bear: _ClassVar[WarrantType]
    WarrantType_InLine: _ClassVar[WarrantType]

class OptionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OptionType_Unknown: _ClassVar[OptionType]
    OptionType_Call: _ClassVar[OptionType]
    OptionType_Put: _ClassVar[OptionType]

class IndexOptionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IndexOptionType_Unknown: _ClassVar[IndexOptionType]
    IndexOptionType_Normal: _ClassVar[IndexOptionType]
    IndexOptionType_Small: _ClassVar[IndexOptionType]

class OptionAreaType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OptionAreaType_Unknown: _ClassVar[OptionAreaType]
    OptionAreaType_American: _ClassVar[OptionAreaType]
    OptionAreaType_European: _ClassVar[OptionAreaType]
    OptionAreaType_Bermuda: _ClassVar[OptionAreaType]

class QotMarketState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QotMarketState_None: _ClassVar[QotMarketState]
    QotMarketState_Auction: _ClassVar[QotMarketState]
    QotMarketState_WaitingOpen: _ClassVar[QotMarketState]
    QotMarketState_Morning: _ClassVar[QotMarketState]
    QotMarketState_Rest: _ClassVar[QotMarketState]
    QotMarketState_Afternoon: _ClassVar[QotMarketState]
    QotMarketState_Closed: _ClassVar[QotMarketState]
    QotMarketState_PreMarketBegin: _ClassVar[QotMarketState]
    QotMarketState_PreMarketEnd: _ClassVar[QotMarketState]
    QotMarketState_AfterHoursBegin: _ClassVar[QotMarketState]
    QotMarketState_AfterHoursEnd: _ClassVar[QotMarketState]
    QotMarketState_FUTU_SWITCH_DATE: _ClassVar[QotMarketState]
    QotMarketState_NightOpen: _ClassVar[QotMarketState]
    QotMarketState_NightEnd: _ClassVar[QotMarketState]
    QotMarketState_FutureDayOpen: _ClassVar[QotMarketState]
    QotMarketState_FutureDayBreak: _ClassVar[QotMarketState]
    QotMarketState_FutureDayClose: _ClassVar[QotMarketState]
    QotMarketState_FutureDayWaitForOpen: _ClassVar[QotMarketState]
    QotMarketState_HkCas: _ClassVar[QotMarketState]
    QotMarketState_FutureNightWait: _ClassVar[QotMarketState]
    QotMarketState_FutureAfternoon: _ClassVar[QotMarketState]
    QotMarketState_FutureSwitchDate: _ClassVar[QotMarketState]
    QotMarketState_FutureOpen: _ClassVar[QotMarketState]
    QotMarketState_FutureBreak: _ClassVar[QotMarketState]
    QotMarketState_FutureBreakOver: _ClassVar[QotMarketState]
    QotMarketState_FutureClose: _ClassVar[QotMarketState]
    QotMarketState_StibAfterHoursWait: _ClassVar[QotMarketState]
    QotMarketState_AShareAfterHoursWait: _ClassVar[QotMarketState]
    QotMarketState_StibAfterHoursBegin: _ClassVar[QotMarketState]
    QotMarketState_AShareAfterHoursBegin: _ClassVar[QotMarketState]
    QotMarketState_StibAfterHoursEnd: _ClassVar[QotMarketState]
    QotMarketState_AShareAfterHoursEnd: _ClassVar[QotMarketState]
    QotMarketState_CLOSE_AUCTION: _ClassVar[QotMarketState]
    QotMarketState_AFTERNOON_END: _ClassVar[QotMarketState]
    QotMarketState_NIGHT: _ClassVar[QotMarketState]
    QotMarketState_OVERNIGHT_BEGIN: _ClassVar[QotMarketState]
    QotMarketState_OVERNIGHT_END: _ClassVar[QotMarketState]
    QotMarketState_TRADE_AT_LAST: _ClassVar[QotMarketState]
    QotMarketState_TRADE_AUCTION: _ClassVar[QotMarketState]
    QotMarketState_OVERNIGHT: _ClassVar[QotMarketState]

class RehabType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RehabType_None: _ClassVar[RehabType]
    RehabType_Forward: _ClassVar[RehabType]
    RehabType_Backward: _ClassVar[RehabType]

class KLType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KLType_Unknown: _ClassVar[KLType]
    KLType_1Min: _ClassVar[KLType]
    KLType_Day: _ClassVar[KLType]
    KLType_Week: _ClassVar[KLType]
    KLType_Month: _ClassVar[KLType]
    KLType_Year: _ClassVar[KLType]
    KLType_5Min: _ClassVar[KLType]
    KLType_15Min: _ClassVar[KLType]
    KLType_30Min: _ClassVar[KLType]
    KLType_60Min: _ClassVar[KLType]
    KLType_3Min: _ClassVar[KLType]
    KLType_Quarter: _ClassVar[KLType]
    KLType_10Min: _ClassVar[KLType]
    KLType_120Min: _ClassVar[KLType]
    KLType_180Min: _ClassVar[KLType]
    KLType_240Min: _ClassVar[KLType]

class KLFields(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KLFields_None: _ClassVar[KLFields]
    KLFields_High: _ClassVar[KLFields]
    KLFields_Open: _ClassVar[KLFields]
    KLFields_Low: _ClassVar[KLFields]
    KLFields_Close: _ClassVar[KLFields]
    KLFields_LastClose: _ClassVar[KLFields]
    KLFields_Volume: _ClassVar[KLFields]
    KLFields_Turnover: _ClassVar[KLFields]
    KLFields_TurnoverRate: _ClassVar[KLFields]
    KLFields_PE: _ClassVar[KLFields]
    KLFields_ChangeRate: _ClassVar[KLFields]

class TickerDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TickerDirection_Unknown: _ClassVar[TickerDirection]
    TickerDirection_Bid: _ClassVar[TickerDirection]
    TickerDirection_Ask: _ClassVar[TickerDirection]
    TickerDirection_Neutral: _ClassVar[TickerDirection]

class TickerType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TickerType_Unknown: _ClassVar[TickerType]
    TickerType_Automatch: _ClassVar[TickerType]
    TickerType_Late: _ClassVar[TickerType]
    TickerType_NoneAutomatch: _ClassVar[TickerType]
    TickerType_InterAutomatch: _ClassVar[TickerType]
    TickerType_InterNoneAutomatch: _ClassVar[TickerType]
    TickerType_OddLot: _ClassVar[TickerType]
    TickerType_Auction: _ClassVar[TickerType]
    TickerType_Bulk: _ClassVar[TickerType]
    TickerType_Crash: _ClassVar[TickerType]
    TickerType_CrossMarket: _ClassVar[TickerType]
    TickerType_BulkSold: _ClassVar[TickerType]
    TickerType_FreeOnBoard: _ClassVar[TickerType]
    TickerType_Rule127Or155: _ClassVar[TickerType]
    TickerType_Delay: _ClassVar[TickerType]
    TickerType_MarketCenterClosePrice: _ClassVar[TickerType]
    TickerType_NextDay: _ClassVar[TickerType]
    TickerType_MarketCenterOpening: _ClassVar[TickerType]
    TickerType_PriorReferencePrice: _ClassVar[TickerType]
    TickerType_MarketCenterOpenPrice: _ClassVar[TickerType]
    TickerType_Seller: _ClassVar[TickerType]
    TickerType_T: _ClassVar[TickerType]
    TickerType_ExtendedTradingHours: _ClassVar[TickerType]
    TickerType_Contingent: _ClassVar[TickerType]
    TickerType_AvgPrice: _ClassVar[TickerType]
    TickerType_OTCSold: _ClassVar[TickerType]
    TickerType_OddLotCrossMarket: _ClassVar[TickerType]
    TickerType_DerivativelyPriced: _ClassVar[TickerType]
    TickerType_ReOpeningPriced: _ClassVar[TickerType]
    TickerType_ClosingPriced: _ClassVar[TickerType]
    TickerType_ComprehensiveDelayPrice: _ClassVar[TickerType]
    TickerType_Overseas: _ClassVar[TickerType]

class DarkStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DarkStatus_None: _ClassVar[DarkStatus]
    DarkStatus_Trading: _ClassVar[DarkStatus]
    DarkStatus_End: _ClassVar[DarkStatus]

class SecurityStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SecurityStatus_Unknown: _ClassVar[SecurityStatus]
    SecurityStatus_Normal: _ClassVar[SecurityStatus]
    SecurityStatus_Listing: _ClassVar[SecurityStatus]
    SecurityStatus_Purchasing: _ClassVar[SecurityStatus]
    SecurityStatus_Subscribing: _ClassVar[SecurityStatus]
    SecurityStatus_BeforeDrakTradeOpening: _ClassVar[SecurityStatus]
    SecurityStatus_DrakTrading: _ClassVar[SecurityStatus]
    SecurityStatus_DrakTradeEnd: _ClassVar[SecurityStatus]
    SecurityStatus_ToBeOpen: _ClassVar[SecurityStatus]
    SecurityStatus_Suspended: _ClassVar[SecurityStatus]
    SecurityStatus_Called: _ClassVar[SecurityStatus]
    SecurityStatus_ExpiredLastTradingDate: _ClassVar[SecurityStatus]
    SecurityStatus_Expired: _ClassVar[SecurityStatus]
    SecurityStatus_Delisted: _ClassVar[SecurityStatus]
    SecurityStatus_ChangeToTemporaryCode: _ClassVar[SecurityStatus]
    SecurityStatus_TemporaryCodeTradeEnd: _ClassVar[SecurityStatus]
    SecurityStatus_ChangedPlateTradeEnd: _ClassVar[SecurityStatus]
    SecurityStatus_ChangedCodeTradeEnd: _ClassVar[SecurityStatus]
    SecurityStatus_RecoverableCircuitBreaker: _ClassVar[SecurityStatus]
    SecurityStatus_UnRecoverableCircuitBreaker: _ClassVar[SecurityStatus]
    SecurityStatus_AfterCombination: _ClassVar[SecurityStatus]
    SecurityStatus_AfterTransation: _ClassVar[SecurityStatus]

class PriceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PriceType_Unknow: _ClassVar[PriceType]
    PriceType_Outside: _ClassVar[PriceType]
    PriceType_WithIn: _ClassVar[PriceType]

class QotRight(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QotRight_Unknow: _ClassVar[QotRight]
    QotRight_Bmp: _ClassVar[QotRight]
    QotRight_Level1: _ClassVar[QotRight]
    QotRight_Level2: _ClassVar[QotRight]
    QotRight_SF: _ClassVar[QotRight]
    QotRight_No: _ClassVar[QotRight]
    QotRight_Level3: _ClassVar[QotRight]

class AssetClass(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AssetClass_Unknow: _ClassVar[AssetClass]
    AssetClass_Stock: _ClassVar[AssetClass]
    AssetClass_Bond: _ClassVar[AssetClass]
    AssetClass_Commodity: _ClassVar[AssetClass]
    AssetClass_CurrencyMarket: _ClassVar[AssetClass]
    AssetClass_Future: _ClassVar[AssetClass]
    AssetClass_Swap: _ClassVar[AssetClass]

class ExpirationCycle(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ExpirationCycle_Unknown: _ClassVar[ExpirationCycle]
    ExpirationCycle_Week: _ClassVar[ExpirationCycle]
    ExpirationCycle_Month: _ClassVar[ExpirationCycle]
    ExpirationCycle_MonthEnd: _ClassVar[ExpirationCycle]
    ExpirationCycle_Quarter: _ClassVar[ExpirationCycle]
    ExpirationCycle_WeekMon: _ClassVar[ExpirationCycle]
    ExpirationCycle_WeekTue: _ClassVar[ExpirationCycle]
    ExpirationCycle_WeekWed: _ClassVar[ExpirationCycle]
    ExpirationCycle_WeekThu: _ClassVar[ExpirationCycle]
    ExpirationCycle_WeekFri: _ClassVar[ExpirationCycle]

class OptionStandardType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OptionStandardType_Unknown: _ClassVar[OptionStandardType]
    OptionStandardType_Standard: _ClassVar[OptionStandardType]
    OptionStandardType_NonStandard: _ClassVar[OptionStandardType]

class OptionSettlementMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OptionSettlementMode_Unknown: _ClassVar[OptionSettlementMode]
    OptionSettlementMode_AM: _ClassVar[OptionSettlementMode]
    OptionSettlementMode_PM: _ClassVar[OptionSettlementMode]

class ExchType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ExchType_Unknown: _ClassVar[ExchType]
    ExchType_HK_MainBoard: _ClassVar[ExchType]
    ExchType_HK_GEMBoard: _ClassVar[ExchType]
    ExchType_HK_HKEX: _ClassVar[ExchType]
    ExchType_US_NYSE: _ClassVar[ExchType]
    ExchType_US_Nasdaq: _ClassVar[ExchType]
    ExchType_US_Pink: _ClassVar[ExchType]
    ExchType_US_AMEX: _ClassVar[ExchType]
    ExchType_US_Option: _ClassVar[ExchType]
    ExchType_US_NYMEX: _ClassVar[ExchType]
    ExchType_US_COMEX: _ClassVar[ExchType]
    ExchType_US_CBOT: _ClassVar[ExchType]
    ExchType_US_CME: _ClassVar[ExchType]
    ExchType_US_CBOE: _ClassVar[ExchType]
    ExchType_CN_SH: _ClassVar[ExchType]
    ExchType_CN_SZ: _ClassVar[ExchType]
    ExchType_CN_STIB: _ClassVar[ExchType]
    ExchType_SG_SGX: _ClassVar[ExchType]
    ExchType_JP_OSE: _ClassVar[ExchType]
    ExchType_CC_CRYPTO: _ClassVar[ExchType]
    ExchType_MY_MYX: _ClassVar[ExchType]
    ExchType_JP_TSE: _ClassVar[ExchType]
    ExchType_JP_Nikkei: _ClassVar[ExchType]
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
SecurityType_Unknown: SecurityType
SecurityType_Bond: SecurityType
SecurityType_Bwrt: SecurityType
SecurityType_Eqty: SecurityType
SecurityType_Trust: SecurityType
SecurityType_Warrant: SecurityType
SecurityType_Index: SecurityType
SecurityType_Plate: SecurityType
SecurityType_Drvt: SecurityType
SecurityType_PlateSet: SecurityType
SecurityType_Future: SecurityType
SecurityType_Forex: SecurityType
SecurityType_Crypto: SecurityType
WarrantType_Unknown: WarrantType
WarrantType_Buy: WarrantType
WarrantType_Sell: WarrantType
WarrantType_Bull: WarrantType
WarrantType_Bear: WarrantType
WarrantType_InLine: WarrantType
OptionType_Unknown: OptionType
OptionType_Call: OptionType
OptionType_Put: OptionType
IndexOptionType_Unknown: IndexOptionType
IndexOptionType_Normal: IndexOptionType
IndexOptionType_Small: IndexOptionType
OptionAreaType_Unknown: OptionAreaType
OptionAreaType_American: OptionAreaType
OptionAreaType_European: OptionAreaType
OptionAreaType_Bermuda: OptionAreaType
QotMarketState_None: QotMarketState
QotMarketState_Auction: QotMarketState
QotMarketState_WaitingOpen: QotMarketState
QotMarketState_Morning: QotMarketState
QotMarketState_Rest: QotMarketState
QotMarketState_Afternoon: QotMarketState
QotMarketState_Closed: QotMarketState
QotMarketState_PreMarketBegin: QotMarketState
QotMarketState_PreMarketEnd: QotMarketState
QotMarketState_AfterHoursBegin: QotMarketState
QotMarketState_AfterHoursEnd: QotMarketState
QotMarketState_FUTU_SWITCH_DATE: QotMarketState
QotMarketState_NightOpen: QotMarketState
QotMarketState_NightEnd: QotMarketState
QotMarketState_FutureDayOpen: QotMarketState
QotMarketState_FutureDayBreak: QotMarketState
QotMarketState_FutureDayClose: QotMarketState
QotMarketState_FutureDayWaitForOpen: QotMarketState
QotMarketState_HkCas: QotMarketState
QotMarketState_FutureNightWait: QotMarketState
QotMarketState_FutureAfternoon: QotMarketState
QotMarketState_FutureSwitchDate: QotMarketState
QotMarketState_FutureOpen: QotMarketState
QotMarketState_FutureBreak: QotMarketState
QotMarketState_FutureBreakOver: QotMarketState
QotMarketState_FutureClose: QotMarketState
QotMarketState_StibAfterHoursWait: QotMarketState
QotMarketState_AShareAfterHoursWait: QotMarketState
QotMarketState_StibAfterHoursBegin: QotMarketState
QotMarketState_AShareAfterHoursBegin: QotMarketState
QotMarketState_StibAfterHoursEnd: QotMarketState
QotMarketState_AShareAfterHoursEnd: QotMarketState
QotMarketState_CLOSE_AUCTION: QotMarketState
QotMarketState_AFTERNOON_END: QotMarketState
QotMarketState_NIGHT: QotMarketState
QotMarketState_OVERNIGHT_BEGIN: QotMarketState
QotMarketState_OVERNIGHT_END: QotMarketState
QotMarketState_TRADE_AT_LAST: QotMarketState
QotMarketState_TRADE_AUCTION: QotMarketState
QotMarketState_OVERNIGHT: QotMarketState
RehabType_None: RehabType
RehabType_Forward: RehabType
RehabType_Backward: RehabType
KLType_Unknown: KLType
KLType_1Min: KLType
KLType_Day: KLType
KLType_Week: KLType
KLType_Month: KLType
KLType_Year: KLType
KLType_5Min: KLType
KLType_15Min: KLType
KLType_30Min: KLType
KLType_60Min: KLType
KLType_3Min: KLType
KLType_Quarter: KLType
KLType_10Min: KLType
KLType_120Min: KLType
KLType_180Min: KLType
KLType_240Min: KLType
KLFields_None: KLFields
KLFields_High: KLFields
KLFields_Open: KLFields
KLFields_Low: KLFields
KLFields_Close: KLFields
KLFields_LastClose: KLFields
KLFields_Volume: KLFields
KLFields_Turnover: KLFields
KLFields_TurnoverRate: KLFields
KLFields_PE: KLFields
KLFields_ChangeRate: KLFields
TickerDirection_Unknown: TickerDirection
TickerDirection_Bid: TickerDirection
TickerDirection_Ask: TickerDirection
TickerDirection_Neutral: TickerDirection
TickerType_Unknown: TickerType
TickerType_Automatch: TickerType
TickerType_Late: TickerType
TickerType_NoneAutomatch: TickerType
TickerType_InterAutomatch: TickerType
TickerType_InterNoneAutomatch: TickerType
TickerType_OddLot: TickerType
TickerType_Auction: TickerType
TickerType_Bulk: TickerType
TickerType_Crash: TickerType
TickerType_CrossMarket: TickerType
TickerType_BulkSold: TickerType
TickerType_FreeOnBoard: TickerType
TickerType_Rule127Or155: TickerType
TickerType_Delay: TickerType
TickerType_MarketCenterClosePrice: TickerType
TickerType_NextDay: TickerType
TickerType_MarketCenterOpening: TickerType
TickerType_PriorReferencePrice: TickerType
TickerType_MarketCenterOpenPrice: TickerType
TickerType_Seller: TickerType
TickerType_T: TickerType
TickerType_ExtendedTradingHours: TickerType
TickerType_Contingent: TickerType
TickerType_AvgPrice: TickerType
TickerType_OTCSold: TickerType
TickerType_OddLotCrossMarket: TickerType
TickerType_DerivativelyPriced: TickerType
TickerType_ReOpeningPriced: TickerType
TickerType_ClosingPriced: TickerType
TickerType_ComprehensiveDelayPrice: TickerType
TickerType_Overseas: TickerType
DarkStatus_None: DarkStatus
DarkStatus_Trading: DarkStatus
DarkStatus_End: DarkStatus
SecurityStatus_Unknown: SecurityStatus
SecurityStatus_Normal: SecurityStatus
SecurityStatus_Listing: SecurityStatus
SecurityStatus_Purchasing: SecurityStatus
SecurityStatus_Subscribing: SecurityStatus
SecurityStatus_BeforeDrakTradeOpening: SecurityStatus
SecurityStatus_DrakTrading: SecurityStatus
SecurityStatus_DrakTradeEnd: SecurityStatus
SecurityStatus_ToBeOpen: SecurityStatus
SecurityStatus_Suspended: SecurityStatus
SecurityStatus_Called: SecurityStatus
SecurityStatus_ExpiredLastTradingDate: SecurityStatus
SecurityStatus_Expired: SecurityStatus
SecurityStatus_Delisted: SecurityStatus
SecurityStatus_ChangeToTemporaryCode: SecurityStatus
SecurityStatus_TemporaryCodeTradeEnd: SecurityStatus
SecurityStatus_ChangedPlateTradeEnd: SecurityStatus
SecurityStatus_ChangedCodeTradeEnd: SecurityStatus
SecurityStatus_RecoverableCircuitBreaker: SecurityStatus
SecurityStatus_UnRecoverableCircuitBreaker: SecurityStatus
SecurityStatus_AfterCombination: SecurityStatus
SecurityStatus_AfterTransation: SecurityStatus
PriceType_Unknow: PriceType
PriceType_Outside: PriceType
PriceType_WithIn: PriceType
QotRight_Unknow: QotRight
QotRight_Bmp: QotRight
QotRight_Level1: QotRight
QotRight_Level2: QotRight
QotRight_SF: QotRight
QotRight_No: QotRight
QotRight_Level3: QotRight
AssetClass_Unknow: AssetClass
AssetClass_Stock: AssetClass
AssetClass_Bond: AssetClass
AssetClass_Commodity: AssetClass
AssetClass_CurrencyMarket: AssetClass
AssetClass_Future: AssetClass
AssetClass_Swap: AssetClass
ExpirationCycle_Unknown: ExpirationCycle
ExpirationCycle_Week: ExpirationCycle
ExpirationCycle_Month: ExpirationCycle
ExpirationCycle_MonthEnd: ExpirationCycle
ExpirationCycle_Quarter: ExpirationCycle
ExpirationCycle_WeekMon: ExpirationCycle
ExpirationCycle_WeekTue: ExpirationCycle
ExpirationCycle_WeekWed: ExpirationCycle
ExpirationCycle_WeekThu: ExpirationCycle
ExpirationCycle_WeekFri: ExpirationCycle
OptionStandardType_Unknown: OptionStandardType
OptionStandardType_Standard: OptionStandardType
OptionStandardType_NonStandard: OptionStandardType
OptionSettlementMode_Unknown: OptionSettlementMode
OptionSettlementMode_AM: OptionSettlementMode
OptionSettlementMode_PM: OptionSettlementMode
ExchType_Unknown: ExchType
ExchType_HK_MainBoard: ExchType
ExchType_HK_GEMBoard: ExchType
ExchType_HK_HKEX: ExchType
ExchType_US_NYSE: ExchType
ExchType_US_Nasdaq: ExchType
ExchType_US_Pink: ExchType
ExchType_US_AMEX: ExchType
ExchType_US_Option: ExchType
ExchType_US_NYMEX: ExchType
ExchType_US_COMEX: ExchType
ExchType_US_CBOT: ExchType
ExchType_US_CME: ExchType
ExchType_US_CBOE: ExchType
ExchType_CN_SH: ExchType
ExchType_CN_SZ: ExchType
ExchType_CN_STIB: ExchType
ExchType_SG_SGX: ExchType
ExchType_JP_OSE: ExchType
ExchType_CC_CRYPTO: ExchType
ExchType_MY_MYX: ExchType
ExchType_JP_TSE: ExchType
ExchType_JP_Nikkei: ExchType

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

class KLine(_message.Message):
    """Qot_Common.KLine (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("time", "isBlank", "highPrice", "openPrice", "lowPrice", "closePrice", "lastClosePrice", "volume", "turnover", "turnoverRate", "pe", "changeRate", "timestamp", "hpVolume")
    TIME_FIELD_NUMBER: _ClassVar[int]
    ISBLANK_FIELD_NUMBER: _ClassVar[int]
    HIGHPRICE_FIELD_NUMBER: _ClassVar[int]
    OPENPRICE_FIELD_NUMBER: _ClassVar[int]
    LOWPRICE_FIELD_NUMBER: _ClassVar[int]
    CLOSEPRICE_FIELD_NUMBER: _ClassVar[int]
    LASTCLOSEPRICE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_FIELD_NUMBER: _ClassVar[int]
    TURNOVERRATE_FIELD_NUMBER: _ClassVar[int]
    PE_FIELD_NUMBER: _ClassVar[int]
    CHANGERATE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    HPVOLUME_FIELD_NUMBER: _ClassVar[int]
    time: str
    isBlank: bool
    highPrice: float
    openPrice: float
    lowPrice: float
    closePrice: float
    lastClosePrice: float
    volume: int
    turnover: float
    turnoverRate: float
    pe: float
    changeRate: float
    timestamp: float
    hpVolume: float
    def __init__(self, time: _Optional[str] = ..., isBlank: bool = ..., highPrice: _Optional[float] = ..., openPrice: _Optional[float] = ..., lowPrice: _Optional[float] = ..., closePrice: _Optional[float] = ..., lastClosePrice: _Optional[float] = ..., volume: _Optional[int] = ..., turnover: _Optional[float] = ..., turnoverRate: _Optional[float] = ..., pe: _Optional[float] = ..., changeRate: _Optional[float] = ..., timestamp: _Optional[float] = ..., hpVolume: _Optional[float] = ...) -> None: ...

class OptionBasicQotExData(_message.Message):
    """Qot_Common.OptionBasicQotExData (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("strikePrice", "contractSize", "contractSizeFloat", "openInterest", "impliedVolatility", "premium", "delta", "gamma", "vega", "theta", "rho", "netOpenInterest", "expiryDateDistance", "contractNominalValue", "ownerLotMultiplier", "optionAreaType", "contractMultiplier", "indexOptionType")
    STRIKEPRICE_FIELD_NUMBER: _ClassVar[int]
    CONTRACTSIZE_FIELD_NUMBER: _ClassVar[int]
    CONTRACTSIZEFLOAT_FIELD_NUMBER: _ClassVar[int]
    OPENINTEREST_FIELD_NUMBER: _ClassVar[int]
    IMPLIEDVOLATILITY_FIELD_NUMBER: _ClassVar[int]
    PREMIUM_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    GAMMA_FIELD_NUMBER: _ClassVar[int]
    VEGA_FIELD_NUMBER: _ClassVar[int]
    THETA_FIELD_NUMBER: _ClassVar[int]
    RHO_FIELD_NUMBER: _ClassVar[int]
    NETOPENINTEREST_FIELD_NUMBER: _ClassVar[int]
    EXPIRYDATEDISTANCE_FIELD_NUMBER: _ClassVar[int]
    CONTRACTNOMINALVALUE_FIELD_NUMBER: _ClassVar[int]
    OWNERLOTMULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    OPTIONAREATYPE_FIELD_NUMBER: _ClassVar[int]
    CONTRACTMULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    INDEXOPTIONTYPE_FIELD_NUMBER: _ClassVar[int]
    strikePrice: float
    contractSize: int
    contractSizeFloat: float
    openInterest: int
    impliedVolatility: float
    premium: float
    delta: float
    gamma: float
    vega: float
    theta: float
    rho: float
    netOpenInterest: int
    expiryDateDistance: int
    contractNominalValue: float
    ownerLotMultiplier: float
    optionAreaType: int
    """OptionAreaType"""
    contractMultiplier: float
    indexOptionType: int
    """IndexOptionType"""
    def __init__(self, strikePrice: _Optional[float] = ..., contractSize: _Optional[int] = ..., contractSizeFloat: _Optional[float] = ..., openInterest: _Optional[int] = ..., impliedVolatility: _Optional[float] = ..., premium: _Optional[float] = ..., delta: _Optional[float] = ..., gamma: _Optional[float] = ..., vega: _Optional[float] = ..., theta: _Optional[float] = ..., rho: _Optional[float] = ..., netOpenInterest: _Optional[int] = ..., expiryDateDistance: _Optional[int] = ..., contractNominalValue: _Optional[float] = ..., ownerLotMultiplier: _Optional[float] = ..., optionAreaType: _Optional[int] = ..., contractMultiplier: _Optional[float] = ..., indexOptionType: _Optional[int] = ...) -> None: ...

class PreAfterMarketData(_message.Message):
    """Qot_Common.PreAfterMarketData (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("price", "highPrice", "lowPrice", "volume", "turnover", "changeVal", "changeRate", "amplitude")
    PRICE_FIELD_NUMBER: _ClassVar[int]
    HIGHPRICE_FIELD_NUMBER: _ClassVar[int]
    LOWPRICE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_FIELD_NUMBER: _ClassVar[int]
    CHANGEVAL_FIELD_NUMBER: _ClassVar[int]
    CHANGERATE_FIELD_NUMBER: _ClassVar[int]
    AMPLITUDE_FIELD_NUMBER: _ClassVar[int]
    price: float
    highPrice: float
    lowPrice: float
    volume: int
    turnover: float
    changeVal: float
    changeRate: float
    amplitude: float
    def __init__(self, price: _Optional[float] = ..., highPrice: _Optional[float] = ..., lowPrice: _Optional[float] = ..., volume: _Optional[int] = ..., turnover: _Optional[float] = ..., changeVal: _Optional[float] = ..., changeRate: _Optional[float] = ..., amplitude: _Optional[float] = ...) -> None: ...

class FutureBasicQotExData(_message.Message):
    """Qot_Common.FutureBasicQotExData (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("lastSettlePrice", "position", "positionChange", "expiryDateDistance")
    LASTSETTLEPRICE_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    POSITIONCHANGE_FIELD_NUMBER: _ClassVar[int]
    EXPIRYDATEDISTANCE_FIELD_NUMBER: _ClassVar[int]
    lastSettlePrice: float
    position: int
    positionChange: int
    expiryDateDistance: int
    def __init__(self, lastSettlePrice: _Optional[float] = ..., position: _Optional[int] = ..., positionChange: _Optional[int] = ..., expiryDateDistance: _Optional[int] = ...) -> None: ...

class WarrantBasicQotExData(_message.Message):
    """Qot_Common.WarrantBasicQotExData (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("delta", "impliedVolatility", "premium")
    DELTA_FIELD_NUMBER: _ClassVar[int]
    IMPLIEDVOLATILITY_FIELD_NUMBER: _ClassVar[int]
    PREMIUM_FIELD_NUMBER: _ClassVar[int]
    delta: float
    impliedVolatility: float
    premium: float
    def __init__(self, delta: _Optional[float] = ..., impliedVolatility: _Optional[float] = ..., premium: _Optional[float] = ...) -> None: ...

class BasicQot(_message.Message):
    """Qot_Common.BasicQot (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("security", "name", "isSuspended", "listTime", "priceSpread", "updateTime", "highPrice", "openPrice", "lowPrice", "curPrice", "lastClosePrice", "volume", "turnover", "turnoverRate", "amplitude", "darkStatus", "optionExData", "listTimestamp", "updateTimestamp", "preMarket", "afterMarket", "secStatus", "futureExData", "warrantExData", "overnight", "hpVolume")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ISSUSPENDED_FIELD_NUMBER: _ClassVar[int]
    LISTTIME_FIELD_NUMBER: _ClassVar[int]
    PRICESPREAD_FIELD_NUMBER: _ClassVar[int]
    UPDATETIME_FIELD_NUMBER: _ClassVar[int]
    HIGHPRICE_FIELD_NUMBER: _ClassVar[int]
    OPENPRICE_FIELD_NUMBER: _ClassVar[int]
    LOWPRICE_FIELD_NUMBER: _ClassVar[int]
    CURPRICE_FIELD_NUMBER: _ClassVar[int]
    LASTCLOSEPRICE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_FIELD_NUMBER: _ClassVar[int]
    TURNOVERRATE_FIELD_NUMBER: _ClassVar[int]
    AMPLITUDE_FIELD_NUMBER: _ClassVar[int]
    DARKSTATUS_FIELD_NUMBER: _ClassVar[int]
    OPTIONEXDATA_FIELD_NUMBER: _ClassVar[int]
    LISTTIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    UPDATETIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    PREMARKET_FIELD_NUMBER: _ClassVar[int]
    AFTERMARKET_FIELD_NUMBER: _ClassVar[int]
    SECSTATUS_FIELD_NUMBER: _ClassVar[int]
    FUTUREEXDATA_FIELD_NUMBER: _ClassVar[int]
    WARRANTEXDATA_FIELD_NUMBER: _ClassVar[int]
    OVERNIGHT_FIELD_NUMBER: _ClassVar[int]
    HPVOLUME_FIELD_NUMBER: _ClassVar[int]
    security: Security
    name: str
    isSuspended: bool
    listTime: str
    priceSpread: float
    updateTime: str
    highPrice: float
    openPrice: float
    lowPrice: float
    curPrice: float
    lastClosePrice: float
    volume: int
    turnover: float
    turnoverRate: float
    amplitude: float
    darkStatus: int
    """DarkStatus"""
    optionExData: OptionBasicQotExData
    listTimestamp: float
    updateTimestamp: float
    preMarket: PreAfterMarketData
    afterMarket: PreAfterMarketData
    secStatus: int
    """SecurityStatus"""
    futureExData: FutureBasicQotExData
    warrantExData: WarrantBasicQotExData
    overnight: PreAfterMarketData
    hpVolume: float
    def __init__(self, security: _Optional[_Union[Security, _Mapping[str, _Any]]] = ..., name: _Optional[str] = ..., isSuspended: bool = ..., listTime: _Optional[str] = ..., priceSpread: _Optional[float] = ..., updateTime: _Optional[str] = ..., highPrice: _Optional[float] = ..., openPrice: _Optional[float] = ..., lowPrice: _Optional[float] = ..., curPrice: _Optional[float] = ..., lastClosePrice: _Optional[float] = ..., volume: _Optional[int] = ..., turnover: _Optional[float] = ..., turnoverRate: _Optional[float] = ..., amplitude: _Optional[float] = ..., darkStatus: _Optional[int] = ..., optionExData: _Optional[_Union[OptionBasicQotExData, _Mapping[str, _Any]]] = ..., listTimestamp: _Optional[float] = ..., updateTimestamp: _Optional[float] = ..., preMarket: _Optional[_Union[PreAfterMarketData, _Mapping[str, _Any]]] = ..., afterMarket: _Optional[_Union[PreAfterMarketData, _Mapping[str, _Any]]] = ..., secStatus: _Optional[int] = ..., futureExData: _Optional[_Union[FutureBasicQotExData, _Mapping[str, _Any]]] = ..., warrantExData: _Optional[_Union[WarrantBasicQotExData, _Mapping[str, _Any]]] = ..., overnight: _Optional[_Union[PreAfterMarketData, _Mapping[str, _Any]]] = ..., hpVolume: _Optional[float] = ...) -> None: ...

class TimeShare(_message.Message):
    """Qot_Common.TimeShare (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("time", "minute", "isBlank", "price", "lastClosePrice", "avgPrice", "volume", "turnover", "timestamp", "hpVolume")
    TIME_FIELD_NUMBER: _ClassVar[int]
    MINUTE_FIELD_NUMBER: _ClassVar[int]
    ISBLANK_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    LASTCLOSEPRICE_FIELD_NUMBER: _ClassVar[int]
    AVGPRICE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    HPVOLUME_FIELD_NUMBER: _ClassVar[int]
    time: str
    minute: int
    isBlank: bool
    price: float
    lastClosePrice: float
    avgPrice: float
    volume: int
    turnover: float
    timestamp: float
    hpVolume: float
    def __init__(self, time: _Optional[str] = ..., minute: _Optional[int] = ..., isBlank: bool = ..., price: _Optional[float] = ..., lastClosePrice: _Optional[float] = ..., avgPrice: _Optional[float] = ..., volume: _Optional[int] = ..., turnover: _Optional[float] = ..., timestamp: _Optional[float] = ..., hpVolume: _Optional[float] = ...) -> None: ...

class SecurityStaticBasic(_message.Message):
    """Qot_Common.SecurityStaticBasic (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("security", "id", "lotSize", "secType", "name", "listTime", "delisting", "listTimestamp", "exchType")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LOTSIZE_FIELD_NUMBER: _ClassVar[int]
    SECTYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LISTTIME_FIELD_NUMBER: _ClassVar[int]
    DELISTING_FIELD_NUMBER: _ClassVar[int]
    LISTTIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EXCHTYPE_FIELD_NUMBER: _ClassVar[int]
    security: Security
    id: int
    lotSize: int
    secType: int
    """SecurityType"""
    name: str
    listTime: str
    delisting: bool
    listTimestamp: float
    exchType: int
    """ExchType"""
    def __init__(self, security: _Optional[_Union[Security, _Mapping[str, _Any]]] = ..., id: _Optional[int] = ..., lotSize: _Optional[int] = ..., secType: _Optional[int] = ..., name: _Optional[str] = ..., listTime: _Optional[str] = ..., delisting: bool = ..., listTimestamp: _Optional[float] = ..., exchType: _Optional[int] = ...) -> None: ...

class WarrantStaticExData(_message.Message):
    """Qot_Common.WarrantStaticExData (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("type", "owner")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    type: int
    """WarrantType"""
    owner: Security
    def __init__(self, type: _Optional[int] = ..., owner: _Optional[_Union[Security, _Mapping[str, _Any]]] = ...) -> None: ...

class OptionStaticExData(_message.Message):
    """Qot_Common.OptionStaticExData (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("type", "owner", "strikeTime", "strikePrice", "suspend", "market", "strikeTimestamp", "indexOptionType", "expirationCycle", "optionStandardType", "optionSettlementMode")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    STRIKETIME_FIELD_NUMBER: _ClassVar[int]
    STRIKEPRICE_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_FIELD_NUMBER: _ClassVar[int]
    MARKET_FIELD_NUMBER: _ClassVar[int]
    STRIKETIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    INDEXOPTIONTYPE_FIELD_NUMBER: _ClassVar[int]
    EXPIRATIONCYCLE_FIELD_NUMBER: _ClassVar[int]
    OPTIONSTANDARDTYPE_FIELD_NUMBER: _ClassVar[int]
    OPTIONSETTLEMENTMODE_FIELD_NUMBER: _ClassVar[int]
    type: int
    """OptionType"""
    owner: Security
    strikeTime: str
    strikePrice: float
    suspend: bool
    market: str
    strikeTimestamp: float
    indexOptionType: int
    """IndexOptionType"""
    expirationCycle: int
    """ExpirationCycle"""
    optionStandardType: int
    """OptionStandardType"""
    optionSettlementMode: int
    """OptionSettlementMode"""
    def __init__(self, type: _Optional[int] = ..., owner: _Optional[_Union[Security, _Mapping[str, _Any]]] = ..., strikeTime: _Optional[str] = ..., strikePrice: _Optional[float] = ..., suspend: bool = ..., market: _Optional[str] = ..., strikeTimestamp: _Optional[float] = ..., indexOptionType: _Optional[int] = ..., expirationCycle: _Optional[int] = ..., optionStandardType: _Optional[int] = ..., optionSettlementMode: _Optional[int] = ...) -> None: ...

class FutureStaticExData(_message.Message):
    """Qot_Common.FutureStaticExData (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("lastTradeTime", "lastTradeTimestamp", "isMainContract")
    LASTTRADETIME_FIELD_NUMBER: _ClassVar[int]
    LASTTRADETIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    ISMAINCONTRACT_FIELD_NUMBER: _ClassVar[int]
    lastTradeTime: str
    lastTradeTimestamp: float
    isMainContract: bool
    def __init__(self, lastTradeTime: _Optional[str] = ..., lastTradeTimestamp: _Optional[float] = ..., isMainContract: bool = ...) -> None: ...

class SecurityStaticInfo(_message.Message):
    """Qot_Common.SecurityStaticInfo (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("basic", "warrantExData", "optionExData", "futureExData")
    BASIC_FIELD_NUMBER: _ClassVar[int]
    WARRANTEXDATA_FIELD_NUMBER: _ClassVar[int]
    OPTIONEXDATA_FIELD_NUMBER: _ClassVar[int]
    FUTUREEXDATA_FIELD_NUMBER: _ClassVar[int]
    basic: SecurityStaticBasic
    warrantExData: WarrantStaticExData
    optionExData: OptionStaticExData
    futureExData: FutureStaticExData
    def __init__(self, basic: _Optional[_Union[SecurityStaticBasic, _Mapping[str, _Any]]] = ..., warrantExData: _Optional[_Union[WarrantStaticExData, _Mapping[str, _Any]]] = ..., optionExData: _Optional[_Union[OptionStaticExData, _Mapping[str, _Any]]] = ..., futureExData: _Optional[_Union[FutureStaticExData, _Mapping[str, _Any]]] = ...) -> None: ...

class Broker(_message.Message):
    """Qot_Common.Broker (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("id", "name", "pos", "orderID", "volume")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POS_FIELD_NUMBER: _ClassVar[int]
    ORDERID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    pos: int
    orderID: int
    volume: int
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., pos: _Optional[int] = ..., orderID: _Optional[int] = ..., volume: _Optional[int] = ...) -> None: ...

class Ticker(_message.Message):
    """Qot_Common.Ticker (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("time", "sequence", "dir", "price", "volume", "turnover", "recvTime", "type", "typeSign", "pushDataType", "timestamp", "hpVolume")
    TIME_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    DIR_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_FIELD_NUMBER: _ClassVar[int]
    RECVTIME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TYPESIGN_FIELD_NUMBER: _ClassVar[int]
    PUSHDATATYPE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    HPVOLUME_FIELD_NUMBER: _ClassVar[int]
    time: str
    sequence: int
    dir: int
    """TickerDirection"""
    price: float
    volume: int
    turnover: float
    recvTime: float
    type: int
    """TickerType"""
    typeSign: int
    pushDataType: int
    timestamp: float
    hpVolume: float
    def __init__(self, time: _Optional[str] = ..., sequence: _Optional[int] = ..., dir: _Optional[int] = ..., price: _Optional[float] = ..., volume: _Optional[int] = ..., turnover: _Optional[float] = ..., recvTime: _Optional[float] = ..., type: _Optional[int] = ..., typeSign: _Optional[int] = ..., pushDataType: _Optional[int] = ..., timestamp: _Optional[float] = ..., hpVolume: _Optional[float] = ...) -> None: ...

class SubInfo(_message.Message):
    """Qot_Common.SubInfo (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("subType", "securityList")
    SUBTYPE_FIELD_NUMBER: _ClassVar[int]
    SECURITYLIST_FIELD_NUMBER: _ClassVar[int]
    subType: int
    """SubType"""
    securityList: _containers.RepeatedCompositeFieldContainer[Security]
    def __init__(self, subType: _Optional[int] = ..., securityList: _Optional[_Iterable[_Union[Security, _Mapping[str, _Any]]]] = ...) -> None: ...

class ConnSubInfo(_message.Message):
    """Qot_Common.ConnSubInfo (schemas/proto/futu/Qot_Common.proto). OpenD quote types shared by the quote messages. Written for venuewire from the documented wire facts. Fields that hold enum values are declared int32 on the wire, as OpenD declares them; the enums below name the values."""
    __slots__ = ("subInfoList", "usedQuota", "isOwnConnData", "securityFirm", "optionUsedQuota")
    SUBINFOLIST_FIELD_NUMBER: _ClassVar[int]
    USEDQUOTA_FIELD_NUMBER: _ClassVar[int]
    ISOWNCONNDATA_FIELD_NUMBER: _ClassVar[int]
    SECURITYFIRM_FIELD_NUMBER: _ClassVar[int]
    OPTIONUSEDQUOTA_FIELD_NUMBER: _ClassVar[int]
    subInfoList: _containers.RepeatedCompositeFieldContainer[SubInfo]
    usedQuota: int
    isOwnConnData: bool
    securityFirm: int
    """Trd_Common.SecurityFirm"""
    optionUsedQuota: int
    def __init__(self, subInfoList: _Optional[_Iterable[_Union[SubInfo, _Mapping[str, _Any]]]] = ..., usedQuota: _Optional[int] = ..., isOwnConnData: bool = ..., securityFirm: _Optional[int] = ..., optionUsedQuota: _Optional[int] = ...) -> None: ...

class ComboLeg(_message.Message):
    """One leg of a combination order (Trd_Common.Order.comboLegs)."""
    __slots__ = ("security", "side", "qtyRatio", "positionID", "predSide")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    QTYRATIO_FIELD_NUMBER: _ClassVar[int]
    POSITIONID_FIELD_NUMBER: _ClassVar[int]
    PREDSIDE_FIELD_NUMBER: _ClassVar[int]
    security: Security
    side: int
    """Trd_Common.TrdSide"""
    qtyRatio: float
    positionID: int
    predSide: int
    def __init__(self, security: _Optional[_Union[Security, _Mapping[str, _Any]]] = ..., side: _Optional[int] = ..., qtyRatio: _Optional[float] = ..., positionID: _Optional[int] = ..., predSide: _Optional[int] = ...) -> None: ...
