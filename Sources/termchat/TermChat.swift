import ArgumentParser
import ChatApp
import ChatClient
import ChatSync
import Foundation

/// `termchat`: the terminal chat client. Subcommands script it through the same cache and
/// outbox as the interactive client.
@main
struct TermChat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "termchat",
        abstract: "A chat client for the terminal.",
        subcommands: [
            UICommand.self, DemoCommand.self, RegisterCommand.self, LoginCommand.self, LogoutCommand.self, WhoAmICommand.self,
            ChatsCommand.self, MessagesCommand.self, SearchCommand.self, SendCommand.self, SyncCommand.self, WatchCommand.self, RPCCommand.self, DevicesCommand.self, ConfigCommand.self,
        ],
        defaultSubcommand: UICommand.self
    )

    static func main() async {
        MemoryTrim.tuneAllocator()
        NetworkThreads.useOne()
        await main(nil)
    }
}

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Account profile: several accounts can be signed in side by side.")
    var profile = "default"

    var paths: AppPaths { AppPaths() }
    var credentialStore: CredentialStore { CredentialStore(paths: paths) }
}

/// Errors the CLI prints as one sentence (ArgumentParser prints `Error: <description>`).
struct CLIError: LocalizedError, CustomStringConvertible {
    var description: String
    var errorDescription: String? { description }
    init(_ description: String) { self.description = description }
}
