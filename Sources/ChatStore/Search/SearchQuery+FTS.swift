import ChatModel
import Foundation

extension SearchQuery {
    /// The FTS5 expression for the words (each one a quoted phrase, so that nothing typed is
    /// read as FTS syntax). Nil when there are none (filters only).
    var bodyExpression: String? {
        let parts = terms.compactMap { term -> String? in
            let (text, isPrefix): (String, Bool) = switch term {
            case .word(let word): (word, false)
            case .prefix(let word): (word, true)
            case .phrase(let phrase): (phrase, false)
            }
            let form = SearchText.queryForm(text)
            let phrase = form.phrase.trimmingCharacters(in: .whitespaces)
            guard !phrase.isEmpty else { return nil }
            return "body:" + Self.quoted(phrase) + (isPrefix || form.isSingleCJK ? "*" : "")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
