/// Account ids to account numbers, without allocation per lookup: an open-addressing table over
/// the ids' UTF-8 bytes, hashed with FNV-1a 64 (the same hash that assigns shards).
public struct AccountTable: Sendable {
    /// Every id's bytes, back to back; `starts[i]..<starts[i + 1]` is account i's.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: -1, count: n)
        mask = n - 1
    }

    public var count: Int { starts.count - 1 }

    /// FNV-1a 64 of the bytes: stable across machines, runs and Swift versions (unlike `Hasher`).
    @inline(__always)
    public static func fnv1a(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in b {
            h ^= UInt64(c)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    public static func fnv1a(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { fnv1a($0) }
    }

    /// The shard (0-based) of an id among `count` shards: FNV-1a 64 of its UTF-8 bytes, modulo `count`.
    public static func shard(of id: String, count: Int) -> Int {
        Int(fnv1a(id) % UInt64(max(count, 1)))
    }

    public func id(_ i: Int) -> String {
        String(decoding: bytes[starts[i]..<starts[i + 1]], as: UTF8.self)
    }

    /// Adds an id; returns its number, or the existing number with `inserted == false`.
    public mutating func insert(_ id: String) -> (index: Int, inserted: Bool) {
        var id = id
        if let i = id.withUTF8({ index(of: $0) }) { return (i, false) }
        if count * 2 >= slots.count { grow() }
        let n = count
        bytes.append(contentsOf: id.utf8)
        starts.append(bytes.count)
        place(n)
        return (n, true)
    }

    /// The number of the account with these id bytes.
    @inline(__always)
    public func index(of b: UnsafeBufferPointer<UInt8>) -> Int? {
        var k = Int(truncatingIfNeeded: Self.fnv1a(b)) & mask
        while true {
            let s = slots[k]
            if s < 0 { return nil }
            let i = Int(s)
            let a = starts[i], e = starts[i + 1]
            if e - a == b.count {
                let same = bytes.withUnsafeBufferPointer { all in
                    b.count == 0 || memcmpEqual(all.baseAddress! + a, b.baseAddress!, b.count)
                }
                if same { return i }
            }
            k = (k + 1) & mask
        }
    }

    public func index(of id: String) -> Int? {
        var id = id
        return id.withUTF8 { index(of: $0) }
    }

    private mutating func place(_ i: Int) {
        let h = bytes.withUnsafeBufferPointer { all in
            Self.fnv1a(UnsafeBufferPointer(rebasing: all[starts[i]..<starts[i + 1]]))
        }
        var k = Int(truncatingIfNeeded: h) & mask
        while slots[k] >= 0 { k = (k + 1) & mask }
        slots[k] = Int32(i)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for i in 0..<count { place(i) }
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
