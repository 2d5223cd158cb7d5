import CNcursesw
import CTerminalSupport
import Foundation
import Synchronization
import TerminalUI

/// What the terminal reports.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    case resized(rows: Int, columns: Int)
    /// SIGTERM, SIGINT or SIGHUP arrived, or the terminal went away: quit cleanly.
    case quitRequested
}

/// The ncurses terminal, driven from one thread of its own (ncurses is not thread-safe).
/// That thread sleeps in poll() on standard input and a wake-up pipe, so an idle client uses
/// no CPU: it wakes only for a key, a resize, or a frame to draw.
public final class Terminal: Sendable {
    public let events: AsyncStream<TerminalEvent>
    private let continuation: AsyncStream<TerminalEvent>.Continuation
    private let work = Mutex(Work())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let quitRead: Int32
    /// Keys typed while the terminal was asked what it can do, read back first.
    private let typedAhead: [UInt8]

    private struct Work {
        var frame: Canvas?
        /// Runs once `frame` is on the terminal (not when a newer frame replaced it first).
        var drawn: (@Sendable () -> Void)?
        var jobs: [@Sendable () -> Void] = []
        var stopping = false
        var stopped: CheckedContinuation<Void, Never>?
    }

    /// Takes over the terminal (alternate screen, raw keys) until `stop()`.
    /// Whether the terminal reports clicks and the wheel (shift-click still selects text).
    private let mouse: Bool

    /// What the terminal answered about pictures, when asked (`askGraphics`).
    public let graphics: TerminalGraphics

    public init(mouse: Bool = false, askGraphics: Bool = false) throws {
        self.mouse = mouse
        var typed: [UInt8] = []
        graphics = askGraphics ? TerminalGraphics.ask(typedAhead: &typed) : TerminalGraphics()
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError("cannot create a pipe") }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        guard pipe(&fds) == 0 else { throw TerminalError("cannot create a pipe") }
        quitRead = fds[0]
        _ = fcntl(quitRead, F_SETFL, O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        tc_install_quit_handlers(fds[1])
        Self.measureEmojiWidths()
        var measuredKeys = [UInt8](repeating: 0, count: 256)
        typed += measuredKeys.prefix(Int(tc_take_typed_ahead(&measuredKeys, 256)))
        typedAhead = typed
        (events, continuation) = AsyncStream.makeStream(of: TerminalEvent.self, bufferingPolicy: .unbounded)
        let thread = Thread { [self] in self.run() }
        thread.name = "termchat.terminal"
        thread.start()
    }

    /// Draws `canvas` soon (the newest frame wins if several arrive before the thread wakes).
    /// `drawn` runs on the terminal thread once this frame is written out.
    public func present(_ canvas: Canvas, drawn: (@Sendable () -> Void)? = nil) {
        work.withLock {
            $0.frame = canvas
            $0.drawn = drawn
        }
        wake()
    }

    /// Rings the terminal bell (on the terminal thread, like every ncurses call).
    public func bell() {
        work.withLock { $0.jobs.append { _ = beep() } }
        wake()
    }

    /// Sends an escape sequence curses knows nothing of (the title, the clipboard), on the
    /// terminal thread, between frames.
    public func sendControl(_ sequence: String) {
        work.withLock {
            $0.jobs.append {
                fflush(nil)
                FileHandle.standardOutput.write(Data(sequence.utf8))
            }
        }
        wake()
    }

