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
    /// bcrypt reads a password's first 72 bytes only: a longer one (25 characters outside
    /// ASCII can be) is refused rather than cut, or every password sharing them would do.
    public static let maxPasswordBytes = 72

    /// Why `password` cannot be a new password, or nil.
    public static func passwordProblem(_ password: String) -> String? {
        guard passwordLength.contains(password.count) else { return "A password is 8 to 25 characters long." }
        guard password.utf8.count <= maxPasswordBytes else {
            return "A password is at most 72 bytes of UTF-8 (fewer than 25 characters outside ASCII)."
        }
        return nil
    }
}
