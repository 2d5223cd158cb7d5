import ArgumentParser
import ChatApp
import Foundation

/// `termchat config`: where the settings file is, what is wrong in it, and the default.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Show the settings file's problems, or print the default one.")
    @OptionGroup var options: GlobalOptions
    @Flag(name: .customLong("print-default"), help: "Print the commented default config.toml.")
    var printDefault = false

    func run() async throws {
        if printDefault {
            guard let text = AppConfig.defaultText else { throw CLIError(Said.defaultConfigMissing) }
            print(text, terminator: "")
            return
        }
        let path = options.paths.configFile
        guard FileManager.default.fileExists(atPath: path) else {
            print(Said.noSettingsFile(path))
            return
        }
        let config = AppConfig.load(path: path)
        if config.problems.isEmpty {
            print("\(path): no problems.")
        } else {
            config.problems.forEach { print($0) }
            throw ExitCode(1)
        }
    }
}
