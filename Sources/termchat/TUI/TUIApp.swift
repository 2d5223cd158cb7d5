import ChatAPI
import ChatApp
import ChatStore
import ChatSync
import ChatUI
import Foundation
import Terminal
import TerminalUI

/// The interactive client in this process's terminal: the ncurses terminal, the programs it
/// hands work to (the editor, notify-send, xdg-open), and ChatApp's `ClientLoop` between them.
struct TUIApp {
    let session: Session
    let signIn: SignIn
    let config: AppConfig
    /// The demo: logging out ends it (there is no sign-in screen to return to).
    var isDemo = false
    /// Screen-reader mode, when the flag, the variable or the file turned it on.
    var screenReader: ScreenReaderMode?

    typealias Outcome = ClientLoop.Outcome

    /// Takes the terminal for this one client, and gives it back when it ends.
    func runInOwnTerminal() async throws {
        try Self.requireUsableTerminal()
        let terminal = try Terminal(mouse: config.mouse, askGraphics: config.pictureProtocol == .auto && screenReader == nil)
        let router = TerminalEventRouter()
        let pump = Task { await router.pump(terminal) }
        let outcome = await run(terminal: terminal, router: router)
        terminal.armQuitDeadline()
        await terminal.stop()
        if case .signedOut = outcome {
            print(Said.demoLoggedOut)
        }
        pump.cancel()
    }

    func run(terminal: Terminal, router: TerminalEventRouter) async -> Outcome {
        let shell = Shell(
            editText: { text in await ExternalEditor.edit(text, terminal: terminal) },
            completePath: { PathCompleter.candidates(for: $0) },
            ring: { terminal.bell() },
            notify: { title, body in DesktopNotifier.show(title: title, body: body) },
            open: { FileOpener.open($0) },
            copy: { terminal.copyToClipboard($0) }
        )
        let graphics = terminal.graphics
        let pictures = PictureDetection.decide(
            config.pictureProtocol, environment: ProcessInfo.processInfo.environment,
            answers: .init(kitty: graphics.kitty, sixel: graphics.sixel, cellWidth: graphics.cellWidth, cellHeight: graphics.cellHeight)
        )
        var loop = ClientLoop(session: session.account, signIn: signIn, config: config, shell: shell, pictures: pictures)
        loop.isDemo = isDemo
        loop.screenReader = screenReader
        // Said once: a locale that is not UTF-8 was replaced for characters.
        loop.startNotice = UTF8Locale.sentence(for: UTF8Locale.adopted).map { Notice(text: $0, isError: false) }
        loop.quitting = { lastEffects in
            // The terminal is restored and the process ends once the last effects ran; a
            // deadline bounds even a stuck effect.
            terminal.armQuitDeadline()
            await lastEffects()
            await terminal.stop()
            _exit(0)
        }
        return await loop.run(surface: terminal) { send in
            router.route { event in
                switch event {
                case .key(let key): send(.keyPressed(key))
                case .resized(let rows, let columns): send(.terminalResized(rows: rows, columns: columns))
                case .quitRequested: send(.keyPressed(.control("q")))
                }
            }
        }
    }

    /// Refuses, before the screen is taken, a terminal that cannot address the cursor and a
    /// system with no UTF-8 locale to read keys in.
    static func requireUsableTerminal() throws {
        if let refusal = TerminalRequirement.refusal() { throw CLIError(refusal) }
        let choice = UTF8Locale.adopted
        if choice == .unavailable, let sentence = UTF8Locale.sentence(for: choice) { throw CLIError(sentence) }
    }
}

/// The ncurses terminal as the loop's surface.
extension Terminal: TerminalSurface {}
