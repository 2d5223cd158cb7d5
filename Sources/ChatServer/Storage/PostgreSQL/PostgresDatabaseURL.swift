import Foundation
import NIOSSL
import PostgresNIO

/// `postgresql://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`, as
/// libpq spells it (`postgres://` too). The password may also come from `$PGPASSWORD`.
public struct PostgresDatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    /// Whether `text` names a PostgreSQL database rather than a folder.
    public static func looksLikeOne(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ParseError) {
        guard Self.looksLikeOne(text), let components = URLComponents(string: text) else {
            throw ParseError("not a postgresql://user@host:port/database address: \(Self.redacted(text))")
        }
        guard let host = components.host, !host.isEmpty else { throw ParseError("the address names no host") }
        guard let user = components.user, !user.isEmpty else { throw ParseError("the address names no user (postgresql://USER@host/db)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw ParseError("the address names no database (postgresql://user@host/DB)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw ParseError("port \(port) is out of range") }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw ParseError("unknown parameter \(item.name) (only sslmode is understood)") }
            guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                throw ParseError("sslmode is disable, prefer or require")
            }
            sslMode = mode
        }
        self.host = host
        self.port = port
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"]
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
    }

    /// The address without its password, for logs and error messages.
    public var description: String { "postgresql://\(username)@\(host):\(port)/\(database)" }

    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = "--database: " + description }
    }
}
