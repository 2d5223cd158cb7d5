import ChatAPI
import Foundation

/// A search as typed: words (all must occur), "phrases", prefix* words, and filters:
/// `from:USER`, `in:CHAT` (a title, `@username` for a personal chat, or a chat id),
/// `before:YYYY-MM-DD` (earlier than that day), `after:YYYY-MM-DD` (that day or later),
/// `has:file`.
public struct SearchQuery: Equatable, Sendable {
    public enum Term: Equatable, Sendable {
        case word(String)
        case prefix(String)
        case phrase(String)
    }

    public var terms: [Term] = []
    public var from: String?
    public var chat: String?
    public var before: DateComponents?
    public var after: DateComponents?
    public var hasFile = false

    public init() {}

    public var isEmpty: Bool { terms.isEmpty && from == nil && chat == nil && !hasFile }

    /// The words a hit is highlighted by.
    public var highlightWords: [String] {
        terms.map {
            switch $0 {
            case .word(let word), .prefix(let word), .phrase(let word): word
            }
        }
    }

    public static func parse(_ text: String) -> Result<SearchQuery, SearchQueryError> {
        var query = SearchQuery()
        for token in tokens(text) {
            if token.quoted {
                if !token.text.isEmpty { query.terms.append(.phrase(token.text)) }
                continue
            }
            let lower = token.text.lowercased()
            if let colon = token.text.firstIndex(of: ":"), let filter = Filter(rawValue: String(lower[..<colon])) {
                let value = token.value ?? String(token.text[token.text.index(after: colon)...])
                guard !value.isEmpty else { return .failure(SearchQueryError("\(filter.rawValue): needs a value, e.g. \(filter.example).")) }
                switch filter {
                case .from: query.from = value.hasPrefix("@") ? String(value.dropFirst()) : value
                case .in: query.chat = value
                case .before, .after:
                    guard let day = day(value) else { return .failure(SearchQueryError("\(value) is not a date; write \(filter.rawValue):2026-11-30.")) }
                    if filter == .before { query.before = day } else { query.after = day }
                case .has:
                    guard ["file", "files", "attachment"].contains(value.lowercased()) else {
                        return .failure(SearchQueryError("has: takes file (has:file)."))
                    }
                    query.hasFile = true
                }
                continue
            }
            if token.text.hasSuffix("*"), token.text.count > 1 {
                query.terms.append(.prefix(String(token.text.dropLast())))
            } else if token.text != "*" {
                query.terms.append(.word(token.text))
            }
        }
        guard !query.isEmpty else {
            return .failure(SearchQueryError(query.before != nil || query.after != nil
                ? "A date alone finds too much: add a word, from: or in:." : "Type something to search for."))
        }
        return .success(query)
    }

    enum Filter: String {
        case from, `in`, before, after, has

        var example: String {
            switch self {
            case .from: "from:bob"
            case .in: "in:@bob or in:\"Team\""
            case .before: "before:2026-11-30"
            case .after: "after:2026-11-01"
            case .has: "has:file"
            }
        }
    }

    struct Token {
        var text: String
        var quoted: Bool
        /// A filter's quoted value: in:"Team plans".
        var value: String?
    }

    /// Splits on spaces, keeping "quoted phrases" (and filter:"quoted values") whole.
    static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        var current = ""
        var inQuotes = false
        var quoteStartedToken = false
        for character in text {
            if character == "\"" {
                if inQuotes {
                    if quoteStartedToken {
                        result.append(Token(text: current, quoted: true))
                    } else {
                        // filter:"value with spaces"
                        let name = String(current.prefix { $0 != "\"" })
                        let value = String(current.drop { $0 != "\"" }.dropFirst())
                        result.append(Token(text: name + value, quoted: false, value: value))
                    }
                    current = ""
                    inQuotes = false
                } else {
                    inQuotes = true
                    quoteStartedToken = current.isEmpty
                    if !quoteStartedToken { current.append(character) }
                }
            } else if character == " " && !inQuotes {
                if !current.isEmpty { result.append(Token(text: current, quoted: false)) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty {
            if inQuotes && quoteStartedToken {
                result.append(Token(text: current, quoted: true))
            } else if inQuotes {
                let name = String(current.prefix { $0 != "\"" })
                let value = String(current.drop { $0 != "\"" }.dropFirst())
                result.append(Token(text: name + value, quoted: false, value: value))
            } else {
                result.append(Token(text: current, quoted: false))
            }
        }
        return result
    }

    static func day(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]), parts[0] > 1970 else { return nil }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2])
    }
}

public struct SearchQueryError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
