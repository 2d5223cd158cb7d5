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
    /// before (checks, insert, audience, then NOTIFY after the commit).
    func postText(_ new: NewMessage, notifying notification: ClusterNotification?) async throws -> TextPostOutcome? {
        let now = new.now.timeIntervalSince1970
        let author = new.authorId
        let body = notification?.body
        let channel = notification?.channel ?? ""
        let limit = notification?.limit ?? 0
        let answer = try await read { [self] connection in
            try await connection.firstRow("""
                WITH checks AS (
                    SELECT
                        EXISTS (SELECT 1 FROM chatMembers WHERE chatId = c.id AND userId = \(author)) AS isMember,
                        EXISTS (SELECT 1 FROM chatBlockedUsers WHERE chatId = c.id AND userId = \(author)) AS isBlockedFromPosting,
                        c.isPersonal AND EXISTS (
                            SELECT 1 FROM chatSettings WHERE chatId = c.id AND userId = \(author) AND isBlocked) AS blockedByAuthor,
                        c.isPersonal AND EXISTS (
                            SELECT 1 FROM chatSettings WHERE chatId = c.id AND userId <> \(author) AND isBlocked) AS blockedByOther
                    FROM chats AS c WHERE c.id = \(new.chatId)
                ), inserted AS (
                    INSERT INTO messages (chatId, authorId, localId, text, isVisible, createdAt, updatedAt)
                    SELECT \(new.chatId), \(author), \(new.localId), \(new.text), \(new.isVisible), \(now), \(now) FROM checks
                    WHERE isMember AND NOT isBlockedFromPosting AND NOT blockedByAuthor AND NOT blockedByOther
                    ON CONFLICT (chatId, authorId, localId) DO NOTHING RETURNING id
                ), restored AS (
                    UPDATE chatSettings SET isRemovedOnDevice = false
                    WHERE chatId = \(new.chatId) AND isRemovedOnDevice AND EXISTS (SELECT 1 FROM inserted)
                ), audience AS (
                    SELECT array_agg(m.userId ORDER BY m.joinedAt, m.userId) AS users FROM chatMembers AS m
                    LEFT JOIN chatSettings AS s ON s.chatId = m.chatId AND s.userId = m.userId
                    WHERE m.chatId = \(new.chatId) AND NOT coalesce(s.isBlocked, false)
                ), notification AS (
                    SELECT replace(replace(\(body), \(ClusterNotification.messageIdPattern), \(ClusterNotification.messageIdPrefix) || inserted.id::text),
                                   \(ClusterNotification.usersPattern),
                                   \(ClusterNotification.usersPrefix) || coalesce(array_to_string(audience.users, ','), '') || ']') AS body
                    FROM inserted, audience WHERE \(body)::text IS NOT NULL
                ), notified AS (
                    SELECT pg_notify(\(channel), body) FROM notification WHERE octet_length(body) <= \(limit)
                )
                SELECT checks.*, (SELECT id FROM inserted) AS newId, (SELECT users FROM audience) AS audience,
                    (SELECT count(*) FROM notified) AS notified
                FROM checks
                """, logger: logger)
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
        guard checks.isMember, !checks.isBlockedFromPosting, !checks.blockedByAuthor, !checks.blockedByOther else {
            return .refused(checks)
        }
        // Allowed, yet nothing inserted: the author posted this `localId` before (a retry).
        let (stored, _) = try await insertMessage(new)
        return .stored(stored, created: false, audience: audience, othersNotified: false)
    }
}
