import ChatAPI
import Foundation
import GRDB

/// Opens a user's cache, surviving damage. The cache is a copy of the server plus the outbox:
/// when the file cannot be used (damaged, a folder, another program's database, a newer
/// TermChat's schema), what can still be read of the outbox, queued changes and drafts is salvaged, the file is
/// moved aside as `<file>.damaged-<date>`, a fresh cache is started, and the salvaged work is
/// queued again once its chats are back (`requeueSalvagedWork`). The person is told in one
/// sentence; no SQL, schema or error code is ever shown.
public enum CacheRecovery {
    /// What was wrong with the file.
    public enum Problem: Equatable, Sendable {
        case folder, empty, damaged, foreign, newerVersion
    }

    /// The cache could not be opened for a reason that is not damage (another program holds
    /// it locked, no permission, the disk): nothing is moved or changed, and the person is told.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Caches up to this size get SQLite's `quick_check` before they are opened; it reads
    /// every page (about a second for 500 MB here), so a bigger cache is checked in the
    /// background instead (`checkInBackground`), and the next start recovers it if it fails.
    public static let checkedAtStartUpTo: UInt64 = 64 << 20

    /// Opens `path` (creating it if missing). `notice` says what happened when it was not usable.
    /// Other processes opening the same cache wait meanwhile (`OpenLock`): a cache another one
    /// is creating or migrating is not damaged, and must never be moved aside.
    public static func open(path: String, me: UserID, now: Date = Date(), checkedAtStartUpTo limit: UInt64 = checkedAtStartUpTo) throws
        -> (store: ChatStore, notice: String?) {
        try OpenLock.holding(for: path) { try openAlone(path: path, me: me, now: now, checkedAtStartUpTo: limit) }
    }

    private static func openAlone(path: String, me: UserID, now: Date, checkedAtStartUpTo limit: UInt64) throws -> (store: ChatStore, notice: String?) {
        guard let problem = try diagnose(path, checkedUpTo: limit) else {
            do {
                return (try ChatStore(path: path, me: me), nil)
            } catch let error as DatabaseError where isDamage(error) {
                // Damage the diagnosis did not see (it shows only when writing): treat it the same.
                return try recover(path: path, me: me, problem: .damaged, now: now)
            } catch {
                throw unavailable(path, error)
            }
        }
        return try recover(path: path, me: me, problem: problem, now: now)
    }

