import ChatUI
import Foundation
import TerminalUI
import TOMLKit

/// What `$XDG_CONFIG_HOME/termchat/config.toml` may set (all of TOML is read, with TOMLKit):
/// `[keys]` (see `KeyMap.names`), `[colors]` (a colour name or 0-255) and `[network]`
/// (`connect_timeout`, `request_timeout`, seconds). `Resources/config.toml` is the commented
/// default. Every problem is reported with its line; the rest of the file still applies.
public struct AppConfig: Equatable, Sendable {
    public var keys = KeyMap()
    public var theme = Theme.standard
    public var connectTimeout: Double = 5
    public var requestTimeout: Double = 30
    public var alerts = AlertRules()
    /// `[sync] history`: how much of each chat is fetched in the background.
    public var history = HistoryDepth.standard
    /// `[hooks]`: programs run on new messages, mentions and the connection.
    public var hooks = HookRules()
    /// Clicks and the wheel (`[mouse] enabled`); shift-click still selects text in the terminal.
    public var mouse = true
    /// `[accessibility] screen_reader`: nil when the file does not say.
    public var screenReader: Bool?
    /// `[images] protocol`: how pictures are drawn ("auto" asks the terminal).
    public var pictureProtocol = PictureProtocol.auto
    /// `[images] max_download_mb`: a picture without a server preview is downloaded to be
    /// shown only up to this size.
    public var maxPictureDownload = 10 * 1024 * 1024
    /// Problems found while reading the file, as sentences.
    public var problems: [String] = []

    public init() {}

    static let colorNames: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7, "gray": 8, "grey": 8,
    ]
    static var themeColors: [String: WritableKeyPath<Theme, CellStyle>] { [
        "accent": \.accent, "me": \.me, "other": \.other, "dim": \.dim, "error": \.error, "border": \.border,
        "mention": \.mention, "unread": \.unread,
    ] }

    public static func load(path: String) -> AppConfig {
        guard let data = FileManager.default.contents(atPath: path) else { return AppConfig() }
        return parse(String(decoding: data, as: UTF8.self))
    }

    public static func parse(_ text: String) -> AppConfig {
        var config = AppConfig()
        let (table, syntaxProblems) = readTOML(text)
        config.problems = syntaxProblems
        let lines = LineFinder(text)
        for key in table.keys.sorted(by: { lines.line(ofTable: $0) ?? 0 < lines.line(ofTable: $1) ?? 0 }) {
            guard let section = table[key]?.table else {
                config.problems.append(lines.problem(at: lines.line(ofKey: key, in: nil), "\(key) is not a table; expected [keys], [colors], [network], [notifications], [sync], [mouse], [images], [hooks] or [accessibility]."))
                continue
            }
            switch key {
            case "keys": config.readKeys(section, lines)
            case "colors", "colours": config.readColors(section, table: key, lines)
            case "network": config.readNetwork(section, lines)
            case "notifications": config.readNotifications(section, lines)
            case "sync": config.readSync(section, lines)
            case "mouse": config.readMouse(section, lines)
            case "images": config.readImages(section, lines)
            case "hooks": config.readHooks(section, lines)
            case "accessibility": config.readAccessibility(section, lines)
            default: config.problems.append(lines.problem(at: lines.line(ofTable: key), "unknown table [\(key)]."))
            }
        }
        config.problems.sort { lines.number(in: $0) < lines.number(in: $1) }
        return config
    }

    /// Parses the document; a syntax error is reported, its line left out, and the rest read
    /// again, so that every bad line is named (TOML parsers stop at the first).
    static func readTOML(_ text: String) -> (TOMLTable, [String]) {
        var lines = text.components(separatedBy: "\n")
        var problems: [String] = []
        for _ in 0..<lines.count + 1 {
            do {
                return (try TOMLTable(string: lines.joined(separator: "\n")), problems)
            } catch let error as TOMLParseError {
                let line = error.source.begin.line
                problems.append("config.toml line \(line): \(error.description).")
                guard line >= 1, line <= lines.count, !lines[line - 1].isEmpty else { break }
                lines[line - 1] = ""
            } catch {
                problems.append("config.toml: \(error).")
                break
            }
        }
        return (TOMLTable(), problems)
    }

    private mutating func readKeys(_ section: TOMLTable, _ lines: LineFinder) {
        for name in section.keys {
            let line = lines.line(ofKey: name, in: "keys")
            guard let path = KeyMap.names[name] else {
                problems.append(lines.problem(at: line, "no key binding called \(name)."))
                continue
            }
            guard let value = section[name]?.string, value.count == 1, let character = value.first else {
                problems.append(lines.problem(at: line, "a key is one character, like \"n\"."))
                continue
            }
            keys[keyPath: path] = character
        }
    }

    private mutating func readColors(_ section: TOMLTable, table: String, _ lines: LineFinder) {
        for name in section.keys {
            let line = lines.line(ofKey: name, in: table)
            guard let path = Self.themeColors[name] else {
                problems.append(lines.problem(at: line, "no colour called \(name)."))
                continue
            }
            let value = section[name]
            guard let color = value?.string.flatMap({ Self.colorNames[$0.lowercased()] }) ?? value?.int.flatMap({ UInt8(exactly: $0) }) else {
                problems.append(lines.problem(at: line, "\(value?.string ?? value.map { "\($0)" } ?? "") is not a colour (a name or 0-255)."))
                continue
            }
            theme[keyPath: path].foreground = .palette(color)
        }
    }

    private mutating func readNetwork(_ section: TOMLTable, _ lines: LineFinder) {
        for name in section.keys {
            let line = lines.line(ofKey: name, in: "network")
            let seconds = section[name]?.double ?? section[name]?.int.map(Double.init)
            guard name == "connect_timeout" || name == "request_timeout" else {
                problems.append(lines.problem(at: line, "no network setting called \(name) (connect_timeout, request_timeout)."))
                continue
            }
            guard let seconds, seconds > 0, seconds <= 3600 else {
                problems.append(lines.problem(at: line, "\(name) is a number of seconds, above 0 and at most 3600."))
                continue
            }
            if name == "connect_timeout" { connectTimeout = seconds } else { requestTimeout = seconds }
        }
    }
}

