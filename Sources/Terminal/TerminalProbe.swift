import Foundation
import TerminalUI

/// What the terminal says of its graphics when asked: the kitty graphics protocol (a query
/// image it answers OK for), sixel (attribute 4 in its primary device attributes) and its cell
/// size in pixels (`CSI 16 t`). Asked before curses starts, in raw mode, with one timeout:
/// every terminal answers the device attributes, so the wait ends as soon as that answer comes.
public struct TerminalGraphics: Equatable, Sendable {
    public var answered = false
    public var kitty = false
    public var sixel = false
    public var cellWidth: Int?
    public var cellHeight: Int?

    public init() {}

    /// Reads the answers out of what the terminal sent back.
    public static func parse(_ reply: String) -> TerminalGraphics {
        var graphics = TerminalGraphics()
        graphics.kitty = reply.contains("\u{1B}_Gi=31;OK")
        if let start = reply.range(of: "\u{1B}[?"), let end = reply[start.upperBound...].firstIndex(of: "c") {
            graphics.answered = true
            graphics.sixel = reply[start.upperBound..<end].split(separator: ";").contains("4")
        }
        if let start = reply.range(of: "\u{1B}[6;"), let end = reply[start.upperBound...].firstIndex(of: "t") {
            let numbers = reply[start.upperBound..<end].split(separator: ";").compactMap { Int($0) }
            if numbers.count == 2, (4...200).contains(numbers[0]), (2...100).contains(numbers[1]) {
                (graphics.cellHeight, graphics.cellWidth) = (numbers[0], numbers[1])
            }
        }
        return graphics
    }

    /// Asks the terminal on standard input and output; nothing when either is not a terminal.
    public static func ask(timeout: Duration = .milliseconds(400)) -> TerminalGraphics {
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
        return parse(String(decoding: reply, as: UTF8.self))
    }
}
