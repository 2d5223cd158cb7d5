import ChatAPI
import PostgresNIO

/// The statement behind `PostgresRepository.postText`, prepared once per connection: a post
/// is the hot path, and parsing and planning this statement every time took most of
/// PostgreSQL's CPU per post. $1 author, $2 chat, $3 localId, $4 text, $5 visible, $6 now,
/// $7 the notification's body (null: none), $8–$11 its marks, $12 channel, $13 NOTIFY's limit.
struct TextPostStatement: PostgresPreparedStatement {
    static let name = "termchat_post_text"

    static let sql = """
        WITH checks AS (
            SELECT
                EXISTS (SELECT 1 FROM chatMembers WHERE chatId = c.id AND userId = $1) AS isMember,
                EXISTS (SELECT 1 FROM chatBlockedUsers WHERE chatId = c.id AND userId = $1) AS isBlockedFromPosting,
                c.isPersonal AND EXISTS (
                    SELECT 1 FROM chatSettings WHERE chatId = c.id AND userId = $1 AND isBlocked) AS blockedByAuthor,
                c.isPersonal AND EXISTS (
                    SELECT 1 FROM chatSettings WHERE chatId = c.id AND userId <> $1 AND isBlocked) AS blockedByOther
            FROM chats AS c WHERE c.id = $2
        ), inserted AS (
            INSERT INTO messages (chatId, authorId, localId, text, isVisible, createdAt, updatedAt)
            SELECT $2, $1, $3, $4, $5, $6, $6 FROM checks
            WHERE isMember AND NOT isBlockedFromPosting AND NOT blockedByAuthor AND NOT blockedByOther
            ON CONFLICT (chatId, authorId, localId) DO NOTHING RETURNING id
        ), restored AS (
            UPDATE chatSettings SET isRemovedOnDevice = false
            WHERE chatId = $2 AND isRemovedOnDevice AND EXISTS (SELECT 1 FROM inserted)
        ), audience AS (
            SELECT array_agg(m.userId ORDER BY m.joinedAt, m.userId) AS users FROM chatMembers AS m
            LEFT JOIN chatSettings AS s ON s.chatId = m.chatId AND s.userId = m.userId
            WHERE m.chatId = $2 AND NOT coalesce(s.isBlocked, false)
        ), notification AS (
            SELECT replace(replace($7::text, $8::text, $9::text || inserted.id::text),
                           $10::text, $11::text || coalesce(array_to_string(audience.users, ','), '') || ']') AS body
            FROM inserted, audience WHERE $7::text IS NOT NULL
        ), notified AS (
            SELECT pg_notify($12::text, body) FROM notification WHERE octet_length(body) <= $13
        )
        SELECT checks.*, (SELECT id FROM inserted) AS newId, (SELECT users FROM audience) AS audience,
            (SELECT count(*) FROM notified) AS notified
        FROM checks
        """

    static var bindingDataTypes: [PostgresDataType] {
        [.int8, .uuid, .text, .text, .bool, .float8, .text, .text, .text, .text, .text, .text, .int8]
    }

    typealias Row = PostgresRandomAccessRow

    var author: Int
    var chatId: ChatID
    var localId: String
    var text: String?
    var isVisible: Bool
    var now: Double
    var notificationBody: String?
    var channel: String
    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 13)
        bindings.append(author)
        bindings.append(chatId)
        bindings.append(localId)
        bindings.append(text)
        bindings.append(isVisible)
        bindings.append(now)
        bindings.append(notificationBody)
        bindings.append(ClusterNotification.messageIdPattern)
        bindings.append(ClusterNotification.messageIdPrefix)
        bindings.append(ClusterNotification.usersPattern)
        bindings.append(ClusterNotification.usersPrefix)
        bindings.append(channel)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row.makeRandomAccess() }
}
