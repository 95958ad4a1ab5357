import RuleJSON
import RuleEngine

extension ByteSink {
    /// A price as a decimal with two to six fraction digits: `5000.25`, `4990.00`.
    @inlinable @inline(__always) public func price(_ p: Price) { decimal(p.micros, scale: 6, minFraction: 2) }
}