extension AppConfig {
    /// `[hooks]`: `on_message`, `on_mention`, `on_connection`, each a program and its arguments
    /// as a list of strings (`["notify-send", "{chat}", "{author}: {text}"]`), run without a shell.
    fileprivate mutating func readHooks(_ section: TOMLTable, _ lines: LineFinder) {
        for name in section.keys {
            let line = lines.line(ofKey: name, in: "hooks")
            guard let kind = HookEvent.Kind.allCases.first(where: { HookRules.key($0) == name }) else {
                problems.append(lines.problem(at: line, "no hook called \(name) (on_message, on_mention, on_connection)."))
                continue
            }
            let argv = section[name]?.array.map { array in array.compactMap { $0.string } }
            guard let argv, !argv.isEmpty, argv.count == section[name]?.array?.count else {
                problems.append(lines.problem(at: line, "\(name) is a list of strings: the program, then its arguments (e.g. [\"notify-send\", \"{chat}\", \"{text}\"])."))
                continue
            }
            hooks.programs[kind] = argv
        }
    }

    /// `[sync]`: `history = 10000` (the default: each chat's newest that many messages), `"all"`,
    /// or `"recent"` (what is opened or scrolled to).
    fileprivate mutating func readSync(_ section: TOMLTable, _ lines: LineFinder) {
        for name in section.keys {
            let line = lines.line(ofKey: name, in: "sync")
            guard name == "history" else {
                problems.append(lines.problem(at: line, "no sync setting called \(name) (history)."))
                continue
            }
            if let depth = section[name]?.string.flatMap(HistoryDepth.init(_:)) ?? section[name]?.int.flatMap({ HistoryDepth(String($0)) }) {
                history = depth
            } else {
                problems.append(lines.problem(at: line, "history is a number of messages a chat (e.g. 10000), \"recent\" or \"all\"."))
            }
        }
    }

