import Foundation
import TerminalUI

/// What `$XDG_CONFIG_HOME/termchat/config.toml` may set: `[keys]` (see `KeyMap.names`) and
/// `[colors]` (accent, me, other, dim, error, border: a colour name or 0-255).
public struct UIConfig: Equatable, Sendable {
    public var keys = KeyMap()
    public var theme = Theme.standard
    /// Problems found while reading the file, as sentences; the rest of the file still applies.
    public var problems: [String] = []

    public init() {}

    static let colorNames: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7, "gray": 8, "grey": 8,
    ]
    static var themeColors: [String: WritableKeyPath<Theme, CellStyle>] { [
        "accent": \.accent, "me": \.me, "other": \.other, "dim": \.dim, "error": \.error, "border": \.border,
    ] }

    /// Parses the subset of TOML the file uses: `[table]` headers, `key = "string"` or
    /// `key = number`, and `#` comments.
    public static func parse(_ text: String) -> UIConfig {
        var config = UIConfig()
        var table = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                table = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                config.problems.append("config.toml line \(number): expected key = value.")
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = unquote(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            switch table {
            case "keys":
                guard let path = KeyMap.names[key] else {
                    config.problems.append("config.toml line \(number): no key binding called \(key).")
                    continue
                }
                guard value.count == 1, let character = value.first else {
                    config.problems.append("config.toml line \(number): a key is one character, like \"n\".")
                    continue
                }
                config.keys[keyPath: path] = character
            case "colors", "colours":
                guard let path = themeColors[key] else {
                    config.problems.append("config.toml line \(number): no colour called \(key).")
                    continue
                }
                guard let color = colorNames[value.lowercased()] ?? UInt8(value) else {
                    config.problems.append("config.toml line \(number): \(value) is not a colour (a name or 0-255).")
                    continue
                }
                config.theme[keyPath: path].foreground = .palette(color)
            default:
                config.problems.append("config.toml line \(number): unknown table [\(table)].")
            }
        }
        return config
    }

    public static func load(path: String) -> UIConfig {
        guard let data = FileManager.default.contents(atPath: path) else { return UIConfig() }
        return parse(String(decoding: data, as: UTF8.self))
    }

    static func stripComment(_ line: String) -> String {
        var inString = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { return String(line.prefix(offset)) }
        }
        return line
    }

    static func unquote(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { return String(value.dropFirst().dropLast()) }
        return value
    }
}
