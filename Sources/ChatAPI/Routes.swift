import Foundation

/// Paths of the protocol's routes, as a client builds them. The server's router patterns
/// mirror these (`Sources/ChatServer/Routes`).
public enum APIPath {
    public static let users = "/users"
    public static let login = "/users/login"
    public static let me = "/users/me"
    public static let logout = "/users/me/logout"
    public static let changePassword = "/users/me/changePassword"
    public static let device = "/users/me/device"
    /// [ours] the user's sessions; DELETE one to end it.
    public static let sessions = "/users/me/sessions"
    public static func session(_ id: UUID) -> String { sessions + "/\(id.uuidString)" }
    public static func user(_ id: UserID) -> String { "/users/\(id)" }

    public static let chats = "/chats"
    public static func chat(_ id: ChatID) -> String { "/chats/\(id.uuidString)" }
    public static func chatSettings(_ id: ChatID) -> String { chat(id) + "/settings" }
    public static func chatImages(_ id: ChatID) -> String { chat(id) + "/images" }
    public static func chatImage(_ id: ChatID, _ media: MediaID) -> String { chatImages(id) + "/\(media.uuidString)" }
    public static func chatUsers(_ id: ChatID) -> String { chat(id) + "/users" }
    public static func leaveChat(_ id: ChatID) -> String { chat(id) + "/me" }
    public static func blockChat(_ id: ChatID) -> String { chat(id) + "/block" }
    public static func unblockChat(_ id: ChatID) -> String { chat(id) + "/unblock" }
    public static func blockUser(_ id: ChatID, _ user: UserID) -> String { chat(id) + "/users/\(user)/block" }
    public static func unblockUser(_ id: ChatID, _ user: UserID) -> String { chat(id) + "/users/\(user)/unblock" }
    public static func blockedUsers(_ id: ChatID) -> String { chat(id) + "/users/blocked" }
    public static func messages(_ id: ChatID) -> String { chat(id) + "/messages" }
    public static func message(_ id: ChatID, _ message: MessageID) -> String { messages(id) + "/\(message)" }
    public static func readMessage(_ id: ChatID, _ message: MessageID) -> String { self.message(id, message) + "/read" }
    public static func notify(_ id: ChatID) -> String { chat(id) + "/notify" }

    public static let uploads = "/uploads"
    /// Our server's file path; the upstream serves the same name at the root.
    public static func file(_ name: String) -> String { "/files/\(name)" }
    public static func rootFile(_ name: String) -> String { "/\(name)" }
    /// The event stream of one device session.
    public static func events(_ session: UUID) -> String { "/\(session.uuidString)" }
}

/// Header names that are part of the protocol.
public enum APIHeader {
    public static let fileName = "File-Name"
}
