/// A unified diff of two texts by lines (Myers' O(ND) algorithm), with `---`/`+++` headers and
/// `@@` hunks of three context lines, as `diff -u` prints it. Used by `rulec fmt --check --diff`.
/// Returns "" when the texts are equal.
public func unifiedDiff(old: String, new: String, path: String) -> String {
    let a = splitLines(old), b = splitLines(new)
    let edits = myersDiff(a, b)
    guard edits.contains(where: { $0.kind != .same }) else { return "" }
    var out = "--- a/\(path)\n+++ b/\(path)\n"
    let context = 3
    // Group edits into hunks: runs of changes with at most 2*context equal lines between them.
    var i = 0
    while i < edits.count {
        guard let firstChange = edits[i...].firstIndex(where: { $0.kind != .same }) else { break }
        let start = max(i, firstChange - context)
        var end = firstChange
        var k = firstChange
        while k < edits.count {
            if edits[k].kind != .same { end = k; k += 1; continue }
            var run = k
            while run < edits.count && edits[run].kind == .same { run += 1 }
            if run == edits.count || run - k > 2 * context { break }
            k = run
        }
        let stop = min(edits.count, end + context + 1)
        let hunk = edits[start..<stop]
        let oldCount = hunk.filter { $0.kind != .insert }.count
        let newCount = hunk.filter { $0.kind != .delete }.count
        let first = hunk.first.map { ($0.oldIndex, $0.newIndex) } ?? (0, 0)
        out += "@@ -\(range(first.0, oldCount)) +\(range(first.1, newCount)) @@\n"
        for e in hunk {
            switch e.kind {
            case .same: out += line(" ", a[e.oldIndex])
            case .delete: out += line("-", a[e.oldIndex])
            case .insert: out += line("+", b[e.newIndex])
            }
        }
        i = stop
    }
    return out
}

/// `start,count` with diff's conventions: 1-based, `,1` omitted, an empty range names the
/// line before it.
private func range(_ index: Int, _ count: Int) -> String {
    if count == 0 { return "\(index),0" }
    return count == 1 ? "\(index + 1)" : "\(index + 1),\(count)"
}

private func line(_ mark: String, _ text: Substring) -> String {
    text.hasSuffix("\n") ? mark + text : mark + text + "\n\\ No newline at end of file\n"
}

/// Lines with their line breaks, so a missing final newline is a difference.
private func splitLines(_ s: String) -> [Substring] {
    var out: [Substring] = []
    var start = s.startIndex
    var i = s.startIndex
    while i < s.endIndex {
        let next = s.index(after: i)
        if s[i] == "\n" {
            out.append(s[start..<next])
            start = next
        }
        i = next
    }
    if start < s.endIndex { out.append(s[start...]) }
    return out
}

private struct Edit {
    enum Kind { case same, delete, insert }
    var kind: Kind
    /// For `same` and `delete`: the line in `old`; for `insert`: where it goes in `old`.
    var oldIndex: Int
    /// For `same` and `insert`: the line in `new`; for `delete`: where it goes in `new`.
    var newIndex: Int
}

/// The edit script from `a` to `b`: equal lines at both ends are matched first, then the
/// middle is diffed with Myers' algorithm (1986). Past `maxEditDistance` edits the middle is
/// shown as one replacement, so memory stays bounded on files that share nothing.
private func myersDiff(_ a: [Substring], _ b: [Substring], maxEditDistance: Int = 2_000) -> [Edit] {
    var prefix = 0
    while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix && suffix < b.count - prefix
            && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
    var edits: [Edit] = (0..<prefix).map { Edit(kind: .same, oldIndex: $0, newIndex: $0) }
    let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
    if let middle = myersMiddle(midA, midB, maxEditDistance: maxEditDistance) {
        edits += middle.map { Edit(kind: $0.kind, oldIndex: $0.oldIndex + prefix, newIndex: $0.newIndex + prefix) }
    } else {
        edits += midA.indices.map { Edit(kind: .delete, oldIndex: prefix + $0, newIndex: prefix) }
        edits += midB.indices.map { Edit(kind: .insert, oldIndex: prefix + midA.count, newIndex: prefix + $0) }
    }
    edits += (0..<suffix).map {
        Edit(kind: .same, oldIndex: a.count - suffix + $0, newIndex: b.count - suffix + $0)
    }
    return edits
}

/// Myers' greedy shortest edit script, or nil when it needs more than `maxEditDistance` edits.
/// Keeps the frontier of every round (`2d + 1` entries for round `d`) to walk back.
private func myersMiddle(_ a: [Substring], _ b: [Substring], maxEditDistance: Int) -> [Edit]? {
    let n = a.count, m = b.count
    let limit = min(n + m, maxEditDistance)
    // v[k + offset] = furthest x on diagonal k.
    let offset = limit + 1
    var v = [Int](repeating: 0, count: 2 * limit + 3)
    var trace: [[Int]] = []
    var reached = false
    for d in 0...limit {
        for k in stride(from: -d, through: d, by: 2) {
            var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
            var y = x - k
            while x < n && y < m && a[x] == b[y] {
                x += 1
                y += 1
            }
            v[offset + k] = x
            if x >= n && y >= m { reached = true; break }
        }
        trace.append(Array(v[(offset - d)...(offset + d)]))
        if reached { break }
    }
    guard reached else { return nil }
    // Walk back through the saved frontiers; trace[d][k + d] is v[k] after round d.
    var edits: [Edit] = []
    var x = n, y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
        let k = x - y
        var prevX = 0, prevY = 0
        if d > 0 {
            let before = trace[d - 1]
            func at(_ k: Int) -> Int { before[k + d - 1] }
            let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            prevX = at(prevK)
            prevY = prevX - prevK
        }
        while x > prevX && y > prevY {
            x -= 1
            y -= 1
            edits.append(Edit(kind: .same, oldIndex: x, newIndex: y))
        }
        if d > 0 {
            if x == prevX {
                edits.append(Edit(kind: .insert, oldIndex: x, newIndex: prevY))
            } else {
                edits.append(Edit(kind: .delete, oldIndex: prevX, newIndex: y))
            }
            x = prevX
            y = prevY
        }
    }
    return edits.reversed()
}
