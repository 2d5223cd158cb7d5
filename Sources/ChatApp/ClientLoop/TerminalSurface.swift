import TerminalUI

/// What the client's loop needs of a terminal: frames and the window's title. The ncurses
/// terminal is one; a test's cell grid is another. Keys and sizes come to the loop as actions
/// (`ClientLoop.run`'s `listen`).
public protocol TerminalSurface: Sendable {
    /// Draws `canvas` soon (a newer frame may replace it first); `drawn` runs once it is out.
    func present(_ canvas: Canvas, drawn: (@Sendable () -> Void)?)
    func setTitle(_ title: String)
    /// Keeps the title the terminal had, to give back with `popTitle` when the client ends.
    func pushTitle()
    func popTitle()
}
