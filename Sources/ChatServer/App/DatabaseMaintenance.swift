import ChatAPI
import Foundation
import Logging
import PostgresNIO

/// What `termchat-server migrate` (and `copy`) do outside a running server.
public enum DatabaseMaintenance {
    /// Brings the database's schema up to date; answers the versions applied (PostgreSQL) or
    /// an empty list (SQLite migrates as it opens and says nothing).
    @discardableResult
    public static func migrate(_ configuration: ChatServerConfiguration, logger: Logger) async throws -> [Int] {
        switch configuration.database {
        case .sqlite:
            PrivateFiles.createDirectory(atPath: configuration.dataDirectory)
            _ = try SQLiteRepository(path: configuration.databasePath)
            return []
        case let .postgresql(url):
            let repository = PostgresRepository(url: url, logger: logger)
            return try await withRunning(repository.client) {
                try await PostgresSchema.prepare(url, client: repository.client, logger: logger)
            }
        }
    }

    /// Runs `body` while `client`'s pool runs, then stops the pool.
    static func withRunning<Result: Sendable>(_ client: PostgresClient, _ body: @Sendable () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}

extension DatabaseMaintenance {
    /// What `copy` moved: rows per table on both sides, and files.
    public struct CopyReport: Sendable {
        public var tables: [(table: String, sqlite: Int, postgres: Int)]
        public var files: Int
    }

    /// Copies a SQLite deployment (`<dataDirectory>/chat.sqlite` and its files) into an empty
    /// PostgreSQL database and files directory, then checks that every count matches.
    public static func copy(
        fromDataDirectory source: String, to url: PostgresDatabaseURL, filesDirectory: String, logger: Logger
    ) async throws -> CopyReport {
        let databasePath = source + "/chat.sqlite"
        guard FileManager.default.fileExists(atPath: databasePath) else { throw SQLiteToPostgresCopy.CopyError.noSource(databasePath) }
        let sqlite = try SQLiteRepository(path: databasePath).pool
        let repository = PostgresRepository(url: url, logger: logger)
        return try await withRunning(repository.client) {
            try await PostgresSchema.prepare(url, client: repository.client, logger: logger)
            _ = try await SQLiteToPostgresCopy.copyRows(from: sqlite, to: repository.client, logger: logger)
            let files = try FileCopy.copyFolder(source + "/files", to: filesDirectory)
            let counts = try await SQLiteToPostgresCopy.counts(sqlite: sqlite, client: repository.client, logger: logger)
            let differing = counts.filter { $0.sqlite != $0.postgres }.map(\.table)
            guard differing.isEmpty else { throw SQLiteToPostgresCopy.CopyError.countsDiffer(differing) }
            return CopyReport(tables: counts, files: files)
        }
    }
}

/// Copies stored files with the server's rule: written under a temporary name, then renamed,
/// so an instance serving the target folder never sees half a file.
enum FileCopy {
    /// Answers how many files the target holds of those in the source afterwards.
    static func copyFolder(_ source: String, to target: String) throws -> Int {
        PrivateFiles.createDirectory(atPath: target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []
        var present = 0
        for name in names where !name.hasPrefix(StoredFiles.incomingPrefix) {
            let destination = target + "/" + name
            if !FileManager.default.fileExists(atPath: destination) {
                let temporary = target + "/" + StoredFiles.incomingPrefix + UUID().uuidString
                try FileManager.default.copyItem(atPath: source + "/" + name, toPath: temporary)
                PrivateFiles.restrict(temporary)
                guard rename(temporary, destination) == 0 else {
                    try? FileManager.default.removeItem(atPath: temporary)
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination])
                }
            }
            present += 1
        }
        return present
    }
}
