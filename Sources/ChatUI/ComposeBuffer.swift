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

    public mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
    }

    public mutating func insert(_ text: String) {
        for character in text { insert(character) }
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
}
