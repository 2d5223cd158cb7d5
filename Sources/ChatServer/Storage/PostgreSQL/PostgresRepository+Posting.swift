import ChatAPI
import Foundation
import Logging
import PostgresNIO

extension PostgresRepository {
    /// A text post in one statement, so one round trip and one snapshot: the posting checks,
    /// the insert when they pass (nothing when the author already used the `localId`), the
    /// chat back on the devices it was removed from when the message is new, the audience, and
    /// the other instances' notification, which PostgreSQL sends when (and only if) this
    /// commits: an instance killed right after its commit loses no event. Four round trips
    /// before (checks, insert, audience, then NOTIFY after the commit). A prepared statement:
    /// parsed and analysed once per connection, which was most of PostgreSQL's time per post.
    func postText(_ new: NewMessage, notifying notification: ClusterNotification?) async throws -> TextPostOutcome? {
        let now = new.now.timeIntervalSince1970
        let author = new.authorId
        let body = notification?.body
        let channel = notification?.channel ?? ""
        let limit = notification?.limit ?? 0
        let statement = TextPostStatement(
            author: author, chatId: new.chatId, localId: new.localId, text: new.text, isVisible: new.isVisible, now: now,
            notificationBody: body, channel: channel, limit: limit
        )
        let answer = try await read { [self] connection in
            try await connection.execute(statement, logger: logger).first { _ in true }
        }
        guard let row = answer else { return .noSuchChat }
        let checks = PostingChecks(
            isMember: try row["ismember"].decode(Bool.self), isBlockedFromPosting: try row["isblockedfromposting"].decode(Bool.self),
            blockedByAuthor: try row["blockedbyauthor"].decode(Bool.self), blockedByOther: try row["blockedbyother"].decode(Bool.self)
        )
        let audience = try row["audience"].decode([Int]?.self) ?? []
        if let id = try row["newid"].decode(Int?.self) {
            let notified = try row["notified"].decode(Int.self) > 0
            return .stored(StoredMessage(new, id: id), created: true, audience: audience, othersNotified: notified)
        }
        guard checks.allowPosting else { return .refused(checks) }
        // Allowed, yet nothing inserted: the author posted this `localId` before (a retry).
        let (stored, _) = try await insertMessage(new)
        return .stored(stored, created: false, audience: audience, othersNotified: false)
    }
}
