import ArgumentParser
import ChatSync
import ChatUI
import Foundation

/// `termchat` with no subcommand: the interactive client.
struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ui", abstract: "Open the terminal client (the default).")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw CLIError("The interactive client needs a terminal; for scripts use the subcommands (termchat --help).")
        }
        let session = try Session.open(options)
        let config = UIConfig.load(path: options.paths.configFile)
        try await TUIApp(session: session, signIn: SignIn(credentials: options.credentialStore, profile: options.profile), config: config).run()
    }
}
