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
    /// A click, a release or the wheel (when the mouse is on).
    case mouse(MouseEvent)
    case unknown(Int32)
}
