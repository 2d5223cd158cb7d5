import Foundation

/// The quick switcher's and the list filter's match: the typed letters in order, anywhere in
/// the name (so "tpl" finds "Trip Planning"), scored so that a run of letters, a word's first
/// letter and the name's start count most. Case and accents are ignored. Names are folded
/// once (`Prepared`), so a keystroke over thousands of names is a byte scan.
public enum FuzzyMatch {
    /// A name, folded (lower case, no accents) to bytes, ready to be matched many times.
    public struct Prepared: Equatable, Sendable {
        let bytes: [UInt8]

        public init(_ name: String) { bytes = FuzzyMatch.fold(name) }

        /// The score of the folded query in this name, or nil when its letters are not all
        /// there in order.
        public func score(_ needle: [UInt8]) -> Int? {
            guard !needle.isEmpty else { return 0 }
            var score = 0
            var position = 0
            var previousMatch = -2
            let count = bytes.count
            for letter in needle {
                var found = position
                while found < count, bytes[found] != letter { found += 1 }
                guard found < count else { return nil }
                var points = 1
                if found == previousMatch + 1 { points += 5 }  // a run
                if found == 0 {
                    points += 8
                } else if !Self.isWordByte(bytes[found - 1]) {
                    points += 6  // a word's start
                }
                points -= min(3, (found - position) / 4)  // letters far apart count less
                score += points
                previousMatch = found
                position = found + 1
            }
            // A shorter name with the same letters is the closer match.
            return score * 10 - min(9, max(0, count - needle.count) / 4)
        }

        static func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte >= 0x80
        }
    }

    public static func score(_ query: String, in name: String) -> Int? {
        Prepared(name).score(fold(query))
    }

    /// Lower case without accents ("Café" is "cafe"), spaces dropped from queries by the caller.
    public static func fold(_ text: String) -> [UInt8] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } }
        return Array(text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).utf8)
    }

    /// A query as typed, folded, without spaces.
    public static func needle(_ query: String) -> [UInt8] { fold(query).filter { $0 != 32 } }
}
