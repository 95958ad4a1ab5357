/// `rulec test` output for people (text) and CI servers (JUnit XML). Both depend only on the
/// report, so the same tests print the same bytes.
extension TestRunReport {
    // MARK: Text

    /// One line per test (`ok   name` / `FAIL name`), each failure's event with expected and
    /// actual, the summary line, and with `coverage` the settings no test reached.
    public func text(coverage: Bool) -> String {
        let r = self
        var out = ""
        for t in r.results {
            guard let f = t.failure else {
                out += "ok   \(t.name)\n"
                continue
            }
            out += "FAIL \(t.name)\n"
            if let e = f.event {
                out += "  \(e): \(e.text)\n"
            } else {
                out += "  \(t.source): before the first event\n"
            }
            for m in f.mismatches {
                out += "    expected  \(m.expected)\n"
                out += "    actual    \(m.actual)\n"
            }
        }
        out += "\(r.passed) passed, \(r.failed) failed\n"
        if coverage { out += coverageText() }
        return out
    }

    public func coverageText() -> String {
        let r = self
        let total = r.coverage.reduce(0) { $0 + $1.items.count }
        let reached = r.coverage.reduce(0) { $0 + $1.exercised }
        let n = r.coverage.count
        var out = "coverage: \(reached) of \(total) settings exercised in \(n) template\(n == 1 ? "" : "s")\n"
        let missing = r.unexercised
        if missing.isEmpty { return out }
        out += "not exercised:\n"
        let width = missing.map(\.template.count).max() ?? 0
        let settingWidth = missing.map(\.setting.count).max() ?? 0
        for m in missing {
            let line = "  \(m.template.padding(width))  " + (m.source.map { "\(m.setting.padding(settingWidth))  \($0)" } ?? m.setting)
            out += line + "\n"
        }
        return out
    }

    // MARK: JUnit

    /// JUnit XML as CI servers read it: one `testsuite` per test file, one `testcase` per test,
    /// a `failure` with the diverging event, expected and actual. Times are 0 so the report is
    /// deterministic.
    public func junit() -> String {
        let r = self
        var files: [String] = []
        for t in r.results where !files.contains(t.source.file) { files.append(t.source.file) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"rulec test\" tests=\"\(r.results.count)\" failures=\"\(r.failed)\" errors=\"0\" time=\"0\">\n"
        for file in files {
            let tests = r.results.filter { $0.source.file == file }
            let failed = tests.count { !$0.passed }
            out += "  <testsuite name=\"\(Self.xml(file))\" tests=\"\(tests.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
            for t in tests {
                let attrs = "name=\"\(Self.xml(t.name))\" classname=\"\(Self.xml(t.template))\" file=\"\(Self.xml(file))\" line=\"\(t.source.line)\" time=\"0\""
                guard let f = t.failure else {
                    out += "    <testcase \(attrs)/>\n"
                    continue
                }
                let first = f.mismatches.first.map { "expected \($0.expected), actual \($0.actual)" } ?? "failed"
                let at = f.event.map { "\($0): " } ?? ""
                var body = f.event.map { "\($0): \($0.text)\n" } ?? ""
                for m in f.mismatches { body += "  expected  \(m.expected)\n  actual    \(m.actual)\n" }
                out += "    <testcase \(attrs)>\n"
                out += "      <failure message=\"\(Self.xml(at + first))\" type=\"expectation\">\(Self.xml(body))</failure>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// Text escaped for XML attributes and content; characters XML 1.0 cannot hold become U+FFFD.
    public static func xml(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

private extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
