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
    /// Opens a file with the desktop's opener; answers a problem in words, or nil.
    public var open: @Sendable (_ path: String) -> String?
    /// Puts text on the clipboard (through the terminal: OSC 52).
    public var copy: @Sendable (_ text: String) -> Void

    public init(editText: @escaping @Sendable (String) async -> String?, completePath: @escaping @Sendable (String) -> [String],
                ring: @escaping @Sendable () -> Void, notify: @escaping @Sendable (String, String) -> Void,
                open: @escaping @Sendable (String) -> String? = { _ in Said.openingFilesUnavailable },
                copy: @escaping @Sendable (String) -> Void = { _ in }) {
        self.editText = editText
        self.completePath = completePath
        self.ring = ring
        self.notify = notify
        self.open = open
        self.copy = copy
    }
}
