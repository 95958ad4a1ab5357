#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether and how to color output. Color is used only on a terminal and never when
/// `NO_COLOR` is set to a non-empty value (https://no-color.org).
public struct Terminal: Sendable, Hashable {
    public var stdoutIsTTY: Bool
    public var stderrIsTTY: Bool
    /// `NO_COLOR` is set and not empty.
    public var noColor: Bool

    public init(stdoutIsTTY: Bool, stderrIsTTY: Bool, environment: [String: String]) {
        self.stdoutIsTTY = stdoutIsTTY
        self.stderrIsTTY = stderrIsTTY
        self.noColor = !(environment["NO_COLOR"] ?? "").isEmpty
    }

    /// The real process: asks `isatty` about descriptors 1 and 2.
    public static func detect(environment: [String: String]) -> Terminal {
        Terminal(stdoutIsTTY: isatty(1) == 1, stderrIsTTY: isatty(2) == 1, environment: environment)
    }

    public var colorsStdout: Bool { stdoutIsTTY && !noColor }
    public var colorsStderr: Bool { stderrIsTTY && !noColor }

    /// ANSI styles used by rendered messages.
    public enum Style: String, Sendable {
        case bold = "1", red = "1;31", yellow = "1;33", blue = "1;34", cyan = "36", green = "32", dim = "2"
    }

    /// `text` wrapped in the style's escape codes when `enabled`, else unchanged.
    public static func paint(_ text: String, _ style: Style, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
