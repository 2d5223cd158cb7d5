import ArgumentParser
import ChatApp
import ChatSync
import ChatUI
import Foundation
import Terminal

/// `termchat` with no subcommand: the interactive client. Without a stored account it opens
/// the sign-in screen first, and signing out comes back to it.
struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ui", abstract: "Open the terminal client (the default).")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Server address the sign-in screen starts with (default: $TERMCHAT_SERVER, else http://127.0.0.1:8080).")
    var server: String?
    @Flag(help: "Screen-reader mode: plain labelled lines, no box drawing or pictures, one pane at a time, news on the last line (also TERMCHAT_SCREEN_READER=1 or [accessibility] screen_reader).")
    var screenReader = false

    func run() async throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw CLIError(Said.needsATerminal)
        }
        let config = AppConfig.load(path: options.paths.configFile)
        let signIn = SignIn(credentials: options.credentialStore, profile: options.profile)
        try TUIApp.requireUsableTerminal()
        let spoken = ScreenReaderMode.resolve(flag: screenReader, environment: ProcessInfo.processInfo.environment[ScreenReaderMode.variable],
                                              file: config.screenReader)
        let terminal = try Terminal(mouse: config.mouse, askGraphics: config.pictureProtocol == .auto && spoken == nil)
        let router = TerminalEventRouter()
        let pump = Task { await router.pump(terminal) }
        var failure: (any Error)?
        var form = SignInForm(server: server ?? ProcessInfo.processInfo.environment["TERMCHAT_SERVER"] ?? "http://127.0.0.1:8080")
        do {
            while true {
                if try options.credentialStore.load(profile: options.profile) == nil {
                    guard let account = await SignInScreen(signIn: signIn, form: form, theme: config.theme).run(terminal: terminal, router: router)
                    else { break }
                    form = SignInForm(server: account.server.absoluteString, username: account.username)
                }
                let session = try Session.open(options, quiet: true)
                // Whatever ends this session, signing in again starts from this account.
                form = SignInForm(server: session.credentials.server.absoluteString, username: session.credentials.username)
                let outcome = await TUIApp(session: session, signIn: signIn, config: config, screenReader: spoken).run(terminal: terminal, router: router)
                guard case .signedOut(let message) = outcome else { break }
                form.info = message
            }
        } catch {
            failure = error
        }
        await terminal.stop()
        pump.cancel()
        if let failure { throw CLIError(failure.userMessage) }
    }
}
