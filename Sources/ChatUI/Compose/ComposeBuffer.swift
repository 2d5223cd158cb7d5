import TerminalUI

/// The compose box's text and cursor, edited by grapheme cluster so CJK, emoji and combining
/// sequences move and delete as one.
public struct ComposeBuffer: Equatable, Sendable {
    public private(set) var characters: [Character] = []
    public private(set) var cursor = 0

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Inserts at the cursor. The terminal delivers a cluster one scalar at a time (👨, ZWJ,
    /// 👩…; a letter, then its accent): a scalar that joins the cluster before the cursor
    /// becomes part of it, so that moves and deletes act on what a person sees as one character.
    public mutating func insert(_ character: Character) {
        if cursor > 0 {
            let joined = String(characters[cursor - 1]) + String(character)
            if joined.count == 1 {
                characters[cursor - 1] = Character(joined)
                return
            }
        }
        characters.insert(character, at: cursor)
        cursor += 1
    }

    /// Inserts text at the cursor, in one step (a paste of thousands of characters is linear).
    public mutating func insert(_ text: String) {
        guard !text.isEmpty else { return }
        if cursor == characters.count, cursor > 0 {
            // Re-split the seam, in case the text continues the last cluster.
            let last = characters.removeLast()
            let added = Array(String(last) + text)
            characters.append(contentsOf: added)
            cursor = characters.count
        } else {
            let head = cursor > 0 ? String(characters[..<cursor]) : ""
            let merged = Array(head + text)
            let tail = characters[cursor...]
            characters = merged + tail
            cursor = merged.count
        }
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }

    /// Start and end of the current line (multi-line messages).
    public mutating func moveHome() {
        while cursor > 0, characters[cursor - 1] != "\n" { cursor -= 1 }
    }

    public mutating func moveEnd() {
        while cursor < characters.count, characters[cursor] != "\n" { cursor += 1 }
    }

    /// Moves to the line above (`up`) or below, keeping the column where it can; answers false
    /// when there is no such line (the cursor is on the first or last line).
    public mutating func moveLine(up: Bool) -> Bool {
        var start = cursor
        while start > 0, characters[start - 1] != "\n" { start -= 1 }
        let column = cursor - start
        if up {
            guard start > 0 else { return false }
            var previousStart = start - 1
            while previousStart > 0, characters[previousStart - 1] != "\n" { previousStart -= 1 }
            cursor = previousStart + min(column, start - 1 - previousStart)
        } else {
            var end = cursor
            while end < characters.count, characters[end] != "\n" { end += 1 }
            guard end < characters.count else { return false }
            let nextStart = end + 1
            var nextEnd = nextStart
            while nextEnd < characters.count, characters[nextEnd] != "\n" { nextEnd += 1 }
            cursor = nextStart + min(column, nextEnd - nextStart)
        }
        return true
    }

    public var isMultiLine: Bool { characters.contains("\n") }

    /// Deletes the word before the cursor (Ctrl-W).
    public mutating func deleteWordBackward() {
        while cursor > 0, characters[cursor - 1] == " " { backspace() }
        while cursor > 0, characters[cursor - 1] != " ", characters[cursor - 1] != "\n" { backspace() }
    }

    /// Deletes from the cursor to the start of the line (Ctrl-U).
    public mutating func deleteToLineStart() {
        while cursor > 0, characters[cursor - 1] != "\n" { backspace() }
    }

    /// The editing keys every text field shares (typing, deleting, moving, Ctrl-W, Ctrl-U);
    /// answers false for any other key, which the field handles itself.
    public mutating func applyEditingKey(_ key: Key) -> Bool {
        switch key {
        case .character(let character): insert(character)
        case .backspace, .control("h"): backspace()
        case .delete, .control("d"): deleteForward()
        case .left, .control("b"): moveLeft()
        case .right, .control("f"): moveRight()
        case .home, .control("a"): moveHome()
        case .end: moveEnd()
        case .control("w"): deleteWordBackward()
        case .control("u"): deleteToLineStart()
        default: return false
        }
        return true
    }

    public mutating func replace(with text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// The text before the cursor, for completion.
    public var beforeCursor: String { String(characters[..<cursor]) }

    /// The text from the cursor on.
    public var afterCursor: String { String(characters[cursor...]) }

    /// Replaces the last `count` characters before the cursor with `text` (a completed word).
    public mutating func replaceBeforeCursor(_ count: Int, with text: String) {
        let start = max(0, cursor - count)
        characters.removeSubrange(start..<cursor)
        cursor = start
        insert(text)
    }
}
