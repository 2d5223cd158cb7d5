import Foundation
import TerminalUI

extension TerminalGraphics {
    /// Asks the terminal on standard input and output; nothing when either is not a terminal.
    /// What the person typed meanwhile arrives with the answers and goes to `typedAhead`.
    public static func ask(timeout: Duration = .milliseconds(400), typedAhead: inout [UInt8]) -> TerminalGraphics {
        guard isatty(0) == 1, isatty(1) == 1 else { return TerminalGraphics() }
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { return TerminalGraphics() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        _ = tcsetattr(0, TCSANOW, &raw)
        defer { _ = tcsetattr(0, TCSANOW, &saved) }
        let query = "\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\\u{1B}[16t\u{1B}[c"
        _ = query.withCString { write(1, $0, strlen($0)) }
        var reply: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 256)
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, milliseconds) > 0 else { break }
            let count = read(0, &buffer, buffer.count)
            guard count > 0 else { break }
            reply += buffer[0..<count]
            // The device attributes come last: everything asked before them has been answered.
            if let text = String(bytes: reply, encoding: .utf8), parse(text).answered { break }
        }
        typedAhead += keys(in: reply)
        return parse(String(decoding: reply, as: UTF8.self))
    }

    /// The bytes of `reply` outside the terminal's answers (escape sequences: APC up to its
    /// ST, CSI up to its final byte): keys typed while it was asked.
    static func keys(in reply: [UInt8]) -> [UInt8] {
        var keys: [UInt8] = []
        var index = 0
        while index < reply.count {
            guard reply[index] == 0x1B, index + 1 < reply.count else {
                if reply[index] != 0x1B { keys.append(reply[index]) }
                index += 1
                continue
            }
            let kind = reply[index + 1]
            index += 2
            if kind == UInt8(ascii: "_") {
                while index < reply.count, !(reply[index] == 0x1B && index + 1 < reply.count && reply[index + 1] == UInt8(ascii: "\\")) { index += 1 }
                index += 2
            } else if kind == UInt8(ascii: "[") {
                while index < reply.count, !(0x40...0x7E).contains(reply[index]) { index += 1 }
                index += 1
            }
        }
        return keys
    }
}
