// rulec-bench: release-build benchmarks. Prints figures; never asserts on time.
//   swift run -c release rulec-bench [all|frontend|a|b|simulate|fleet|lsp] [--shared ../shared] [--runs 5] [--evals N]
import Foundation
import RuleBase
import RuleSyntax
import RuleSemantics
import RuleGraph
import RuleEngine

struct Options {
    var what = "all"
    var shared = "../shared"
    var runs = 5
    var evals: Int? = nil
    var data = ".build/bench-data"
    /// Size of the generated front-end corpus.
    var corpusMB = 10.5
    /// Front end only: run just one phase (lex, parse, check, lints), for callgrind counts.
    var phase: String? = nil
    /// Fleet: accounts, events per account, output folder of `fleet-gen`, jobs to measure.
    var accounts = 10_000
    var perAccount = 100
    var out = "examples/fleet"
    var jobs: [Int] = [1, 2]
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--shared": o.shared = args.popFirst() ?? o.shared
        case "--runs": o.runs = Int(args.popFirst() ?? "") ?? o.runs
        case "--evals": o.evals = Int(args.popFirst() ?? "")
        case "--data": o.data = args.popFirst() ?? o.data
        case "--corpus-mb": o.corpusMB = Double(args.popFirst() ?? "") ?? o.corpusMB
        case "--phase": o.phase = args.popFirst()
        case "--accounts": o.accounts = Int(args.popFirst() ?? "") ?? o.accounts
        case "--per-account": o.perAccount = Int(args.popFirst() ?? "") ?? o.perAccount
        case "--out": o.out = args.popFirst() ?? o.out
        case "--jobs": o.jobs = (args.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
        case "all", "frontend", "a", "b", "simulate", "fleet", "fleet-gen", "fleet-run", "lsp": o.what = a
        case "-h", "--help":
            print("""
                usage: rulec-bench [all|frontend|a|b|simulate|fleet|lsp] [--shared DIR] [--runs N] [--evals N] [--data DIR] [--corpus-mb MB] [--phase lex|parse|check|lints]
                       rulec-bench fleet [--accounts N] [--per-account M] [--jobs 1,2]   (fleet replay throughput and peak memory)
                       rulec-bench fleet-gen [--accounts N] [--per-account M] [--out DIR] (write accounts.jsonl and history.jsonl)
                """)
            exit(0)
        default:
            FileHandle.standardError.write("rulec-bench: unknown argument `\(a)`\n".data(using: .utf8) ?? Data())
            exit(2)
        }
    }
    return o
}

@inline(never) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func fmt(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write("rulec-bench: \(message)\n".data(using: .utf8) ?? Data())
    exit(1)
}

/// Compiles one rulebook file (paths relative to the current directory) into graphs.
func compile(_ path: String) -> (CheckedRulebook, [RuleGraph]) {
    let (model, diags) = Checker.check(entries: [path]) { p in
        FileManager.default.contents(atPath: p).map { .loaded([UInt8]($0)) } ?? .notFound
    }
    if diags.hasErrors { fail("\(path) does not check:\n" + DiagnosticRenderer().render(diags, sources: model.sources)) }
    return (model, Lowering.lower(model))
}

/// Builds the shared data files and runs the C baseline; returns its output.
func runBaseline(_ o: Options) -> String {
    let script = o.shared + "/bench/baseline.sh"
    guard FileManager.default.fileExists(atPath: script) else { fail("no \(script); pass --shared DIR") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = [script, o.data]
    let pipe = Pipe()
    p.standardOutput = pipe
    do { try p.run() } catch { fail("cannot run \(script): \(error)") }
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    if p.terminationStatus != 0 { fail("\(script) failed with status \(p.terminationStatus)") }
    return String(decoding: out, as: UTF8.self)
}

func readFile(_ path: String) -> [UInt8] {
    guard let d = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return [UInt8](d)
}

func le64(_ b: UnsafeRawBufferPointer, _ off: Int) -> Int64 { b.loadUnaligned(fromByteOffset: off, as: Int64.self) }

let options = parseOptions()
print("rulec-bench (release build expected; debug figures are meaningless)")
#if DEBUG
print("WARNING: this is a debug build")
#endif

if ["all", "a", "b"].contains(options.what) {
    print("\n== C baseline (../shared/bench/baseline.sh, same run) ==")
    print(runBaseline(options).trimmingCharacters(in: .whitespacesAndNewlines))
}
if options.what == "all" || options.what == "frontend" { benchFrontend(options) }
if options.what == "all" || options.what == "a" { benchWorkloadA(options) }
if options.what == "all" || options.what == "b" { benchWorkloadB(options) }
if options.what == "all" || options.what == "simulate" { benchSimulate(options) }
if options.what == "all" || options.what == "fleet" { benchFleet(options) }
if options.what == "all" || options.what == "lsp" { benchLsp(options) }
if options.what == "fleet-gen" { generateFleet(options) }
if options.what == "fleet-run" { fleetRunChild(options) }
