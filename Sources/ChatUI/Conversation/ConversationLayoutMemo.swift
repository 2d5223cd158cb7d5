import Synchronization
import TerminalUI

/// The last conversation layout drawn, kept for the next frame. A key in the compose box, a
/// typing line or a status change leaves the conversation as it was, and laying it out again
/// was most of such a frame (the frame profile: `ConversationLayout.layout`, 43 %). One entry,
/// compared by value: arrays and dictionaries a frame did not change still share their
/// storage with the last one's, which makes the comparison quick.
enum ConversationLayoutMemo {
    private struct Key: Equatable, Sendable {
        var conversation: ConversationState
        var context: LayoutContext
        var width: Int
        var theme: Theme
        var limit: Int?
    }

    private static let last = Mutex<(key: Key, lines: ConversationLines)?>(nil)

    static func layout(_ conversation: ConversationState, _ context: LayoutContext, width: Int, theme: Theme, last limit: Int?) -> ConversationLines {
        let key = Key(conversation: conversation, context: context, width: width, theme: theme, limit: limit)
        if let kept = last.withLock({ $0 }), kept.key == key { return kept.lines }
        let lines = ConversationLayout.layout(conversation, context, width: width, theme: theme, last: limit)
        last.withLock { $0 = (key, lines) }
        return lines
    }

    static func forget() {
        last.withLock { $0 = nil }
    }
}

extension ConversationLayout {
    /// Drops the kept frame layout, and with `message` that message's block in `conversation`
    /// (as when it has just arrived), or with `everything` every block (as when the chat has just
    /// opened): the frame benchmarks measure those frames, not one that reuses the last.
    public static func forgetKeptLayout(_ conversation: ConversationState? = nil, message: String? = nil, everything: Bool = false) {
        ConversationLayoutMemo.forget()
        guard let cache = conversation?.layoutCache.cache else { return }
        if everything { cache.forgetAll() } else if let message { cache.forget(message) }
    }
}
