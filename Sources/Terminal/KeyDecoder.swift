import CNcursesw
import TerminalUI

/// Turns what the terminal sent into events: ncurses' buffered input on the terminal thread,
/// or, in a test, a list of what `get_wch` would have answered.
struct KeyDecoder {
    /// One `get_wch`: its result (`OK`, `KEY_CODE_YES` or `ERR` when nothing is buffered) and
    /// the character or key code.
    typealias Read = () -> (result: Int32, value: wint_t)

    /// What ncurses has buffered. On the terminal thread only.
    static func ncurses() -> (result: Int32, value: wint_t) {
        var value: wint_t = 0
        let result = get_wch(&value)
        return (result, value)
    }

    private let read: Read
    /// A bracketed paste in progress (it may arrive over several reads).
    private var paste: PasteCollector?

    init(read: @escaping Read = KeyDecoder.ncurses) {
        self.read = read
    }

    mutating func next() -> TerminalEvent? {
        if paste != nil { return continuePaste() }
        let (result, value) = read()
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return special(Int32(value)) }
        if value == 27 {
            // Escape alone, Alt+key (the next byte is already buffered), or a sequence ncurses
            // does not know, such as the start of a bracketed paste.
            let (next, following) = read()
            if next == ERR { return .key(.escape) }
            if next == KEY_CODE_YES { return special(Int32(following)) }
            if following == 13 || following == 10 { return .key(.altEnter) }
            if following == 91 /* [ */ { return controlSequence() }
            guard let scalar = Unicode.Scalar(following) else { return .key(.escape) }
            return .key(.alt(Character(scalar)))
        }
        return .key(Self.plain(value))
    }

    /// After `ESC [`: reads the parameters and the final byte. `200~` starts a paste, `<b;x;yM`
    /// is the mouse; any other
    /// sequence ncurses did not decode is reported as unknown, never as stray characters.
    private mutating func controlSequence() -> TerminalEvent? {
        var parameters = ""
        while parameters.count < 32 {
            let (result, value) = read()
            guard result != ERR, let scalar = Unicode.Scalar(value) else { break }
            if (0x40...0x7E).contains(scalar.value) {
                if scalar == "~" && parameters == "200" {
                    paste = PasteCollector()
                    return continuePaste()
                }
                if let mouse = MouseEvent.sgr(parameters: parameters, final: Character(scalar)) { return .key(.mouse(mouse)) }
                return .key(.unknown(Int32(scalar.value)))
            }
            parameters.unicodeScalars.append(scalar)
        }
        return .key(.unknown(27))
    }

    private mutating func continuePaste() -> TerminalEvent? {
        guard var collector = paste else { return nil }
        defer { paste = collector.isDone ? nil : collector }
        while !collector.isDone {
            let (result, value) = read()
            if result == ERR { return nil }  // the rest has not arrived yet
            if result == KEY_CODE_YES { continue }
            guard let scalar = Unicode.Scalar(value) else { continue }
            collector.add(scalar)
        }
        return .key(.paste(collector.text))
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
        case KEY_MOUSE: return mouseAfterTerminfoPrefix()
        default:
            let f0 = tc_key_f0()
            if code > f0 && code <= f0 + 24 { return .key(.function(Int(code - f0))) }
            return .key(.unknown(code))
        }
    }
}

extension KeyDecoder {
    /// Where terminfo names `ESC [ <` as the mouse key (xterm-256color does), ncurses answers
    /// KEY_MOUSE and leaves the report's rest (`0;10;5M`) unread; it is read here so that it
    /// never arrives as typed characters.
    func mouseAfterTerminfoPrefix() -> TerminalEvent {
        var parameters = "<"
        while parameters.count < 32 {
            let (result, value) = read()
            guard result != ERR, let scalar = Unicode.Scalar(value) else { break }
            if (0x40...0x7E).contains(scalar.value) {
                return MouseEvent.sgr(parameters: parameters, final: Character(scalar)).map { .key(.mouse($0)) } ?? .key(.unknown(KEY_MOUSE))
            }
            parameters.unicodeScalars.append(scalar)
        }
        return .key(.unknown(KEY_MOUSE))
    }
}

/// Collects a bracketed paste until `ESC [ 201 ~`. Carriage returns become newlines (terminals
/// send Enter as CR); other control characters but tab are dropped.
struct PasteCollector {
    private(set) var text = ""
    private(set) var isDone = false
    private var pending: [Unicode.Scalar] = []
    private static let end: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]
    private var lastWasCarriageReturn = false

    mutating func add(_ scalar: Unicode.Scalar) {
        pending.append(scalar)
        // Whatever can no longer be the start of the end marker is text.
        while !pending.isEmpty && !Self.end.starts(with: pending) {
            append(pending.removeFirst())
        }
        if pending.count == Self.end.count { isDone = true }
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        defer { lastWasCarriageReturn = scalar == "\r" }
        switch scalar {
        case "\r": text.unicodeScalars.append("\n")
        case "\n": if !lastWasCarriageReturn { text.unicodeScalars.append("\n") }
        case "\t": text.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: break
        default: text.unicodeScalars.append(scalar)
        }
    }
}

extension PasteDetector {
    /// One read's events: keys only are looked at as a possible paste.
    mutating func classify(_ events: [TerminalEvent]) -> [TerminalEvent] {
        var keys: [Key] = []
        for event in events {
            guard case .key(let key) = event else { return events }
            keys.append(key)
        }
        guard !keys.isEmpty else { return events }
        return classify(keys, at: .now).map { .key($0) }
    }
}
