import RuleBase
import RuleJSON

/// `rulec replay --merge`: the JSON Lines outputs of the shards of one history, combined into
/// what the unsharded run writes. Decision lines are merged by their input line (each input
/// line belongs to one account, so to one shard); the account summaries are gathered, sorted by
/// id, and the fleet totals recomputed from them. Memory holds one block per shard and the
/// summaries, never the decision lines.
public enum ShardMerge {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var input: Int
        public var line: Int
        public var message: String
        public var description: String { "\(line): \(message)" }
    }

    /// Merges; `write` receives the merged decision lines, block by block. Returns the summaries
    /// (sorted by id) for the caller to write in the format it wants.
    public static func merge(_ inputs: [() -> [UInt8]?], write: ([UInt8]) -> Void) -> Result<[AccountSummary], Failure> {
        var cursors = inputs.map { Cursor(read: $0) }
        var summaries: [AccountSummary] = []
        var seen = Set<String>()
        let out = ByteSink(capacity: 1 << 20)
        // Prime every cursor on its first decision line (summaries before it are gathered).
        for k in cursors.indices {
            if let f = cursors[k].advance(input: k, &summaries, &seen) { return .failure(f) }
        }
        while true {
            var best = -1
            var key = Int.max
            for k in cursors.indices {
                if let l = cursors[k].key, l < key { key = l; best = k }
            }
            if best < 0 { break }
            cursors[best].appendCurrent(to: out)
            if out.count >= 1 << 20 {
                write(out.bytes)
                out.reset()
            }
            if let f = cursors[best].advance(input: best, &summaries, &seen) { return .failure(f) }
        }
        if out.count > 0 { write(out.bytes) }
        summaries.sort { $0.account.utf8.lexicographicallyPrecedes($1.account.utf8) }
        return .success(summaries)
    }

    /// One shard output being read: its current decision line and that line's input number.
    struct Cursor {
        let read: () -> [UInt8]?
        var reader = BlockReader(target: 1 << 20)
        var block: Block?
        var index = 0
        var key: Int?
        /// The last key, to check that each input is in line order.
        var lastKey = 0
        var inTail = false

        init(read: @escaping () -> [UInt8]?) { self.read = read }

        func appendCurrent(to out: ByteSink) {
            guard let b = block else { return }
            let r = b.lines[index - 1].range
            b.bytes.withUnsafeBytes { out.append(UnsafeRawBufferPointer(rebasing: $0[r])) }
            out.byte(0x0A)
        }

        /// Moves to the next decision line, gathering summary lines on the way.
        mutating func advance(input: Int, _ summaries: inout [AccountSummary], _ seen: inout Set<String>) -> Failure? {
            key = nil
            while true {
                if block == nil || index >= block!.lines.count {
                    guard let next = reader.next(read) else { return nil }
                    block = next
                    index = 0
                    continue
                }
                let b = block!
                let line = b.lines[index]
                index += 1
                let kind = b.bytes.withUnsafeBufferPointer { classify($0, line.range) }
                switch kind {
                case .decision(let n):
                    if inTail { return Failure(input: input, line: line.number, message: "a decision line after the summaries") }
                    if n < lastKey { return Failure(input: input, line: line.number, message: "decision lines out of input-line order (\(n) after \(lastKey))") }
                    lastKey = n
                    key = n
                    return nil
                case .summary:
                    inTail = true
                    let v: JSONValue
                    do { v = try JSONParser.parse(Array(b.bytes[line.range])) } catch {
                        return Failure(input: input, line: line.number, message: error.message)
                    }
                    guard let s = v["summary"] else { return Failure(input: input, line: line.number, message: "bad summary line") }
                    switch SummaryCodec.decode(s) {
                    case .success(let summary):
                        guard seen.insert(summary.account).inserted else {
                            return Failure(input: input, line: line.number, message: "account `\(summary.account)` is summarised by two shards")
                        }
                        summaries.append(summary)
                    case .failure(let m):
                        return Failure(input: input, line: line.number, message: m.message)
                    }
                case .fleet:
                    inTail = true
                case .other:
                    return Failure(input: input, line: line.number,
                                   message: "not a line of `rulec replay --format jsonl` output (decision, summary or fleet)")
                }
            }
        }
    }

    enum Kind {
        case decision(Int)
        case summary
        case fleet
        case other
    }

    /// Reads the kind of an output line from its first bytes.
    static func classify(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Kind {
        func starts(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard r.count >= n else { return false }
            for k in 0..<n where b[r.lowerBound + k] != s.utf8Start[k] { return false }
            return true
        }
        if starts("{\"summary\":") { return .summary }
        if starts("{\"fleet\":") { return .fleet }
        guard starts("{\"account\":\"") else { return .other }
        // Skip the quoted id (escapes included), then `,"line":N`.
        var i = r.lowerBound + 12
        while i < r.upperBound && b[i] != 0x22 {
            i += b[i] == 0x5C ? 2 : 1
        }
        i += 1
        let tag: StaticString = ",\"line\":"
        let n = tag.utf8CodeUnitCount
        guard i + n < r.upperBound else { return .other }
        for k in 0..<n where b[i + k] != tag.utf8Start[k] { return .other }
        i += n
        var v = 0
        var digits = 0
        while i < r.upperBound, b[i] >= 0x30, b[i] <= 0x39, digits < 18 {
            v = v * 10 + Int(b[i] - 0x30)
            i += 1
            digits += 1
        }
        return digits > 0 ? .decision(v) : .other
    }
}
