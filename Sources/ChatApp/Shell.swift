import Foundation

/// What the app needs from the process around it: the terminal and programs outside.
public struct Shell: Sendable {
    /// Hands the terminal to the person's editor with `text`; answers the edited text, or nil.
    public var editText: @Sendable (String) async -> String?
    /// File names that complete a path being typed.
    public var completePath: @Sendable (String) -> [String]
    /// Rings the terminal bell.
    public var ring: @Sendable () -> Void
    /// Shows a desktop notification, where the desktop has them.
    public var notify: @Sendable (_ title: String, _ body: String) -> Void

    public init(editText: @escaping @Sendable (String) async -> String?, completePath: @escaping @Sendable (String) -> [String],
                ring: @escaping @Sendable () -> Void, notify: @escaping @Sendable (String, String) -> Void) {
        self.editText = editText
        self.completePath = completePath
        self.ring = ring
        self.notify = notify
    }
}
