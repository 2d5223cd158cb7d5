/// `/me waves`: an action (IRC's, weechat's and gomuks' `/me`). It is sent as that text, which
/// any client shows as written, and shown here as `* Alice waves`.
enum ActionText {
    static let prefix = "/me "

    /// What the person did, or nil when `text` is no action.
    static func action(_ text: String?) -> Substring? {
        guard let text, text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        return rest.allSatisfy(\.isWhitespace) ? nil : rest
    }
}
