import ChatAPI
import Foundation

/// Where TermChat keeps its files, after the XDG base directory rules.
public struct AppPaths: Sendable {
    /// `$XDG_CONFIG_HOME/termchat` (else `~/.config/termchat`): config, credentials, device id.
    public var configDirectory: String
    /// `$XDG_DATA_HOME/termchat` (else `~/.local/share/termchat`): caches, one per server and user.
    public var dataDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        configDirectory = config + "/termchat"
        dataDirectory = data + "/termchat"
    }

    /// Creates the config and data folders as 0700 and tightens what is already there: files
    /// in the config folder to 0600, folders in the data folder to 0700.
    public func makePrivate() {
        PrivateFiles.createDirectory(atPath: configDirectory)
        PrivateFiles.restrictContents(ofDirectory: configDirectory)
        PrivateFiles.createDirectory(atPath: dataDirectory)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory)) ?? [] {
            PrivateFiles.restrict(dataDirectory + "/" + name, mode: 0o700)
        }
    }

    public func credentialsFile(profile: String) -> String { configDirectory + "/credentials-\(profile).json" }
    public var deviceIdFile: String { configDirectory + "/device-id" }
    public var configFile: String { configDirectory + "/config.toml" }

    /// `<data>/<host[:port]>/<username>.sqlite`.
    /// `host:port` of a server (its folder in the data directory, its name in the status line).
    public static func hostAndPort(_ server: URL) -> String {
        (server.host ?? "server") + (server.port.map { ":\($0)" } ?? "")
    }

    public func cacheFile(server: URL, username: String) -> String {
        let host = Self.hostAndPort(server)
        return dataDirectory + "/" + host + "/" + username + ".sqlite"
    }
}
