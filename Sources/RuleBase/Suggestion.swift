/// "Did you mean" support: the closest candidate by edit distance, when it is close enough.
public enum Suggestion {
    /// The candidate closest to `word` (optimal string alignment distance, so a swapped pair
    /// of letters counts once), or nil when none is plausibly a typo. Ties go to the earliest
    /// candidate, so the answer is deterministic.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        guard !word.isEmpty else { return nil }
        let w = Array(word.unicodeScalars)
        var best: (name: String, distance: Int)?
        for c in candidates {
            let cs = Array(c.unicodeScalars)
            let limit = max(1, min(3, max(w.count, cs.count) / 3))
            let d = distance(w, cs)
            let isPrefix = w.count >= 2 && c.hasPrefix(word)
            guard d <= limit || isPrefix else { continue }
            let score = isPrefix ? min(d, limit) : d
            if best == nil || score < (best?.distance ?? .max) { best = (c, score) }
        }
        return best?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions each cost one.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    v = min(v, previous2[j - 2] + 1)
                }
                current[j] = v
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
