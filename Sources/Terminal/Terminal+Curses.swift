import CNcursesw
import CTerminalSupport
import Foundation
import TerminalUI

/// Setting ncurses and the terminal's modes up, and asking the terminal what it draws.
extension Terminal {
    /// Takes the terminal for ncurses: raw keys, no echo, colours, no cursor, the modes on.
    /// On the terminal thread.
    static func startCurses(typedAhead: [UInt8], mouse: Bool) {
        initscr()
        // ncurses 6.4 flushes its output at every cursor move while the screen is in its
        // first, "initial" state, which only a suspend and resume ends: a frame of the burst
        // went out in ~12 writes of ~15 bytes, each a system call and a wake-up of the pty's
        // reader. Suspended and resumed once here, a frame is one write.
        endwin()
        refresh()
        raw()
        noecho()
        nonl()
        keypad(tc_stdscr(), true)
        nodelay(tc_stdscr(), true)
        // A key pressed at once (q right after start) came with the terminal's answers: it is
        // read first, in order (ungetch stacks, so last first).
        for byte in typedAhead.reversed() { ungetch(Int32(byte)) }
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        curs_set(0)
        enableTerminalModes(mouse: mouse)
    }

    /// Bracketed paste on: a paste arrives between ESC[200~ and ESC[201~. The mouse: button
    /// and wheel reports (1000) in SGR form (1006), which has no column limit.
    static func enableTerminalModes(mouse: Bool) {
        FileHandle.standardOutput.write(Data(("\u{1B}[?2004h" + (mouse ? "\u{1B}[?1000h\u{1B}[?1006h" : "")).utf8))
    }

    static func disableTerminalModes(mouse: Bool) {
        FileHandle.standardOutput.write(Data(((mouse ? "\u{1B}[?1006l\u{1B}[?1000l" : "") + "\u{1B}[?2004l").utf8))
    }

    /// Asks the terminal how wide it draws the emoji sequences terminals disagree on, before
    /// anything is laid out (see `TerminalWidths`).
    static func measureEmojiWidths() {
        let kinds = TerminalWidths.Kind.allCases
        var widths = [Int32](repeating: -1, count: kinds.count)
        let samples = kinds.map { strdup($0.sample) }
        defer { samples.forEach { free($0) } }
        var pointers = samples.map { UnsafePointer($0) }
        tc_measure_widths(&pointers, Int32(kinds.count), &widths, 500)
        var measured: [TerminalWidths.Kind: Int] = [:]
        for (kind, width) in zip(kinds, widths) where width > 0 { measured[kind] = Int(width) }
        TerminalWidths.use(TerminalWidths(measured: measured))
    }
}
