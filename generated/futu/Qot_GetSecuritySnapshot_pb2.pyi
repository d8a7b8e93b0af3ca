from . import Common_pb2 as _Common_pb2
from . import Qot_Common_pb2 as _Qot_Common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union
from typing import Any as _Any

DESCRIPTOR: _descriptor.FileDescriptor

class C2S(_message.Message):
    """Qot_GetSecuritySnapshot.C2S (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("securityList", "header")
    SECURITYLIST_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    securityList: _containers.RepeatedCompositeFieldContainer[_Qot_Common_pb2.Security]
    header: _Qot_Common_pb2.QotHeader
    def __init__(self, securityList: _Optional[_Iterable[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]]] = ..., header: _Optional[_Union[_Qot_Common_pb2.QotHeader, _Mapping[str, _Any]]] = ...) -> None: ...

class EquitySnapshotExData(_message.Message):
    """Qot_GetSecuritySnapshot.EquitySnapshotExData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("issuedShares", "issuedMarketVal", "netAsset", "netProfit", "earningsPershare", "outstandingShares", "outstandingMarketVal", "netAssetPershare", "eyRate", "peRate", "pbRate", "peTTMRate", "dividendTTM", "dividendRatioTTM", "dividendLFY", "dividendLFYRatio")
    ISSUEDSHARES_FIELD_NUMBER: _ClassVar[int]
    ISSUEDMARKETVAL_FIELD_NUMBER: _ClassVar[int]
    NETASSET_FIELD_NUMBER: _ClassVar[int]
    NETPROFIT_FIELD_NUMBER: _ClassVar[int]
    EARNINGSPERSHARE_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDINGSHARES_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDINGMARKETVAL_FIELD_NUMBER: _ClassVar[int]
    NETASSETPERSHARE_FIELD_NUMBER: _ClassVar[int]
    EYRATE_FIELD_NUMBER: _ClassVar[int]
    PERATE_FIELD_NUMBER: _ClassVar[int]
    PBRATE_FIELD_NUMBER: _ClassVar[int]
    PETTMRATE_FIELD_NUMBER: _ClassVar[int]
    DIVIDENDTTM_FIELD_NUMBER: _ClassVar[int]
    DIVIDENDRATIOTTM_FIELD_NUMBER: _ClassVar[int]
    DIVIDENDLFY_FIELD_NUMBER: _ClassVar[int]
    DIVIDENDLFYRATIO_FIELD_NUMBER: _ClassVar[int]
    issuedShares: int
    issuedMarketVal: float
    netAsset: float
    netProfit: float
    earningsPershare: float
    outstandingShares: int
    outstandingMarketVal: float
    netAssetPershare: float
    eyRate: float
    peRate: float
    pbRate: float
    peTTMRate: float
    dividendTTM: float
    dividendRatioTTM: float
    dividendLFY: float
    dividendLFYRatio: float
    def __init__(self, issuedShares: _Optional[int] = ..., issuedMarketVal: _Optional[float] = ..., netAsset: _Optional[float] = ..., netProfit: _Optional[float] = ..., earningsPershare: _Optional[float] = ..., outstandingShares: _Optional[int] = ..., outstandingMarketVal: _Optional[float] = ..., netAssetPershare: _Optional[float] = ..., eyRate: _Optional[float] = ..., peRate: _Optional[float] = ..., pbRate: _Optional[float] = ..., peTTMRate: _Optional[float] = ..., dividendTTM: _Optional[float] = ..., dividendRatioTTM: _Optional[float] = ..., dividendLFY: _Optional[float] = ..., dividendLFYRatio: _Optional[float] = ...) -> None: ...