    /// The window's title (OSC 2), without control characters.
    public func setTitle(_ title: String) {
        sendControl("\u{1B}]2;" + String(title.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)) + "\u{07}")
    }

    /// The title as it was before, kept on the terminal's title stack (xterm's push and pop).
    public func pushTitle() { sendControl("\u{1B}[22;2t") }
    public func popTitle() { sendControl("\u{1B}[23;2t") }

    /// Puts text on the clipboard with OSC 52, which terminals and tmux (`set-clipboard`) take.
    public func copyToClipboard(_ text: String) {
        sendControl("\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}")
    }

    /// Gives the terminal to `job` (e.g. `$EDITOR`) and takes it back afterwards. The terminal
    /// thread runs the job, so no key is read while it has the terminal.
    public func suspend(_ job: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            work.withLock {
                $0.jobs.append {
                    Self.disableTerminalModes(mouse: self.mouse)
                    def_prog_mode()
                    endwin()
                    job()
                    reset_prog_mode()
                    clearok(tc_stdscr(), true)
                    refresh()
                    Self.enableTerminalModes(mouse: self.mouse)
                    done.resume()
                }
            }
            wake()
        }
    }

    /// Runs `$EDITOR`-like `command` on `file` in the foreground of the terminal (see
    /// `tc_run_in_foreground`) and answers its exit status; the terminal is ours again after,
    /// whatever the status.
    public func runInForeground(_ command: String, file: String) async -> Int32 {
        let status = Mutex<Int32>(-1)
        await suspend {
            let result = tc_run_in_foreground(command, file)
            status.withLock { $0 = result }
        }
        return status.withLock { $0 }
    }

    /// From now on the process ends within `milliseconds` however the quit goes.
    public func armQuitDeadline(milliseconds: Int32 = 1500) {
        tc_arm_quit_watchdog(milliseconds)
    }

    /// Restores the terminal and ends the thread.
    public func stop() async {
        await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
            work.withLock {
                $0.stopping = true
                $0.stopped = stopped
            }
            wake()
        }
    }

    /// Ctrl-Z: gives the terminal back to the shell, stops until `fg`, then takes it again at
    /// the size it has now (it may have been resized meanwhile). On the terminal thread.
    private func suspendProcess() {
        Self.disableTerminalModes(mouse: mouse)
        def_prog_mode()
        endwin()
        tc_clear_without_alternate_screen()
        tc_stop_process()
        reset_prog_mode()
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 {
            resize_term(Int32(size.ws_row), Int32(size.ws_col))
        }
        clearok(tc_stdscr(), true)
        refresh()
        Self.enableTerminalModes(mouse: mouse)
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: The terminal thread

    private func run() {
        _ = UTF8Locale.adopted
        tc_unblock_quit_signals()
        tc_save_termios()
        tc_install_crash_handlers()
        Self.startCurses(typedAhead: typedAhead, mouse: mouse)
        tc_install_resize_wakeup(wakeWrite)
        var renderer = CanvasRenderer()
        renderer.trueColor = ["truecolor", "24bit"].contains(ProcessInfo.processInfo.environment["COLORTERM"]?.lowercased() ?? "")
        continuation.yield(.resized(rows: Int(tc_lines()), columns: Int(tc_cols())))
        var decoder = KeyDecoder()
        var pastes = PasteDetector()
        var quitReported = false
        var terminalGone = false
        while true {
            var fds = [
                // Once the terminal has hung up, poll() would report it at once forever: stop asking.
                pollfd(fd: terminalGone ? -1 : STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
                pollfd(fd: quitRead, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 3, -1)
            var buffer = [UInt8](repeating: 0, count: 64)
            if fds[1].revents != 0 {
                while read(wakeRead, &buffer, buffer.count) > 0 {}
            }
            let hungUp = !terminalGone && fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
            if hungUp { terminalGone = true }
            if fds[2].revents != 0 || hungUp {
                while read(quitRead, &buffer, buffer.count) > 0 {}
                if !quitReported {
                    quitReported = true
                    // A signal or a vanished terminal: the process ends soon whatever is stuck.
                    tc_arm_quit_watchdog(1500)
                    continuation.yield(.quitRequested)
                }
            }
            if fds[1].revents != 0, !terminalGone {
                // A resize wakes us through the pipe; ncurses reports it as KEY_RESIZE now.
                var size = winsize()
                if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0,
                   Int(size.ws_row) != Int(tc_lines()) || Int(size.ws_col) != Int(tc_cols()) {
                    resize_term(Int32(size.ws_row), Int32(size.ws_col))
                    renderer.invalidate()
                    continuation.yield(.resized(rows: Int(size.ws_row), columns: Int(size.ws_col)))
                }
            }
            var burst: [TerminalEvent] = []
            while !quitReported, let event = decoder.next() { burst.append(event) }
            for event in pastes.classify(burst) {
                if case .resized = event { renderer.invalidate() }
                if event == .key(.control("z")) {
                    // Raw mode reads the suspend character as a key: do what the terminal would.
                    suspendProcess()
                    renderer.invalidate()
                    continuation.yield(.resized(rows: Int(tc_lines()), columns: Int(tc_cols())))
                    continue
                }
                continuation.yield(event)
            }
            let (frame, drawn, jobs, stopping, stopped) = work.withLock { work in
                defer { work.frame = nil; work.drawn = nil; work.jobs = [] }
                return (work.frame, work.drawn, work.jobs, work.stopping, work.stopped)
            }
            for job in jobs { job(); renderer.invalidate() }
            if stopping {
                Self.disableTerminalModes(mouse: mouse)
                endwin()
                tc_clear_without_alternate_screen()
                continuation.finish()
                stopped?.resume()
                return
            }
            if let frame {
                renderer.draw(frame)
                drawn?()
            }
        }
    }
}

public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
