import Foundation

/// One route of the protocol, written once: its pattern as the server matches it
/// (`chats/:chatId/messages`, `:name` for a parameter) and the path a client prints from it.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String

    public init(_ pattern: String) {
        self.pattern = pattern
    }

    /// The path with `values` in the parameters' places, in order: `/chats/<id>/messages`.
    public func path(_ values: any CustomStringConvertible...) -> String {
        var remaining = values[...]
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard segment.hasPrefix(":") else { return String(segment) }
            precondition(!remaining.isEmpty, "\(pattern): a value for \(segment) is missing")
            return remaining.removeFirst().description
        }
        precondition(remaining.isEmpty, "\(pattern): \(remaining.count) values too many")
        return "/" + segments.joined(separator: "/")
    }

    /// A route under this one: `chat.appending("messages")` is `chats/:chatId/messages`.
    public func appending(_ segments: String) -> Route {
        Route(pattern + "/" + segments)
    }

    /// The names of its parameters, in order (`chatId`, `messageId`).
    public var parameters: [String] {
        pattern.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    public var description: String { pattern }
}

/// The protocol's routes: the client prints paths from them (`APIPath`), the server matches
/// requests with them (`Sources/ChatServer/Routes`).
public enum Routes {
    public static let users = Route("users")
    public static let login = users.appending("login")
    public static let me = users.appending("me")
    public static let logout = me.appending("logout")
    public static let changePassword = me.appending("changePassword")
    public static let device = me.appending("device")
    /// [ours] the user's sessions; DELETE one to end it.
    public static let sessions = me.appending("sessions")
    public static let session = sessions.appending(":sessionId")
    public static let user = users.appending(":userId")

    public static let chats = Route("chats")
    public static let chat = chats.appending(":chatId")
    public static let chatSettings = chat.appending("settings")
    public static let chatImages = chat.appending("images")
    public static let chatImage = chatImages.appending(":mediaId")
    public static let chatUsers = chat.appending("users")
    public static let leaveChat = chat.appending("me")
    public static let blockChat = chat.appending("block")
    public static let unblockChat = chat.appending("unblock")
    public static let blockUser = chatUsers.appending(":userId/block")
    public static let unblockUser = chatUsers.appending(":userId/unblock")
    public static let blockedUsers = chatUsers.appending("blocked")
    public static let messages = chat.appending("messages")
    public static let message = messages.appending(":messageId")
    public static let readMessage = message.appending("read")
    public static let notify = chat.appending("notify")

    public static let uploads = Route("uploads")
    /// Our server's file path; the upstream serves the same name at the root (`rootFile`).
    public static let file = Route("files/:name")
    public static let rootFile = Route(":name")
    /// The event stream of one device session.
    public static let events = Route(":sessionId")
}

/// Paths of the protocol's routes, as a client prints them from `Routes`.
public enum APIPath {
    public static let users = Routes.users.path()
    public static let login = Routes.login.path()
    public static let me = Routes.me.path()
    public static let logout = Routes.logout.path()
    public static let changePassword = Routes.changePassword.path()
    public static let device = Routes.device.path()
    public static let sessions = Routes.sessions.path()
    public static func session(_ id: UUID) -> String { Routes.session.path(id.uuidString) }
    public static func user(_ id: UserID) -> String { Routes.user.path(id) }

    public static let chats = Routes.chats.path()
    public static func chat(_ id: ChatID) -> String { Routes.chat.path(id.uuidString) }
    public static func chatSettings(_ id: ChatID) -> String { Routes.chatSettings.path(id.uuidString) }
    public static func chatImages(_ id: ChatID) -> String { Routes.chatImages.path(id.uuidString) }
    public static func chatImage(_ id: ChatID, _ media: MediaID) -> String { Routes.chatImage.path(id.uuidString, media.uuidString) }
    public static func chatUsers(_ id: ChatID) -> String { Routes.chatUsers.path(id.uuidString) }
    public static func leaveChat(_ id: ChatID) -> String { Routes.leaveChat.path(id.uuidString) }
    public static func blockChat(_ id: ChatID) -> String { Routes.blockChat.path(id.uuidString) }
    public static func unblockChat(_ id: ChatID) -> String { Routes.unblockChat.path(id.uuidString) }
    public static func blockUser(_ id: ChatID, _ user: UserID) -> String { Routes.blockUser.path(id.uuidString, user) }
    public static func unblockUser(_ id: ChatID, _ user: UserID) -> String { Routes.unblockUser.path(id.uuidString, user) }
    public static func blockedUsers(_ id: ChatID) -> String { Routes.blockedUsers.path(id.uuidString) }
    public static func messages(_ id: ChatID) -> String { Routes.messages.path(id.uuidString) }
    public static func message(_ id: ChatID, _ message: MessageID) -> String { Routes.message.path(id.uuidString, message) }
    public static func readMessage(_ id: ChatID, _ message: MessageID) -> String { Routes.readMessage.path(id.uuidString, message) }
    public static func notify(_ id: ChatID) -> String { Routes.notify.path(id.uuidString) }

    public static let uploads = Routes.uploads.path()
    public static func file(_ name: String) -> String { Routes.file.path(name) }
    public static func rootFile(_ name: String) -> String { Routes.rootFile.path(name) }
    public static func events(_ session: UUID) -> String { Routes.events.path(session.uuidString) }
}

/// Header names that are part of the protocol.
public enum APIHeader {
    public static let fileName = "File-Name"
}