class WarrantSnapshotExData(_message.Message):
    """Qot_GetSecuritySnapshot.WarrantSnapshotExData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("conversionRate", "warrantType", "strikePrice", "maturityTime", "endTradeTime", "owner", "recoveryPrice", "streetVolumn", "issueVolumn", "streetRate", "delta", "impliedVolatility", "premium", "maturityTimestamp", "endTradeTimestamp", "leverage", "ipop", "breakEvenPoint", "conversionPrice", "priceRecoveryRatio", "score", "upperStrikePrice", "lowerStrikePrice", "inLinePriceStatus", "issuerCode")
    CONVERSIONRATE_FIELD_NUMBER: _ClassVar[int]
    WARRANTTYPE_FIELD_NUMBER: _ClassVar[int]
    STRIKEPRICE_FIELD_NUMBER: _ClassVar[int]
    MATURITYTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTRADETIME_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    RECOVERYPRICE_FIELD_NUMBER: _ClassVar[int]
    STREETVOLUMN_FIELD_NUMBER: _ClassVar[int]
    ISSUEVOLUMN_FIELD_NUMBER: _ClassVar[int]
    STREETRATE_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    IMPLIEDVOLATILITY_FIELD_NUMBER: _ClassVar[int]
    PREMIUM_FIELD_NUMBER: _ClassVar[int]
    MATURITYTIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    ENDTRADETIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    LEVERAGE_FIELD_NUMBER: _ClassVar[int]
    IPOP_FIELD_NUMBER: _ClassVar[int]
    BREAKEVENPOINT_FIELD_NUMBER: _ClassVar[int]
    CONVERSIONPRICE_FIELD_NUMBER: _ClassVar[int]
    PRICERECOVERYRATIO_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    UPPERSTRIKEPRICE_FIELD_NUMBER: _ClassVar[int]
    LOWERSTRIKEPRICE_FIELD_NUMBER: _ClassVar[int]
    INLINEPRICESTATUS_FIELD_NUMBER: _ClassVar[int]
    ISSUERCODE_FIELD_NUMBER: _ClassVar[int]
    conversionRate: float
    warrantType: int
    """Qot_Common.WarrantType"""
    strikePrice: float
    maturityTime: str
    endTradeTime: str
    owner: _Qot_Common_pb2.Security
    recoveryPrice: float
    streetVolumn: int
    issueVolumn: int
    streetRate: float
    delta: float
    impliedVolatility: float
    premium: float
    maturityTimestamp: float
    endTradeTimestamp: float
    leverage: float
    ipop: float
    breakEvenPoint: float
    conversionPrice: float
    priceRecoveryRatio: float
    score: float
    upperStrikePrice: float
    lowerStrikePrice: float
    inLinePriceStatus: int
    """Qot_Common.PriceType"""
    issuerCode: str
    def __init__(self, conversionRate: _Optional[float] = ..., warrantType: _Optional[int] = ..., strikePrice: _Optional[float] = ..., maturityTime: _Optional[str] = ..., endTradeTime: _Optional[str] = ..., owner: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., recoveryPrice: _Optional[float] = ..., streetVolumn: _Optional[int] = ..., issueVolumn: _Optional[int] = ..., streetRate: _Optional[float] = ..., delta: _Optional[float] = ..., impliedVolatility: _Optional[float] = ..., premium: _Optional[float] = ..., maturityTimestamp: _Optional[float] = ..., endTradeTimestamp: _Optional[float] = ..., leverage: _Optional[float] = ..., ipop: _Optional[float] = ..., breakEvenPoint: _Optional[float] = ..., conversionPrice: _Optional[float] = ..., priceRecoveryRatio: _Optional[float] = ..., score: _Optional[float] = ..., upperStrikePrice: _Optional[float] = ..., lowerStrikePrice: _Optional[float] = ..., inLinePriceStatus: _Optional[int] = ..., issuerCode: _Optional[str] = ...) -> None: ...

class OptionSnapshotExData(_message.Message):
    """Qot_GetSecuritySnapshot.OptionSnapshotExData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("type", "owner", "strikeTime", "strikePrice", "contractSize", "contractSizeFloat", "openInterest", "impliedVolatility", "premium", "delta", "gamma", "vega", "theta", "rho", "strikeTimestamp", "indexOptionType", "netOpenInterest", "expiryDateDistance", "contractNominalValue", "ownerLotMultiplier", "optionAreaType", "contractMultiplier")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    STRIKETIME_FIELD_NUMBER: _ClassVar[int]
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
    STRIKETIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    INDEXOPTIONTYPE_FIELD_NUMBER: _ClassVar[int]
    NETOPENINTEREST_FIELD_NUMBER: _ClassVar[int]
    EXPIRYDATEDISTANCE_FIELD_NUMBER: _ClassVar[int]
    CONTRACTNOMINALVALUE_FIELD_NUMBER: _ClassVar[int]
    OWNERLOTMULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    OPTIONAREATYPE_FIELD_NUMBER: _ClassVar[int]
    CONTRACTMULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    type: int
    """Qot_Common.OptionType"""
    owner: _Qot_Common_pb2.Security
    strikeTime: str
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
    strikeTimestamp: float
    indexOptionType: int
    """Qot_Common.IndexOptionType"""
    netOpenInterest: int
    expiryDateDistance: int
    contractNominalValue: float
    ownerLotMultiplier: float
    optionAreaType: int
    """Qot_Common.OptionAreaType"""
    contractMultiplier: float
    def __init__(self, type: _Optional[int] = ..., owner: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., strikeTime: _Optional[str] = ..., strikePrice: _Optional[float] = ..., contractSize: _Optional[int] = ..., contractSizeFloat: _Optional[float] = ..., openInterest: _Optional[int] = ..., impliedVolatility: _Optional[float] = ..., premium: _Optional[float] = ..., delta: _Optional[float] = ..., gamma: _Optional[float] = ..., vega: _Optional[float] = ..., theta: _Optional[float] = ..., rho: _Optional[float] = ..., strikeTimestamp: _Optional[float] = ..., indexOptionType: _Optional[int] = ..., netOpenInterest: _Optional[int] = ..., expiryDateDistance: _Optional[int] = ..., contractNominalValue: _Optional[float] = ..., ownerLotMultiplier: _Optional[float] = ..., optionAreaType: _Optional[int] = ..., contractMultiplier: _Optional[float] = ...) -> None: ...

