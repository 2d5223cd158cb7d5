import Foundation

/// Limits the spec sets, shared by server validation and client checks before sending.
public enum ProtocolLimits {
    /// Message text, in bytes of UTF-8.
    public static let maxMessageTextBytes = 2048
    /// Users added to a chat in one call.
    public static let maxUsersAddedAtOnce = 10
    /// One upload, in bytes.
    public static let maxUploadBytes = 50 * 1024 * 1024
    /// Default and largest page for `GET /chats/<id>/messages`.
    public static let defaultMessagePage = 50
    public static let maxMessagePage = 500
    public static let usernameLength = 5...25
    public static let passwordLength = 8...25
}
