import Foundation
import GRDB
import GRDBSQLite

/// Reads the current row of a stepping statement straight through SQLite's column API.
/// GRDB's generic `row[i] as T` runs unspecialized from this module (a metadata lookup per
/// column) and was most of reading a conversation window and the chat list.
struct ColumnReader {
    let statement: SQLiteStatement

    init(_ statement: Statement) { self.statement = statement.sqliteStatement }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(statement, column) != 0 }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
    func date(_ column: Int32) -> Date? { isNull(column) ? nil : Date(timeIntervalSince1970: double(column)) }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Steps `statement` with `arguments` and decodes each row with `decode`.
    static func fetchAll<T>(_ statement: Statement, arguments: StatementArguments, _ decode: (ColumnReader) -> T?) throws -> [T] {
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let reader = ColumnReader(statement)
        var results: [T] = []
        while try cursor.next() != nil {
            if let value = decode(reader) { results.append(value) }
        }
        return results
    }
}
