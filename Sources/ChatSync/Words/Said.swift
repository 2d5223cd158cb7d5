/// The engine's sentences, in one place: why queued work failed, why a request was refused
/// before it left, what the engine is doing about a problem. (Queued changes in a few words
/// are `ChangeDescription`; the server's and the network's own reasons say themselves.)
enum Said {
    // Work that cannot be done.
    static func fileGone(_ path: String) -> String { "The file \(path) is gone." }
    static func imageGone(_ path: String) -> String { "The image \(path) is gone." }
    static func cannotRead(_ path: String) -> String { "Cannot read \(path)." }
    static func noUserNamed(_ username: String) -> String { "No user named \(username)." }
    static let attachmentNotOnServerYet = "That attachment is not on the server yet."
    static func failedInARow(_ attempts: Int, _ reason: String) -> String { "The server failed it \(attempts) times in a row: \(reason)" }

    // Devices.
    static let nameADevice = "Name a device, as Devices lists it."
    static func noDeviceCalled(_ text: String) -> String { "No device is called \(text); Devices lists them." }
    static let thatIsThisDevice = "That is this device; use Log out to sign it out."

    // The engine's status line.
    static func noLongerIn(_ title: String?) -> String { "You are no longer in \(title ?? "this chat") (removed, or the chat was deleted)." }
    static func chatListFailed(_ reason: String) -> String {
        "The server failed to list your chats (\(reason)); showing what is cached, trying again."
    }
    /// While queued work waits for the server's `Retry-After`.
    static func rateLimitedRetrying(_ seconds: Int) -> String { "\(rateLimitedPrefix), retrying in \(max(1, seconds)) s; nothing is lost." }
    /// How that sentence begins (the engine recognises its own words by it).
    static let rateLimitedPrefix = "Rate limited by the server"
}
