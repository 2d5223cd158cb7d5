import Foundation
import GRDB
import Logging
import PostgresNIO

/// `termchat-server copy`: every row of a SQLite deployment into an empty PostgreSQL database
/// in one transaction (all or nothing), ids kept, then the files, then a count of both sides.
enum SQLiteToPostgresCopy {
    enum Kind { case integer, real, text, flag, uuid }

    /// The tables in an order that satisfies their foreign keys, with each column's kind.
    static let tables: [(name: String, columns: [(String, Kind)])] = [
        ("users", [("id", .integer), ("name", .text), ("username", .text), ("passwordHash", .text), ("about", .text),
                   ("lastSeen", .real), ("createdAt", .real)]),
        ("sessions", [("id", .uuid), ("userId", .integer), ("tokenHash", .text), ("ipAddress", .text), ("createdAt", .real),
                      ("updatedAt", .real), ("deviceId", .uuid), ("deviceName", .text), ("deviceModel", .text),
                      ("deviceToken", .text), ("transport", .text)]),
        ("chats", [("id", .uuid), ("title", .text), ("isPersonal", .flag), ("ownerId", .integer), ("createdAt", .real), ("updatedAt", .real)]),
        ("chatMembers", [("chatId", .uuid), ("userId", .integer), ("joinedAt", .real)]),
        ("chatSettings", [("chatId", .uuid), ("userId", .integer), ("isMuted", .flag), ("isArchived", .flag),
                          ("isRemovedOnDevice", .flag), ("isBlocked", .flag)]),
        ("chatBlockedUsers", [("chatId", .uuid), ("userId", .integer), ("blockedBy", .integer), ("createdAt", .real)]),
        ("chatImages", [("id", .uuid), ("chatId", .uuid), ("fileType", .text), ("fileSize", .integer), ("previewWidth", .integer),
                        ("previewHeight", .integer), ("createdAt", .real)]),
        ("messages", [("id", .integer), ("chatId", .uuid), ("authorId", .integer), ("localId", .text), ("text", .text),
                      ("isVisible", .flag), ("createdAt", .real), ("updatedAt", .real), ("editedAt", .real), ("deletedAt", .real)]),
        ("attachments", [("id", .uuid), ("messageId", .integer), ("fileType", .text), ("fileSize", .integer),
                         ("previewWidth", .integer), ("previewHeight", .integer), ("createdAt", .real), ("fileExists", .flag),
                         ("previewExists", .flag), ("fileName", .text)]),
        ("readMarks", [("id", .uuid), ("messageId", .integer), ("userId", .integer), ("createdAt", .real)]),
        ("uploads", [("mediaId", .uuid), ("uploaderId", .integer), ("createdAt", .real)]),
        ("storedFiles", [("fileName", .text), ("mediaId", .uuid), ("bytes", .integer)]),
    ]

    /// Rows per INSERT: few round trips, and well under the 65,535 parameters of one statement.
    static let batchSize = 500

    static func copyRows(from sqlite: DatabasePool, to client: PostgresClient, logger: Logger) async throws -> [String: Int] {
        try await PostgresTransaction.run(on: client, logger: logger) { connection in
            let users = try await connection.column("SELECT count(*) FROM users", as: Int.self, logger: logger)[0]
            let messages = try await connection.column("SELECT count(*) FROM messages", as: Int.self, logger: logger)[0]
            guard users == 0, messages == 0 else { throw CopyError.targetNotEmpty(users: users) }
            var copied: [String: Int] = [:]
            for table in tables {
                let names = table.columns.map(\.0)
                var offset = 0
                while true {
                    let rows = try await sqlite.read { db in
                        try Row.fetchAll(db, sql: "SELECT \(names.joined(separator: ", ")) FROM \(table.name) ORDER BY 1, 2 LIMIT ? OFFSET ?",
                                         arguments: [batchSize, offset])
                    }
                    guard !rows.isEmpty else { break }
                    try await connection.query(try insert(into: table.name, columns: table.columns, rows: rows), logger: logger)
                    offset += rows.count
                }
                copied[table.name] = offset
            }
            // The next new user and message continue after the copied ids.
            for table in ["users", "messages"] {
                try await connection.query(PostgresQuery(unsafeSQL:
                    "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)"
                ), logger: logger)
            }
            return copied
        }
    }

    static func insert(into table: String, columns: [(String, Kind)], rows: [Row]) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: rows.count * columns.count)
        var tuples: [String] = []
        for row in rows {
            var marks: [String] = []
            for (index, (name, kind)) in columns.enumerated() {
                let value = row[index] as DatabaseValue
                if value.isNull {
                    binds.appendNull()
                } else {
                    switch kind {
                    case .integer: try binds.append(Int.fromDatabaseValue(value) ?? 0)
                    case .real: try binds.append(Double.fromDatabaseValue(value) ?? 0)
                    case .text: try binds.append(String.fromDatabaseValue(value) ?? "")
                    case .flag: try binds.append((Int.fromDatabaseValue(value) ?? 0) != 0)
                    case .uuid:
                        guard let text = String.fromDatabaseValue(value), let id = UUID(uuidString: text) else {
                            throw CopyError.badValue(table: table, column: name)
                        }
                        try binds.append(id)
                    }
                }
                marks.append("$\(binds.count)")
            }
            tuples.append("(" + marks.joined(separator: ", ") + ")")
        }
        let sql = "INSERT INTO \(table) (\(columns.map(\.0).joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ")
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// Row counts on each side after the copy; they must be equal.
    static func counts(sqlite: DatabasePool, client: PostgresClient, logger: Logger) async throws -> [(table: String, sqlite: Int, postgres: Int)] {
        var result: [(String, Int, Int)] = []
        for table in tables {
            let local = try await sqlite.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table.name)") ?? 0 }
            let remote = try await client.withConnection {
                try await $0.column(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)"), as: Int.self, logger: logger)[0]
            }
            result.append((table.name, local, remote))
        }
        return result
    }

    enum CopyError: Error, CustomStringConvertible {
        case targetNotEmpty(users: Int)
        case badValue(table: String, column: String)
        case countsDiffer([String])
        case noSource(String)

        var description: String {
            switch self {
            case let .targetNotEmpty(users): "the PostgreSQL database already holds data (\(users) users): copy only into an empty one"
            case let .badValue(table, column): "a value in \(table).\(column) is not what the schema says; nothing was copied"
            case let .countsDiffer(tables): "after the copy the counts differ in: \(tables.joined(separator: ", "))"
            case let .noSource(path): "no TermChat database at \(path)"
            }
        }
    }
}
