/// How much of each chat's history is fetched in the background (`[sync] history`, and
/// `termchat sync --history`): search covers what the cache holds, and a person expects it to
/// find their chats' messages, not only what they scrolled to.
public enum HistoryDepth: Equatable, Sendable, CustomStringConvertible {
    /// Only what is opened or scrolled back to, and what arrives (`"recent"`).
    case opened
    /// Each chat's newest `n` messages.
    case newest(Int)
    /// Every chat's whole history (`"all"`).
    case all

    /// Bounded, so that a chat of millions costs a fixed share of the disk.
    public static let standard = HistoryDepth.newest(10_000)

    /// `"recent"`, `"all"`, or a positive number of messages.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "recent": self = .opened
        case "all": self = .all
        default:
            guard let count = Int(text.replacingOccurrences(of: "_", with: "")), count > 0 else { return nil }
            self = .newest(count)
        }
    }

    public var description: String {
        switch self {
        case .opened: "recent"
        case .newest(let count): String(count)
        case .all: "all"
        }
    }

    /// Whether anything is fetched ahead of the person.
    public var fetchesAhead: Bool { self != .opened }

    /// The bound per chat the engine's `fetchHistory(newest:)` takes; nil for none.
    public var limit: Int? {
        if case .newest(let count) = self { count } else { nil }
    }
}
