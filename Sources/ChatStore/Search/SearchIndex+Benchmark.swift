import GRDB

/// What the benchmarks measure of the index, and the raw handle their limit writes through.
extension ChatStore {
    /// The index's bytes on disk (its FTS5 shadow tables) and the bytes of text it indexes.
    public func searchIndexSize() throws -> (index: Int, text: Int) {
        try pool.read { db in
            let index = try Int.fetchOne(db, sql: "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'messageSearch%'") ?? 0
            let text = try Int.fetchOne(db, sql: "SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM messages") ?? 0
            return (index, text)
        }
    }

    /// The cache as it would be without the index (for the ingest benchmark's comparison).
    public func dropSearchIndexForBenchmark() throws {
        try write { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS messagesQueuedForIndex; DROP TRIGGER IF EXISTS messagesIndexedOnUpdate;
                DROP TRIGGER IF EXISTS messagesIndexedOnDelete; DROP TRIGGER IF EXISTS attachmentsQueuedForIndex;
                """)
        }
    }
}

extension ChatStore {
    /// What a write runs before it commits to index its new messages (the benchmark's limit
    /// runs it too, so both do the same work).
    public static var indexPendingSQLForBenchmark: String { SearchIndex.indexPendingSQL + "; DELETE FROM searchPending" }

    /// The writer's raw SQLite handle, outside any transaction: the benchmark's limit writes
    /// through the C API into this very schema (its triggers and their function included).
    public func withRawWriterForBenchmark<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in try body(db.sqliteConnection!) }
    }
}
