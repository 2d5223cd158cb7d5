import CNcursesw
import Foundation

/// What the full-screen client needs of the terminal named by `TERM`, checked before the
/// screen is taken: under `TERM=dumb` curses starts anyway and draws a broken status line.
public enum TerminalRequirement {
    /// Why this terminal cannot run the interactive client, or nil when it can.
    public static func refusal(term: String? = ProcessInfo.processInfo.environment["TERM"]) -> String? {
        let name = term ?? ""
        switch tc_terminal_check() {
        case 0: return nil
        case 1 where name.isEmpty:
            return "TERM is not set, so termchat cannot tell how to draw on this terminal. Set it (e.g. TERM=xterm-256color); scripts can use the subcommands (termchat --help)."
        case 1:
            return "This system has no description of the terminal TERM=\(name) (no terminfo entry). Set TERM to one it has (e.g. xterm-256color) or install ncurses-term."
        default:
            return "The terminal TERM=\(name) cannot move the cursor, which the full-screen client needs. Use a terminal that can (e.g. TERM=xterm-256color); scripts can use the subcommands (termchat --help)."
        }
    }
}
