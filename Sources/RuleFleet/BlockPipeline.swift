import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RuleBase
import RuleJSON

// The block pipeline under every fleet replay: the history is read in blocks of whole lines;
// the calling thread finds each line's account and hands the line to the worker that owns it
// (account number modulo the jobs); the workers run a block in parallel while the calling thread
// finishes the block before (merges and writes its output) and routes the next one. What a
// worker does with its lines is the worker's: one engine per account (`rulec replay`), or two
// (`rulec diff --replay`).

/// A worker of the pipeline: the lines it was handed for each of the two block parities, the
/// block's bytes, and the bad lines it met.
protocol RoutedWorker: AnyObject, Sendable {
    var inputs: [[WorkItem]] { get set }
    var blocks: [[UInt8]] { get set }
    var problems: [[ReplayProblem]] { get }
    /// Applies the lines of parity `p`, in order.
    func process(_ p: Int)
}

/// The accounts of a fleet assigned to workers, and the loop that feeds them.
final class BlockPipeline<Worker: RoutedWorker> {
    let table: AccountTable
    /// Per account: the worker that owns it (−1: another shard) and its slot there.
    let workerOf: [Int32]
    let slotOf: [Int32]
    let workers: [Worker]

    /// Assigns the accounts of the shard (all when `shard` is nil) to `workers` in turn;
    /// `add(worker, account)` gives the account's slot in that worker.
    init(ids: [String], shard: (index: Int, count: Int)?, workers: [Worker], add: (Int, Int) -> Int) {
        var table = AccountTable(capacity: ids.count)
        for id in ids { _ = table.insert(id) }
        self.table = table
        var workerOf = [Int32](repeating: -1, count: ids.count)
        var slotOf = [Int32](repeating: -1, count: ids.count)
        var kept = 0
        for (i, id) in ids.enumerated() {
            if let s = shard, AccountTable.shard(of: id, count: s.count) != s.index { continue }
            let w = kept % workers.count
            kept += 1
            workerOf[i] = Int32(w)
            slotOf[i] = Int32(add(w, i))
        }
        self.workerOf = workerOf
        self.slotOf = slotOf
        self.workers = workers
    }

    /// Reads every block, has the workers process it and `finish(parity, routed)` finish it (the
    /// routed problems are the lines that name no account); stops when `finish` says false.
    /// With one worker everything runs on the calling thread.
    func run(_ reader: inout BlockReader, read: () -> [UInt8]?, finish: (Int, [ReplayProblem]) -> Bool) {
        if workers.count == 1 {
            let w = workers[0]
            while let block = reader.next(read) {
                let routed = route(block, parity: 0)
                w.process(0)
                if !finish(0, routed) { break }
            }
            return
        }
        let queue = DispatchQueue.global(qos: .userInitiated)
        var current = reader.next(read)
        var routed = current.map { route($0, parity: 0) } ?? []
        var parity = 0
        var group: DispatchGroup?
        var previous: (parity: Int, routed: [ReplayProblem])?
        while true {
            // Start the workers on the routed block.
            if current != nil {
                let g = DispatchGroup()
                for w in workers {
                    let p = parity
                    queue.async(group: g) { w.process(p) }
                }
                group = g
            }
            // Meanwhile: finish the block before, route the next one.
            if let prev = previous, !finish(prev.parity, prev.routed) {
                group?.wait()
                break
            }
            previous = nil
            let next = current == nil ? nil : reader.next(read)
            let nextRouted = next.map { route($0, parity: 1 - parity) } ?? []
            group?.wait()
            group = nil
            if current == nil { break }
            previous = (parity, routed)
            current = next
            routed = nextRouted
            parity = 1 - parity
        }
    }

    /// Hands each line of `block` to the worker that owns its account; returns the lines that
    /// name no account of the fleet.
    func route(_ block: Block, parity p: Int) -> [ReplayProblem] {
        for w in workers {
            w.inputs[p].removeAll(keepingCapacity: true)
            w.blocks[p] = block.bytes
        }
        var problems: [ReplayProblem] = block.problems
        block.bytes.withUnsafeBufferPointer { b in
            for l in block.lines {
                let r = l.range
                guard let idRange = AccountField.find(b, r, block.bytes) else {
                    problems.append(AccountField.problem(block.bytes, l))
                    continue
                }
                let found: Int?
                switch idRange {
                case .plain(let ir): found = table.index(of: UnsafeBufferPointer(rebasing: b[ir]))
                case .escaped(let s): found = table.index(of: s)
                }
                guard let a = found else {
                    let id = AccountField.text(b, idRange)
                    problems.append(ReplayProblem(line: l.number, column: 1, message: "unknown account `\(id)`; it is not in the accounts file"))
                    continue
                }
                let w = workerOf[a]
                if w < 0 { continue }       // another shard's account
                workers[Int(w)].inputs[p].append(WorkItem(line: l.number, slot: slotOf[a], range: r))
            }
        }
        return problems
    }
}

/// A line of a block to process: its number, the account's slot in the worker, its bytes.
struct WorkItem {
    var line: Int
    var slot: Int32
    var range: Range<Int>
}