class IndexSnapshotExData(_message.Message):
    """Qot_GetSecuritySnapshot.IndexSnapshotExData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("raiseCount", "fallCount", "equalCount")
    RAISECOUNT_FIELD_NUMBER: _ClassVar[int]
    FALLCOUNT_FIELD_NUMBER: _ClassVar[int]
    EQUALCOUNT_FIELD_NUMBER: _ClassVar[int]
    raiseCount: int
    fallCount: int
    equalCount: int
    def __init__(self, raiseCount: _Optional[int] = ..., fallCount: _Optional[int] = ..., equalCount: _Optional[int] = ...) -> None: ...

class PlateSnapshotExData(_message.Message):
    """Qot_GetSecuritySnapshot.PlateSnapshotExData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("raiseCount", "fallCount", "equalCount")
    RAISECOUNT_FIELD_NUMBER: _ClassVar[int]
    FALLCOUNT_FIELD_NUMBER: _ClassVar[int]
    EQUALCOUNT_FIELD_NUMBER: _ClassVar[int]
    raiseCount: int
    fallCount: int
    equalCount: int
    def __init__(self, raiseCount: _Optional[int] = ..., fallCount: _Optional[int] = ..., equalCount: _Optional[int] = ...) -> None: ...

class FutureSnapshotExData(_message.Message):
    """Qot_GetSecuritySnapshot.FutureSnapshotExData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("lastSettlePrice", "position", "positionChange", "lastTradeTime", "lastTradeTimestamp", "isMainContract")
    LASTSETTLEPRICE_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    POSITIONCHANGE_FIELD_NUMBER: _ClassVar[int]
    LASTTRADETIME_FIELD_NUMBER: _ClassVar[int]
    LASTTRADETIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    ISMAINCONTRACT_FIELD_NUMBER: _ClassVar[int]
    lastSettlePrice: float
    position: int
    positionChange: int
    lastTradeTime: str
    lastTradeTimestamp: float
    isMainContract: bool
    def __init__(self, lastSettlePrice: _Optional[float] = ..., position: _Optional[int] = ..., positionChange: _Optional[int] = ..., lastTradeTime: _Optional[str] = ..., lastTradeTimestamp: _Optional[float] = ..., isMainContract: bool = ...) -> None: ...

class TrustSnapshotExData(_message.Message):
    """Qot_GetSecuritySnapshot.TrustSnapshotExData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("dividendYield", "aum", "outstandingUnits", "netAssetValue", "premium", "assetClass")
    DIVIDENDYIELD_FIELD_NUMBER: _ClassVar[int]
    AUM_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDINGUNITS_FIELD_NUMBER: _ClassVar[int]
    NETASSETVALUE_FIELD_NUMBER: _ClassVar[int]
    PREMIUM_FIELD_NUMBER: _ClassVar[int]
    ASSETCLASS_FIELD_NUMBER: _ClassVar[int]
    dividendYield: float
    aum: float
    outstandingUnits: int
    netAssetValue: float
    premium: float
    assetClass: int
    """Qot_Common.AssetClass"""
    def __init__(self, dividendYield: _Optional[float] = ..., aum: _Optional[float] = ..., outstandingUnits: _Optional[int] = ..., netAssetValue: _Optional[float] = ..., premium: _Optional[float] = ..., assetClass: _Optional[int] = ...) -> None: ...

