import ArgumentParser
import ChatApp
import ChatSync
import Foundation

/// Reads the password from `TERMCHAT_PASSWORD`, else the first line of standard input. Never
/// a flag: flags end up in shell history and `ps`.
func readPassword() throws -> String {
    if let password = ProcessInfo.processInfo.environment["TERMCHAT_PASSWORD"], !password.isEmpty { return password }
    if isatty(STDIN_FILENO) != 0 {
        FileHandle.standardError.write(Data("Password: ".utf8))
    }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw CLIError(Said.givePassword)
    }
    return line
}

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register", abstract: "Create an account on a server and sign in.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Server address, e.g. http://127.0.0.1:8080.") var server: String
    @Option(help: "Your name as others see it.") var name: String
    @Option(help: "5 to 25 letters or digits, starting with a letter.") var username: String

    func run() async throws {
        do {
            let credentials = try await SignIn(credentials: options.credentialStore, profile: options.profile)
                .register(server: server, name: name, username: username, password: try readPassword())
            print(Said.registered(credentials.username, credentials.name, on: credentials.server.absoluteString))
        } catch {
            throw CLIError(error.userMessage)
        }
    }
}

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login", abstract: "Sign in to an existing account.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Server address, e.g. http://127.0.0.1:8080.") var server: String
    @Option(help: "Your username.") var username: String

    func run() async throws {
        do {
            let credentials = try await SignIn(credentials: options.credentialStore, profile: options.profile)
                .login(server: server, username: username, password: try readPassword())
            print(Said.signedIn(credentials.username, credentials.name, on: credentials.server.absoluteString))
        } catch {
            throw CLIError(error.userMessage)
        }
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Sign out: the token stops working; the cache stays.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        do {
            guard let credentials = try await SignIn(credentials: options.credentialStore, profile: options.profile).logout() else {
                print(Said.notSignedIn)
                return
            }
            print(Said.signedOut(credentials.username))
        } catch {
            throw CLIError(Said.signedOutServerNotTold(error.userMessage))
        }
    }
}

struct WhoAmICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show the signed-in account.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        guard let credentials = try options.credentialStore.load(profile: options.profile) else {
            throw CLIError(Said.notSignedIn)
        }
        print("\(credentials.username) (\(credentials.name)), user \(credentials.userId), on \(credentials.server.absoluteString)")
    }
}

struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the account's signed-in devices, or sign one out (--sign-out NAME).",
        discussion: "NAME is a device's name as listed, or the start of the id in brackets when two share a name. Signing a device out ends its session at once: it must sign in again."
    )
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("sign-out"), help: "The device to sign out.") var signOut: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let session = try Session.open(options)
        do {
            if let signOut {
                let ended = try await session.engine.signOutDevice(signOut)
                print(Said.deviceSignedOut(ended.name, ended.shortId))
                return
            }
            let devices = try await session.engine.devices()
            if json {
                let entries = devices.map { DeviceJSON(id: $0.session.id, name: $0.name, model: $0.session.deviceInfo.model,
                                                       lastUsed: $0.session.updatedAt, signedInAt: $0.session.createdAt, thisDevice: $0.isThisDevice) }
                print(String(decoding: try JSONEncoder.chatAPI().encode(entries), as: UTF8.self))
                return
            }
            for device in devices { print(CLIText.line(device.summary())) }
        } catch {
            throw CLIError(error.userMessage)
        }
    }

    struct DeviceJSON: Encodable {
        var id: UUID
        var name: String
        var model: String
        var lastUsed: Date
        var signedInAt: Date
        var thisDevice: Bool
    }
}
