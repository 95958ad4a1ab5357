import RuleBase
import RuleGraph

/// Why the firm's rules closed positions (beside the broker's flatten causes).
public enum FirmFlatten: Sendable, Hashable {
    /// A news window started (index in `NewsWindowsNode.events`): its products are closed.
    case newsWindow(Int32)
    /// A product's flat-by time (index in `FirmRulesNode.flatBy`).
    case flatBy(Int32)
    /// The product's open loss reached `max_position_loss`: that position alone.
    case positionLoss(Int32)

    public var name: String {
        switch self {
        case .newsWindow: return "news_window"
        case .flatBy: return "flat_by"
        case .positionLoss: return "max_position_loss"
        }
    }
}

/// The engine's firm-rule state: the evaluation, the scaling tier in force and the one the last
/// end of day set for the next session, the news windows on the time line.
public struct FirmState: Sendable, Hashable {
    public var evaluation: EvaluationState?
    /// Index of the scaling tier in force (nil without a scaling plan).
    public var scalingTier: Int32?
    /// The tier the last end of day decided, in force from the next session open.
    public var pendingTier: Int32?
    /// Per news event: its window `[start, stop)` in milliseconds.
    public var newsWindows: [(start: Int64, stop: Int64)] = []
    /// What the payout conditions count, since the start or the last payout.
    public var payoutWindow = PayoutWindow()

    public init() {}

    public static func == (a: FirmState, b: FirmState) -> Bool {
        a.evaluation == b.evaluation && a.scalingTier == b.scalingTier && a.pendingTier == b.pendingTier && a.payoutWindow == b.payoutWindow
            && a.newsWindows.elementsEqual(b.newsWindows, by: { $0.start == $1.start && $0.stop == $1.stop })
    }
    public func hash(into h: inout Hasher) {
        h.combine(evaluation)
        h.combine(scalingTier)
        h.combine(pendingTier)
        h.combine(payoutWindow)
    }
}
