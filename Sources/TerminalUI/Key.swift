/// A key press, as the terminal adapter decodes it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case control(Character)  // Ctrl+letter, lower-case letter
    case alt(Character)
    case enter
    case altEnter
    case tab
    case backTab
    case backspace
    case delete
    case escape
    case up, down, left, right
    case home, end, pageUp, pageDown
    case function(Int)
    /// Text pasted in one go (bracketed paste): inserted as it is, newlines and all.
    case paste(String)
    /// Text and line breaks that arrived together, faster than a person types, with text after
    /// a break (`PasteDetector`): a paste the terminal did not mark. Where text is being written
    /// it is taken as a paste (never sent by itself); elsewhere its keys count one by one, as
    /// typed (a script's "Enter, then text", on a busy machine, arrives the same way).
    case burst(String)
    /// A click, a release or the wheel (when the mouse is on).
    case mouse(MouseEvent)
    case unknown(Int32)

    /// A burst's keys one by one; any other key alone.
    public var typedKeys: [Key] {
        guard case .burst(let text) = self else { return [self] }
        return text.map { $0 == "\n" ? .enter : $0 == "\t" ? .tab : .character($0) }
    }
}
