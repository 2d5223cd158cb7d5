import ChatAPI
import ChatModel
import Foundation
import Synchronization
import TerminalUI

/// One message's lines with what stands above it (notes, a gap mark, a day line, the unread
/// line), or a note's line.
struct LaidBlock: Sendable {
    var lines: [StyledLine]
    /// The message the block draws; nil for a note.
    var owner: String?
    /// Lines above the message's own (they belong to no message).
    var separators: Int
    /// Where in the block the unread line is.
    var unreadAt: Int?
}

/// Each message's block, kept for the next frame and the next key: a message is laid out once
/// per (message, what its neighbours change in it, width); the reducer's clamps and the view
/// share it. Owned by one conversation (a new chat gets a new one), bounded by its window.
final class MessageLayoutCache: Sendable {
    /// What a message's block depends on besides the message.
    struct Shape: Equatable, Sendable {
        var width: Int
        var gapBefore: Bool
        var dayBefore: Bool
        var continues: Bool
        var withDate: Bool
        var unreadCount: Int?
        var expanded = false
    }

    /// What every block depends on: the people, the zone, the previews.
    struct Context: Equatable, Sendable {
        var layout: LayoutContext
        var currentYear: Int
    }

    private struct Kept: Sendable {
        var message: CachedMessage
        var shape: Shape
        /// The colours it was made in (its height does not depend on them: the reducer's
        /// clamps take any theme's block).
        var theme: Theme
        var block: LaidBlock
    }

    /// What a window's shapes and heights are computed from: a reducer step and the frame after
    /// it ask for the same window several times (clamp, anchor, offset, frame), and the arrays
    /// compare by identity when unchanged.
    struct WindowKey: Equatable, Sendable {
        var messages: [CachedMessage]
        var previous: CachedMessage?
        var notes: [ChatNote]
        var knownHistory: [HistoryRange]
        var unread: UnreadMarker?
        var expanded: Set<String>
        var showsStart: Bool
        var reachesNewest: Bool
        var width: Int
        var context: Context
        var today: Int
    }

    struct WindowShapes: Sendable {
        var entries: [ConversationLayout.Entry]
        var shapes: [Shape?]
        /// Lines of each entry's block, once asked for.
        var heights: [Int]?
    }

    private struct Contents: Sendable {
        var context: Context?
        var blocks: [String: Kept] = [:]
        var window: (key: WindowKey, shapes: WindowShapes)?
    }

    func shapes(for key: WindowKey) -> WindowShapes? {
        contents.withLock { kept in kept.window.flatMap { $0.key == key ? $0.shapes : nil } }
    }

    func keep(_ shapes: WindowShapes, for key: WindowKey) {
        contents.withLock { $0.window = (key, shapes) }
    }

    private let contents = Mutex(Contents())

    /// Starts afresh when what every block depends on changed (a rename, a preview, the zone).
    func use(_ context: Context) {
        contents.withLock { kept in
            if kept.context != context {
                kept.context = context
                kept.blocks.removeAll(keepingCapacity: true)
                kept.window = nil
            }
        }
    }

    func block(for message: CachedMessage, _ shape: Shape, theme: Theme, anyTheme: Bool = false, make: () -> LaidBlock) -> LaidBlock {
        if let kept = contents.withLock({ $0.blocks[message.localId] }), kept.shape == shape, kept.message == message,
           anyTheme || kept.theme == theme {
            return kept.block
        }
        let block = make()
        contents.withLock { $0.blocks[message.localId] = Kept(message: message, shape: shape, theme: theme, block: block) }
        return block
    }

    /// The number of lines of the message's block: looked at where it is kept, not copied
    /// out (a new window counts every block's lines, most of them kept).
    func lineCount(for message: CachedMessage, _ shape: Shape, theme: Theme, make: () -> LaidBlock) -> Int {
        let kept = contents.withLock { contents -> Int? in
            guard let kept = contents.blocks[message.localId], kept.shape == shape, kept.message == message else { return nil }
            return kept.block.lines.count
        }
        if let kept { return kept }
        let block = make()
        contents.withLock { $0.blocks[message.localId] = Kept(message: message, shape: shape, theme: theme, block: block) }
        return block.lines.count
    }

    /// Keeps only the blocks of `window` once more than twice it is kept: memory follows the
    /// window, not how far the person scrolled.
    func trim(to window: [CachedMessage]) {
        contents.withLock { kept in
            guard kept.blocks.count > 2 * window.count + 64 else { return }
            let wanted = Set(window.map(\.localId))
            kept.blocks = kept.blocks.filter { wanted.contains($0.key) }
        }
    }

    var count: Int { contents.withLock { $0.blocks.count } }

    func forget(_ localId: String) {
        contents.withLock {
            _ = $0.blocks.removeValue(forKey: localId)
            $0.window = nil
        }
    }

    func forgetAll() {
        contents.withLock {
            $0.blocks.removeAll()
            $0.window = nil
        }
    }
}

/// The cache as a value in `ConversationState`: copies share it, and it never makes two states
/// unequal (it only remembers what a state lays out to).
struct LayoutCacheBox: Equatable, Sendable {
    let cache = MessageLayoutCache()
    static func == (_: LayoutCacheBox, _: LayoutCacheBox) -> Bool { true }
}
