import Testing
@testable import RuleCodecs

/// The decoder's packed key and value names are literals (no lazy global on the hot path);
/// each must equal `pack` of its name, or the fast path would stop matching it.
@Suite("event decoder packed names")
struct EventDecoderKeyTests {
    @Test("every packed literal is pack(name)")
    func literals() {
        let names: [(StaticString, UInt64)] = [("at", EventDecoder.kAt), ("type", EventDecoder.kType), ("product", EventDecoder.kProduct), ("qty", EventDecoder.kQty), ("side", EventDecoder.kSide), ("price", EventDecoder.kPrice), ("commission", EventDecoder.kCommission), ("amount", EventDecoder.kAmount), ("action", EventDecoder.kAction), ("reasonCode", EventDecoder.kReasonCode), ("reason", EventDecoder.kReason), ("category", EventDecoder.kCategory), ("note", EventDecoder.kNote), ("id", EventDecoder.kID), ("orderId", EventDecoder.kOrderID), ("account", EventDecoder.kAccount), ("cancel", EventDecoder.vCancel), ("market", EventDecoder.vMarket), ("limit", EventDecoder.vLimit), ("stop", EventDecoder.vStop), ("fill", EventDecoder.vFill), ("mark", EventDecoder.vMark), ("admin", EventDecoder.vAdmin), ("clock", EventDecoder.vClock), ("cash", EventDecoder.vCash), ("order", EventDecoder.vOrder), ("switch_category", EventDecoder.vSwitch), ("buy", EventDecoder.vBuy), ("sell", EventDecoder.vSell), ("orderType", EventDecoder.kOrderTy)]
        for (name, value) in names {
            #expect(EventDecoder.pack(name) == value, "\(name)")
        }
        #expect(names.count == 30)
    }
}
