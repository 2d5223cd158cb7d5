import CNcursesw
import TerminalUI

/// Reads what ncurses has buffered and turns it into events. Runs on the terminal thread only.
struct KeyDecoder {
    mutating func next() -> TerminalEvent? {
        var value: wint_t = 0
        let result = get_wch(&value)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return special(Int32(value)) }
        if value == 27 {
            // Escape alone, or Alt+key: the next byte is already buffered for Alt.
            var following: wint_t = 0
            let next = get_wch(&following)
            if next == ERR { return .key(.escape) }
            if next == KEY_CODE_YES { return special(Int32(following)) }
            if following == 13 || following == 10 { return .key(.altEnter) }
            guard let scalar = Unicode.Scalar(following) else { return .key(.escape) }
            return .key(.alt(Character(scalar)))
        }
        return .key(Self.plain(value))
    }

    static func plain(_ value: wint_t) -> Key {
        switch value {
        case 13, 10: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26:
            return .control(Character(Unicode.Scalar(UInt8(value) + 96)))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int32(bitPattern: value)) }
            return .character(Character(scalar))
        }
    }

    private func special(_ code: Int32) -> TerminalEvent {
        switch code {
        case KEY_RESIZE: return .resized(rows: Int(tc_lines()), columns: Int(tc_cols()))
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        default:
            let f0 = tc_key_f0()
            if code > f0 && code <= f0 + 24 { return .key(.function(Int(code - f0))) }
            return .key(.unknown(code))
        }
    }
}