    /// `[notifications]`: `do_not_disturb` (start with only mentions ringing) and
    /// `mentions_in_muted_chats` (a mention rings even where the chat is muted).
    fileprivate mutating func readNotifications(_ section: TOMLTable, _ lines: LineFinder) {
        let settings: [String: WritableKeyPath<AlertRules, Bool>] = ["do_not_disturb": \.doNotDisturb, "mentions_in_muted_chats": \.mentionsInMutedChats]
        for (name, value) in booleans(section, table: "notifications", noun: "notification", known: ["do_not_disturb", "mentions_in_muted_chats"], lines) {
            alerts[keyPath: settings[name]!] = value
        }
    }

    /// The true/false settings of a table, by name; an unknown name or a value that is not a
    /// boolean is a problem, said with its line.
    fileprivate mutating func booleans(_ section: TOMLTable, table: String, noun: String, known: [String], _ lines: LineFinder) -> [String: Bool] {
        var values: [String: Bool] = [:]
        for name in section.keys {
            let line = lines.line(ofKey: name, in: table)
            guard known.contains(name) else {
                problems.append(lines.problem(at: line, "no \(noun) setting called \(name) (\(known.joined(separator: ", ")))."))
                continue
            }
            guard let value = section[name]?.bool else {
                problems.append(lines.problem(at: line, "\(name) is true or false."))
                continue
            }
            values[name] = value
        }
        return values
    }
}

extension AppConfig {
    /// `[mouse]`: `enabled`.
    fileprivate mutating func readMouse(_ section: TOMLTable, _ lines: LineFinder) {
        if let enabled = booleans(section, table: "mouse", noun: "mouse", known: ["enabled"], lines)["enabled"] { mouse = enabled }
    }

    fileprivate mutating func readAccessibility(_ section: TOMLTable, _ lines: LineFinder) {
        if let on = booleans(section, table: "accessibility", noun: "accessibility", known: ["screen_reader"], lines)["screen_reader"] {
            screenReader = on
        }
    }
}

/// Finds the line a table or key was written on: the TOML library keeps no positions for values.
struct LineFinder {
    let lines: [String]

    init(_ text: String) { lines = text.components(separatedBy: "\n") }

    func line(ofTable name: String) -> Int? {
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") && Self.bare(trimmed.dropFirst().prefix { $0 != "]" }) == name { return index + 1 }
            if Self.bare(trimmed.prefix { $0 != "=" && $0 != "." }) == name && trimmed.contains("=") { return index + 1 }
        }
        return nil
    }

    /// The line of `key` under `[table]`, or written as `table.key` (dotted) anywhere.
    func line(ofKey key: String, in table: String?) -> Int? {
        var current: String?
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                current = Self.bare(trimmed.dropFirst().prefix { $0 != "]" })
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let written = trimmed[..<equals].split(separator: ".").map { Self.bare($0) }
            if current == table, written == [key] { return index + 1 }
            if let table, written == [table, key] { return index + 1 }
        }
        return nil
    }

    func problem(at line: Int?, _ sentence: String) -> String {
        line.map { "config.toml line \($0): \(sentence)" } ?? "config.toml: \(sentence)"
    }

    /// The line a problem names, for sorting.
    func number(in problem: String) -> Int {
        guard let range = problem.range(of: "line ") else { return 0 }
        return Int(problem[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    static func bare(_ text: some StringProtocol) -> String {
        var name = text.trimmingCharacters(in: .whitespaces)
        if name.count >= 2, let first = name.first, first == "\"" || first == "'", name.last == first {
            name = String(name.dropFirst().dropLast())
        }
        return name
    }
}

extension AppConfig {
    /// The commented default config (`Resources/config.toml`).
    public static var defaultText: String? {
        guard let url = Bundle.module.url(forResource: "config", withExtension: "toml") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
