import GRDB

extension ChatStore {
    /// Another process writes this cache too (`termchat send`, `termchat sync` beside the
    /// client), and GRDB's observations see only this process's writes: a chat a script made
    /// showed as "user 20" until something unrelated changed here. SQLite's `data_version`
    /// moves on the writer's connection only when another connection commits; when it has,
    /// every observation is told the whole cache may have changed. Answers whether it had.
    /// Cheap when nothing changed (no transaction, no lock): the client asks about once a second.
    @discardableResult
    public func noticeChangesByOtherProcesses() throws -> Bool {
        let version = try pool.writeWithoutTransaction { try Self.readDataVersion($0) }
        let changed = self.dataVersion.withLock { seen in
            defer { seen = version }
            return seen != version
        }
        guard changed else { return false }
        try pool.write { db in try db.notifyChanges(in: DatabaseRegion.fullDatabase) }
        return true
    }

    static func readDataVersion(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
    }
}
