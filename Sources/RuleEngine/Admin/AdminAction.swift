import RuleBase

/// `accountRiskStatus/setAdminAutoLiqAction` (domain.md §5): what the risk desk does to one
/// account by hand. Every restriction it sets is manual: only a later `Normal` lifts it.
public struct AdminAction: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Clears every active cause, automatic ones included; latches stay set.
        case normal
        /// Locks at once; every order rejected; positions left open.
        case lockTradingImmediately
        /// Flattens every position and locks (persistently, R-23).
        case liquidateImmediately
        /// Closing orders only; positions kept.
        case liquidateOnlyModeImmediately

        /// The broker's enum spelling.
        public var description: String {
            ["Normal", "LockTradingImmediately", "LiquidateImmediately", "LiquidateOnlyModeImmediately"][Int(rawValue)]
        }

        /// Accepts the broker's names and the short forms `normal`, `lock`, `liquidate`, `liquidate_only`.
        public init?(name: String) {
            switch name {
            case "Normal", "normal": self = .normal
            case "LockTradingImmediately", "lock", "lock_trading": self = .lockTradingImmediately
            case "LiquidateImmediately", "liquidate": self = .liquidateImmediately
            case "LiquidateOnlyModeImmediately", "liquidate_only": self = .liquidateOnlyModeImmediately
            default: return nil
            }
        }

        /// Internal broker values the DSL and the interpreter refuse.
        public static let internalNames: Set<String> = [
            "PlaceAutoLiqOnHold", "DisableAutoLiq", "AgreedOnLiqOnlyModeByAutoLiq", "AgreedOnLiquidationByAutoLiq",
        ]
    }

    /// `adminActionReasonCode`: the union of both published enum versions (domain.md §5.3).
    public enum ReasonCode: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case callIn, closingAccount, complianceRequest, fullBalanceWithdrawal, lowLiquidity, other
        case closeAMLDecision, closeComplianceDecision, closeCustomerRequest, closeDeceased, closeEscheatment
        case closeFraud, closeInactiveUnfundedAccount, restrictedAMLRequest, restrictedAccountsRequest
        case restrictedComplianceRequest, restrictedRiskRestriction, restrictedTreasuryRequest, restrictedW8Expired

        static let names = [
            "CallIn", "ClosingAccount", "ComplianceRequest", "FullBalanceWithdrawal", "LowLiquidity", "Other",
            "CloseAMLDecision", "CloseComplianceDecision", "CloseCustomerRequest", "CloseDeceased", "CloseEscheatment",
            "CloseFraud", "CloseInactiveUnfundedAccount", "RestrictedAMLRequest", "RestrictedAccountsRequest",
            "RestrictedComplianceRequest", "RestrictedRiskRestriction", "RestrictedTreasuryRequest", "RestrictedW8Expired",
        ]
        public var description: String { Self.names[Int(rawValue)] }
        public init?(name: String) {
            guard let i = Self.names.firstIndex(of: name), let c = ReasonCode(rawValue: UInt8(i)) else { return nil }
            self = c
        }
    }

    /// Why the broker would refuse the call (its `errorText`); the account is left unchanged.
    public enum Rejection: Sendable, Hashable, CustomStringConvertible, CaseIterable {
        /// `Other` needs a reason; a blank one counts as missing.
        case reasonRequired
        /// Over 8,192 Unicode scalars; carries the length found.
        case reasonTooLong(Int)
        /// One of the broker's internal values; carries the name written.
        case internalAction(String)

        public static var allCases: [Rejection] { [.reasonRequired, .reasonTooLong(0), .internalAction("")] }

        /// The stable code of the refusal, in simulate's JSON and in rulebook tests
        /// (`expect admin refused reason_required`).
        public var code: String {
            switch self {
            case .reasonRequired: return "reason_required"
            case .reasonTooLong: return "reason_too_long"
            case .internalAction: return "internal_action"
            }
        }

        public var description: String {
            switch self {
            case .reasonRequired: return "reason code `Other` requires a reason"
            case .reasonTooLong(let n): return "reason is \(n) characters; at most \(AdminAction.maxReasonLength) are allowed"
            case .internalAction(let name): return "admin action `\(name)` is internal to the broker and cannot be set (R-25)"
            }
        }
    }

    public static let maxReasonLength = 8192

    public var kind: Kind
    public var reasonCode: ReasonCode
    public var reason: String?
    /// One of `Kind.internalNames` named instead of an action: the call is always refused
    /// and `kind` is not used.
    public var internalName: String?

    public init(_ kind: Kind, reasonCode: ReasonCode, reason: String? = nil) {
        self.kind = kind
        self.reasonCode = reasonCode
        self.reason = reason
    }

    /// A call naming one of the broker's internal values, which the broker refuses.
    public init(internal name: String, reasonCode: ReasonCode, reason: String? = nil) {
        self.init(.normal, reasonCode: reasonCode, reason: reason)
        self.internalName = name
    }

    /// The broker's validation (domain.md §5.4): nil when the call would be accepted.
    public var rejection: Rejection? {
        if let name = internalName { return .internalAction(name) }
        if let r = reason {
            let n = r.unicodeScalars.count
            if n > Self.maxReasonLength { return .reasonTooLong(n) }
        }
        if reasonCode == .other {
            let blank = reason.map { $0.unicodeScalars.allSatisfy { $0.properties.isWhitespace } } ?? true
            if blank { return .reasonRequired }
        }
        return nil
    }
}
