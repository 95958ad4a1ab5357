import RuleBase
import RuleJSON
import RuleEngine

/// Evaluation statuses over a fleet (issue 13): how many evaluation accounts are in progress,
/// passed or failed at the end of the history. Accounts of templates without objectives are
/// not counted, and a fleet without any writes nothing, so its summaries keep their bytes.
public struct EvaluationCounts: Sendable, Hashable {
    public var inProgress = 0, passed = 0, failed = 0
    public var total: Int { inProgress + passed + failed }

    public init(_ summaries: [AccountSummary]) {
        for s in summaries {
            switch s.evaluation {
            case "in_progress": inProgress += 1
            case "passed": passed += 1
            case "failed": failed += 1
            default: break
            }
        }
    }

    /// `  evaluations: in progress 3, passed 1, failed 2` (text report), or nothing.
    public var textLine: String {
        total == 0 ? "" : "  evaluations: in progress \(inProgress), passed \(passed), failed \(failed)\n"
    }

    /// A Markdown table, or nothing.
    public var markdown: String {
        total == 0 ? "" : "### Evaluations\n\n| in progress | passed | failed |\n| ---: | ---: | ---: |\n| \(inProgress) | \(passed) | \(failed) |\n\n"
    }

    /// `,"evaluations":{"inProgress":3,"passed":1,"failed":2}` in the fleet object, or nothing.
    func json(into o: ByteSink) {
        guard total > 0 else { return }
        o.raw(",\"evaluations\":{\"inProgress\":")
        o.int(Int64(inProgress))
        o.raw(",\"passed\":")
        o.int(Int64(passed))
        o.raw(",\"failed\":")
        o.int(Int64(failed))
        o.byte(UInt8(ascii: "}"))
    }
}

extension SummaryCodec {
    /// `,"evaluation":"passed","evaluationAt":"…"` in an account summary, or nothing.
    static func evaluation(_ s: AccountSummary, into o: ByteSink) {
        guard let e = s.evaluation else { return }
        o.raw(",\"evaluation\":")
        o.quoted(e)
        if let at = s.evaluationAt {
            o.raw(",\"evaluationAt\":\"")
            o.instant(at)
            o.byte(0x22)
        }
    }
}