    /// nil when the file is missing (a first run) or a sound TermChat cache. Throws
    /// `Unavailable` when the file cannot be read for a reason that is not damage: a busy or
    /// locked database is in use, not broken, and must never be moved aside.
    public static func diagnose(_ path: String, checkedUpTo limit: UInt64 = checkedAtStartUpTo) throws -> Problem? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        if isFolder.boolValue { return .folder }
        if FileManager.default.fileExists(atPath: failedCheckMarker(for: path)) { return .damaged }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .damaged }
        let header = handle.readData(ofLength: 16)
        try? handle.close()
        if header.isEmpty { return .empty }
        guard header == Data("SQLite format 3\0".utf8) else { return .damaged }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        do {
            var configuration = Configuration()
            configuration.readonly = true
            // Another process (a `termchat send`, a checkpoint) may hold the file a moment.
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db -> Problem? in
                if size <= limit {
                    let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                    guard check == ["ok"] else { return .damaged }
                } else if try pageCountExceedsFile(db, path: path, size: size) {
                    return .damaged  // truncated: the header promises pages the file lacks
                }
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                if tables.isEmpty { return nil }  // created, never written: a first run
                guard tables.contains("grdb_migrations"), tables.contains("jobs") || tables.contains("outbox") else { return .foreign }
                if try ClientSchema.migrator.hasBeenSuperseded(db) { return .newerVersion }
                return nil
            }
        } catch let error as DatabaseError where !isDamage(error) {
            throw unavailable(path, error)
        } catch {
            return .damaged
        }
    }

    /// The whole check of a cache too big to check before opening, run beside the client.
    /// Answers a sentence for the person when it fails, and leaves a mark so that the next
    /// start recovers the cache (its queued work salvaged as for any damage).
    public static func checkInBackground(_ path: String, checkedUpTo limit: UInt64 = checkedAtStartUpTo) -> String? {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        guard size > limit else { return nil }  // checked at start already
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        // The check reads every page once: a cache would only hold pages it is done with
        // (SQLite's default 2 MB stayed resident while the person was reading).
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -64") }
        let check: [String]
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            check = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        } catch let error as DatabaseError where !isDamage(error) {
            return nil  // busy or unreadable now: the next start checks again
        } catch {
            check = ["\(error)"]
        }
        guard check != ["ok"] else { return nil }
        FileManager.default.createFile(atPath: failedCheckMarker(for: path), contents: Data(check.prefix(5).joined(separator: "\n").utf8))
        return "The cache is damaged. Quit and start termchat again: it will be set aside, a fresh one started, and what is queued sent again."
    }

    static func failedCheckMarker(for path: String) -> String { path + ".check-failed" }

    /// SQLite's own word that the file is broken, as opposed to busy, locked or unreadable.
    static func isDamage(_ error: DatabaseError) -> Bool {
        [ResultCode.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode.primaryResultCode)
    }

    static func unavailable(_ path: String, _ error: any Error) -> Unavailable {
        let reason = (error as? DatabaseError).map { error -> String in
            switch error.resultCode.primaryResultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return "another program is using it"
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY: return "it cannot be opened (permissions?)"
            case .SQLITE_FULL: return "the disk is full"
            default: return error.message ?? "\(error.resultCode)"
            }
        } ?? "\(error)"
        return Unavailable(description: "The cache \(path) could not be opened: \(reason). Nothing in it was changed; try again.")
    }

    /// Whether the header's page count needs more bytes than the file (and its WAL) hold.
    private static func pageCountExceedsFile(_ db: Database, path: String, size: UInt64) throws -> Bool {
        let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? UInt64) ?? 0
        return UInt64(pages) * UInt64(pageSize) > size + wal
    }

    static func recover(path: String, me: UserID, problem: Problem, now: Date) throws -> (store: ChatStore, notice: String?) {
        let salvaged = problem == .folder || problem == .empty ? SalvagedWork() : salvage(path)
        let aside = try moveAside(path, now: now)
        let store = try ChatStore(path: path, me: me)
        if !salvaged.isEmpty { try salvaged.merged(into: salvageFile(for: path)) }
        return (store, sentence(problem, aside: aside, queued: salvaged.messages.count))
    }

    static func sentence(_ problem: Problem, aside: String, queued: Int) -> String {
        let requeue = queued == 0 ? "nothing that was queued could be read from it"
            : "the \(queued) queued message\(queued == 1 ? "" : "s") it still held will be sent again"
        switch problem {
        case .folder: return "The cache path was a folder; it was moved to \(aside) and a fresh cache was started."
        case .empty: return "The cache was empty (0 bytes), so a fresh one was started (it was kept at \(aside)); anything queued in it is lost."
        case .damaged: return "The cache was damaged, so it was moved to \(aside) and a fresh one started; \(requeue)."
        case .foreign: return "The cache file was not a TermChat cache; it was moved to \(aside) and a fresh one started."
        case .newerVersion: return "The cache was written by a newer TermChat; it was moved to \(aside) and a fresh one started; \(requeue)."
        }
    }

    /// Moves the file (with its WAL and shared-memory files) to `<path>.damaged-<date>`.
    static func moveAside(_ path: String, now: Date) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        var aside = path + ".damaged-" + formatter.string(from: now)
        var suffix = 1
        while FileManager.default.fileExists(atPath: aside) {
            suffix += 1
            aside = path + ".damaged-" + formatter.string(from: now) + "-\(suffix)"
        }
        try FileManager.default.moveItem(atPath: path, toPath: aside)
        try? FileManager.default.removeItem(atPath: failedCheckMarker(for: path))
        for extra in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + extra) {
            try? FileManager.default.moveItem(atPath: path + extra, toPath: aside + extra)
        }
        return aside
    }

    public static func salvageFile(for path: String) -> String { path + ".salvaged.json" }

    /// What can be read of the queued posts and changes and the drafts; anything unreadable is skipped.
    static func salvage(_ path: String) -> SalvagedWork {
        var work = SalvagedWork()
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return work }
        defer { try? queue.close() }
        try? queue.read { db in
            // The queue (`jobs`), or in a cache of an earlier version its three tables.
            let hasJobs = (try? db.tableExists("jobs")) ?? false
            let posts = (try? Row.fetchAll(db, sql: hasJobs
                ? "SELECT chatId, localId, payload FROM jobs WHERE kind = 'post' ORDER BY seq"
                : "SELECT chatId, localId, filePath, fileType, fileSize FROM outbox ORDER BY seq")) ?? []
            for item in posts {
                guard let chat = (item["chatId"] as String?).flatMap(UUID.init(uuidString:)), let localId = item["localId"] as String? else { continue }
                let file = hasJobs
                    ? (item["payload"] as String?).flatMap { try? JSONDecoder().decode(OutgoingFile.self, from: Data($0.utf8)) }
                    : (item["filePath"] as String?).map { OutgoingFile(path: $0, fileType: item["fileType"] ?? "bin", fileSize: item["fileSize"] ?? 0) }
                let message = try? Row.fetchOne(
                    db, sql: "SELECT text, isVisible, createdAt FROM messages WHERE chatId = ? AND localId = ?", arguments: [chat.uuidString, localId]
                )
                let text: String? = message?["text"]
                guard text?.isEmpty == false || file != nil else { continue }
                work.messages.append(SalvagedWork.Message(
                    chatId: chat, localId: localId, text: text, isVisible: message?["isVisible"] ?? true,
                    filePath: file?.path, fileType: file?.fileType, fileSize: file?.fileSize
                ))
            }
            // Queued changes (edits, renames…), in order; an unreadable one is skipped.
            let changes = (try? Row.fetchAll(db, sql: hasJobs
                ? "SELECT chatId, payload FROM jobs WHERE kind = 'change' AND isFailed = 0 ORDER BY seq"
                : "SELECT chatId, payload FROM intents WHERE isFailed = 0 ORDER BY seq")) ?? []
            for row in changes {
                guard let payload = row["payload"] as String?, let intent = try? JSONDecoder().decode(Intent.self, from: Data(payload.utf8)) else { continue }
                work.intents.append(SalvagedWork.QueuedIntent(chatId: (row["chatId"] as String?).flatMap(UUID.init(uuidString:)), intent: intent))
            }
            for row in (try? Row.fetchAll(db, sql: "SELECT chatId, text FROM drafts")) ?? [] {
                guard let chat = (row["chatId"] as String?).flatMap(UUID.init(uuidString:)), let text = row["text"] as String?, !text.isEmpty else { continue }
                work.drafts.append(SalvagedWork.Draft(chatId: chat, text: text))
            }
        }
        return work
    }
}

/// The sentence for a cache error, never its SQL or code.
public enum CacheErrorText {
    public static func sentence(for error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: return "The disk is full, so the local cache cannot be written; free some space and try again."
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY: return "The local cache cannot be opened for writing; check the permissions of its folder."
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "The local cache is busy (another termchat is using it); try again in a moment."
        default: return "The local cache could not be read or written; it will be checked and rebuilt on the next start."
        }
    }
}