/// A block of whole lines and their numbers.
struct Block {
    var bytes: [UInt8]
    var lines: [JSONLine]
    /// Numbered input only: lines whose prefix is malformed.
    var problems: [ReplayProblem] = []
}

/// Cuts the input into blocks of whole lines of at least `target` bytes (the last may be
/// shorter), numbering lines from 1. Blank lines are counted and skipped.
struct BlockReader {
    let target: Int
    let numbered: Bool
    var carry: [UInt8] = []
    var ended = false
    var lineCount = 0
    /// Numbered input: the last line number, to keep them increasing.
    var lastNumber = 0

    init(target: Int, numbered: Bool = false) {
        self.target = target
        self.numbered = numbered
    }

    mutating func next(_ read: () -> [UInt8]?) -> Block? {
        var bytes = carry
        carry = []
        while !ended && (bytes.count < target || bytes.lastIndex(of: 0x0A) == nil) {
            guard let chunk = read() else { ended = true; break }
            bytes += chunk
        }
        guard !bytes.isEmpty else { return nil }
        var cut = bytes.count
        if !ended, let nl = bytes.lastIndex(of: 0x0A) {
            cut = nl + 1
            carry = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
        }
        var lines: [JSONLine] = []
        var problems: [ReplayProblem] = []
        lines.reserveCapacity(bytes.count / 80)
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            let n = b.count
            while start < n {
                // The line's end: memchr, not a byte loop.
                var end = n
                if let base = b.baseAddress, let hit = memchr(base + start, 0x0A, n - start) {
                    end = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                }
                lineCount += 1
                var e = end
                if e > start && b[e - 1] == 0x0D { e -= 1 }
                var s = start
                while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
                if s < e {
                    if numbered {
                        // `E<TAB>digits<TAB>`
                        var i = s + 2
                        var v = 0, digits = 0
                        while i < e, b[i] >= 0x30, b[i] <= 0x39, digits < 15 { v = v * 10 + Int(b[i] - 0x30); i += 1; digits += 1 }
                        if e - s < 4 || b[s] != 0x45 || b[s + 1] != 0x09 || digits == 0 || i >= e || b[i] != 0x09 {
                            problems.append(ReplayProblem(line: lineCount, column: 1, message: "a numbered line is `E<TAB>line<TAB>event`"))
                        } else if v <= lastNumber {
                            problems.append(ReplayProblem(line: v, column: 1, message: "line numbers must increase (\(v) after \(lastNumber))"))
                        } else {
                            lastNumber = v
                            lines.append(JSONLine(number: v, range: (i + 1)..<e))
                        }
                    } else {
                        lines.append(JSONLine(number: lineCount, range: start..<e))
                    }
                }
                start = end + 1
            }
        }
        return Block(bytes: bytes, lines: lines, problems: problems)
    }
}

/// Finds the `account` member of an event line.
enum AccountField {
    enum Found {
        case plain(Range<Int>)
        case escaped(String)
    }

    /// The id: fast when the line starts `{"account":"…"`, else by scanning its members.
    @inline(__always)
    static func find(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ bytes: [UInt8]) -> Found? {
        let prefix: StaticString = "{\"account\":\""
        let pn = prefix.utf8CodeUnitCount
        var i = r.lowerBound
        while i < r.upperBound && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        if r.upperBound - i > pn {
            var same = true
            let p = prefix.utf8Start
            for k in 0..<pn where b[i + k] != p[k] { same = false; break }
            if same {
                let s = i + pn
                var e = s
                while e < r.upperBound && b[e] != 0x22 && b[e] != 0x5C && b[e] >= 0x20 { e += 1 }
                if e < r.upperBound && b[e] == 0x22 { return .plain(s..<e) }
            }
        }
        return scan(bytes, r)
    }

    static func scan(_ bytes: [UInt8], _ r: Range<Int>) -> Found? {
        guard var scanner = try? JSONObjectScanner(bytes, range: r) else { return nil }
        while let f = try? scanner.next() {
            if scanner.key(f, is: "account") {
                guard f.kind == .string, let s = scanner.string(f) else { return nil }
                return .escaped(s)
            }
        }
        return nil
    }

    static func text(_ b: UnsafeBufferPointer<UInt8>, _ f: Found) -> String {
        switch f {
        case .plain(let r): return String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
        case .escaped(let s): return s
        }
    }

    /// Why a line has no account: malformed JSON (with its position) or a missing member.
    static func problem(_ bytes: [UInt8], _ l: JSONLine) -> ReplayProblem {
        do {
            var scanner = try JSONObjectScanner(bytes, range: l.range, firstLine: l.number)
            while let f = try scanner.next() {
                if scanner.key(f, is: "account") {
                    let e = scanner.error("`account` must be a string", at: f.key.lowerBound - 1)
                    return ReplayProblem(line: e.line, column: e.column, message: e.message)
                }
            }
            return ReplayProblem(line: l.number, column: 1, message: "missing `account`: each line of a fleet history names its account")
        } catch {
            return ReplayProblem(line: error.line, column: error.column, message: error.message)
        }
    }
}
