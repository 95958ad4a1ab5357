import RuleBase
import RuleJSON
import RuleTools

/// `rulec test --format json`: the report as one JSON document (text and JUnit are
/// `TestRunReport.text(coverage:)` and `.junit()` in RuleTools).
enum TestReportFormats {
    // MARK: JSON

    static func json(_ r: TestRunReport, coverage: Bool) -> String {
        var w = JSONWriter(style: .pretty)
        w.beginObject()
        w.key("version"); w.number(1)
        w.key("tests"); w.beginArray()
        for t in r.results {
            w.beginObject()
            w.key("name"); w.string(t.name)
            w.key("file"); w.string(t.source.file)
            w.key("line"); w.number(t.source.line)
            w.key("template"); w.string(t.template)
            w.key("status"); w.string(t.passed ? "passed" : "failed")
            if let f = t.failure {
                w.key("failure"); w.beginObject()
                if let e = f.event {
                    w.key("event"); w.beginObject()
                    w.key("file"); w.string(e.file)
                    w.key("line"); w.number(e.line)
                    w.key("text"); w.string(e.text)
                    w.endObject()
                }
                w.key("mismatches"); w.beginArray()
                for m in f.mismatches {
                    w.beginObject()
                    w.key("line"); w.number(m.line)
                    w.key("expected"); w.string(m.expected)
                    w.key("actual"); w.string(m.actual)
                    w.endObject()
                }
                w.endArray()
                w.endObject()
            }
            w.endObject()
        }
        w.endArray()
        w.key("summary"); w.beginObject()
        w.key("passed"); w.number(r.passed)
        w.key("failed"); w.number(r.failed)
        w.endObject()
        if coverage {
            w.key("coverage"); w.beginArray()
            for c in r.coverage {
                w.beginObject()
                w.key("template"); w.string(c.template)
                w.key("tested"); w.bool(c.tested)
                w.key("settings"); w.number(c.items.count)
                w.key("exercised"); w.number(c.exercised)
                w.key("unexercised"); w.beginArray()
                for m in c.items where !m.exercised {
                    w.beginObject()
                    w.key("setting"); w.string(m.setting)
                    if let s = m.source {
                        w.key("file"); w.string(s.file)
                        w.key("line"); w.number(s.line)
                    }
                    w.endObject()
                }
                w.endArray()
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        return w.text + "\n"
    }
}