class SnapshotBasicData(_message.Message):
    """Qot_GetSecuritySnapshot.SnapshotBasicData (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("security", "name", "type", "isSuspend", "listTime", "lotSize", "priceSpread", "updateTime", "highPrice", "openPrice", "lowPrice", "lastClosePrice", "curPrice", "volume", "turnover", "turnoverRate", "listTimestamp", "updateTimestamp", "askPrice", "bidPrice", "askVol", "bidVol", "enableMargin", "mortgageRatio", "longMarginInitialRatio", "enableShortSell", "shortSellRate", "shortAvailableVolume", "shortMarginInitialRatio", "amplitude", "avgPrice", "bidAskRatio", "volumeRatio", "highest52WeeksPrice", "lowest52WeeksPrice", "highestHistoryPrice", "lowestHistoryPrice", "preMarket", "afterMarket", "secStatus", "closePrice5Minute", "overnight", "hpVolume", "hpAskVol", "hpBidVol")
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ISSUSPEND_FIELD_NUMBER: _ClassVar[int]
    LISTTIME_FIELD_NUMBER: _ClassVar[int]
    LOTSIZE_FIELD_NUMBER: _ClassVar[int]
    PRICESPREAD_FIELD_NUMBER: _ClassVar[int]
    UPDATETIME_FIELD_NUMBER: _ClassVar[int]
    HIGHPRICE_FIELD_NUMBER: _ClassVar[int]
    OPENPRICE_FIELD_NUMBER: _ClassVar[int]
    LOWPRICE_FIELD_NUMBER: _ClassVar[int]
    LASTCLOSEPRICE_FIELD_NUMBER: _ClassVar[int]
    CURPRICE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    TURNOVER_FIELD_NUMBER: _ClassVar[int]
    TURNOVERRATE_FIELD_NUMBER: _ClassVar[int]
    LISTTIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    UPDATETIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    ASKPRICE_FIELD_NUMBER: _ClassVar[int]
    BIDPRICE_FIELD_NUMBER: _ClassVar[int]
    ASKVOL_FIELD_NUMBER: _ClassVar[int]
    BIDVOL_FIELD_NUMBER: _ClassVar[int]
    ENABLEMARGIN_FIELD_NUMBER: _ClassVar[int]
    MORTGAGERATIO_FIELD_NUMBER: _ClassVar[int]
    LONGMARGININITIALRATIO_FIELD_NUMBER: _ClassVar[int]
    ENABLESHORTSELL_FIELD_NUMBER: _ClassVar[int]
    SHORTSELLRATE_FIELD_NUMBER: _ClassVar[int]
    SHORTAVAILABLEVOLUME_FIELD_NUMBER: _ClassVar[int]
    SHORTMARGININITIALRATIO_FIELD_NUMBER: _ClassVar[int]
    AMPLITUDE_FIELD_NUMBER: _ClassVar[int]
    AVGPRICE_FIELD_NUMBER: _ClassVar[int]
    BIDASKRATIO_FIELD_NUMBER: _ClassVar[int]
    VOLUMERATIO_FIELD_NUMBER: _ClassVar[int]
    HIGHEST52WEEKSPRICE_FIELD_NUMBER: _ClassVar[int]
    LOWEST52WEEKSPRICE_FIELD_NUMBER: _ClassVar[int]
    HIGHESTHISTORYPRICE_FIELD_NUMBER: _ClassVar[int]
    LOWESTHISTORYPRICE_FIELD_NUMBER: _ClassVar[int]
    PREMARKET_FIELD_NUMBER: _ClassVar[int]
    AFTERMARKET_FIELD_NUMBER: _ClassVar[int]
    SECSTATUS_FIELD_NUMBER: _ClassVar[int]
    CLOSEPRICE5MINUTE_FIELD_NUMBER: _ClassVar[int]
    OVERNIGHT_FIELD_NUMBER: _ClassVar[int]
    HPVOLUME_FIELD_NUMBER: _ClassVar[int]
    HPASKVOL_FIELD_NUMBER: _ClassVar[int]
    HPBIDVOL_FIELD_NUMBER: _ClassVar[int]
    security: _Qot_Common_pb2.Security
    name: str
    type: int
    """Qot_Common.SecurityType"""
    isSuspend: bool
    listTime: str
    lotSize: int
    priceSpread: float
    updateTime: str
    highPrice: float
    openPrice: float
    lowPrice: float
    lastClosePrice: float
    curPrice: float
    volume: int
    turnover: float
    turnoverRate: float
    listTimestamp: float
    updateTimestamp: float
    askPrice: float
    bidPrice: float
    askVol: int
    bidVol: int
    enableMargin: bool
    mortgageRatio: float
    longMarginInitialRatio: float
    enableShortSell: bool
    shortSellRate: float
    shortAvailableVolume: int
    shortMarginInitialRatio: float
    amplitude: float
    avgPrice: float
    bidAskRatio: float
    volumeRatio: float
    highest52WeeksPrice: float
    lowest52WeeksPrice: float
    highestHistoryPrice: float
    lowestHistoryPrice: float
    preMarket: _Qot_Common_pb2.PreAfterMarketData
    afterMarket: _Qot_Common_pb2.PreAfterMarketData
    secStatus: int
    """Qot_Common.SecurityStatus"""
    closePrice5Minute: float
    overnight: _Qot_Common_pb2.PreAfterMarketData
    hpVolume: float
    hpAskVol: float
    hpBidVol: float
    def __init__(self, security: _Optional[_Union[_Qot_Common_pb2.Security, _Mapping[str, _Any]]] = ..., name: _Optional[str] = ..., type: _Optional[int] = ..., isSuspend: bool = ..., listTime: _Optional[str] = ..., lotSize: _Optional[int] = ..., priceSpread: _Optional[float] = ..., updateTime: _Optional[str] = ..., highPrice: _Optional[float] = ..., openPrice: _Optional[float] = ..., lowPrice: _Optional[float] = ..., lastClosePrice: _Optional[float] = ..., curPrice: _Optional[float] = ..., volume: _Optional[int] = ..., turnover: _Optional[float] = ..., turnoverRate: _Optional[float] = ..., listTimestamp: _Optional[float] = ..., updateTimestamp: _Optional[float] = ..., askPrice: _Optional[float] = ..., bidPrice: _Optional[float] = ..., askVol: _Optional[int] = ..., bidVol: _Optional[int] = ..., enableMargin: bool = ..., mortgageRatio: _Optional[float] = ..., longMarginInitialRatio: _Optional[float] = ..., enableShortSell: bool = ..., shortSellRate: _Optional[float] = ..., shortAvailableVolume: _Optional[int] = ..., shortMarginInitialRatio: _Optional[float] = ..., amplitude: _Optional[float] = ..., avgPrice: _Optional[float] = ..., bidAskRatio: _Optional[float] = ..., volumeRatio: _Optional[float] = ..., highest52WeeksPrice: _Optional[float] = ..., lowest52WeeksPrice: _Optional[float] = ..., highestHistoryPrice: _Optional[float] = ..., lowestHistoryPrice: _Optional[float] = ..., preMarket: _Optional[_Union[_Qot_Common_pb2.PreAfterMarketData, _Mapping[str, _Any]]] = ..., afterMarket: _Optional[_Union[_Qot_Common_pb2.PreAfterMarketData, _Mapping[str, _Any]]] = ..., secStatus: _Optional[int] = ..., closePrice5Minute: _Optional[float] = ..., overnight: _Optional[_Union[_Qot_Common_pb2.PreAfterMarketData, _Mapping[str, _Any]]] = ..., hpVolume: _Optional[float] = ..., hpAskVol: _Optional[float] = ..., hpBidVol: _Optional[float] = ...) -> None: ...

class Snapshot(_message.Message):
    """Qot_GetSecuritySnapshot.Snapshot (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("basic", "equityExData", "warrantExData", "optionExData", "indexExData", "plateExData", "futureExData", "trustExData")
    BASIC_FIELD_NUMBER: _ClassVar[int]
    EQUITYEXDATA_FIELD_NUMBER: _ClassVar[int]
    WARRANTEXDATA_FIELD_NUMBER: _ClassVar[int]
    OPTIONEXDATA_FIELD_NUMBER: _ClassVar[int]
    INDEXEXDATA_FIELD_NUMBER: _ClassVar[int]
    PLATEEXDATA_FIELD_NUMBER: _ClassVar[int]
    FUTUREEXDATA_FIELD_NUMBER: _ClassVar[int]
    TRUSTEXDATA_FIELD_NUMBER: _ClassVar[int]
    basic: SnapshotBasicData
    equityExData: EquitySnapshotExData
    warrantExData: WarrantSnapshotExData
    optionExData: OptionSnapshotExData
    indexExData: IndexSnapshotExData
    plateExData: PlateSnapshotExData
    futureExData: FutureSnapshotExData
    trustExData: TrustSnapshotExData
    def __init__(self, basic: _Optional[_Union[SnapshotBasicData, _Mapping[str, _Any]]] = ..., equityExData: _Optional[_Union[EquitySnapshotExData, _Mapping[str, _Any]]] = ..., warrantExData: _Optional[_Union[WarrantSnapshotExData, _Mapping[str, _Any]]] = ..., optionExData: _Optional[_Union[OptionSnapshotExData, _Mapping[str, _Any]]] = ..., indexExData: _Optional[_Union[IndexSnapshotExData, _Mapping[str, _Any]]] = ..., plateExData: _Optional[_Union[PlateSnapshotExData, _Mapping[str, _Any]]] = ..., futureExData: _Optional[_Union[FutureSnapshotExData, _Mapping[str, _Any]]] = ..., trustExData: _Optional[_Union[TrustSnapshotExData, _Mapping[str, _Any]]] = ...) -> None: ...

class S2C(_message.Message):
    """Qot_GetSecuritySnapshot.S2C (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("snapshotList",)
    SNAPSHOTLIST_FIELD_NUMBER: _ClassVar[int]
    snapshotList: _containers.RepeatedCompositeFieldContainer[Snapshot]
    def __init__(self, snapshotList: _Optional[_Iterable[_Union[Snapshot, _Mapping[str, _Any]]]] = ...) -> None: ...

class Request(_message.Message):
    """Qot_GetSecuritySnapshot.Request (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
    __slots__ = ("c2s",)
    C2S_FIELD_NUMBER: _ClassVar[int]
    c2s: C2S
    def __init__(self, c2s: _Optional[_Union[C2S, _Mapping[str, _Any]]] = ...) -> None: ...

class Response(_message.Message):
    """Qot_GetSecuritySnapshot.Response (schemas/proto/futu/Qot_GetSecuritySnapshot.proto). OpenD Qot_GetSecuritySnapshot (protoID 3203): a one-off snapshot of each security asked for (no subscription needed)."""
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
