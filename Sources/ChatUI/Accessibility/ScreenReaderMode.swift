/// Screen-reader mode: plain labelled lines, no box drawing, one pane at a time, news on an
/// announcement line. Turned on by `--screen-reader`, `TERMCHAT_SCREEN_READER=1` or
/// `[accessibility] screen_reader = true`; the flag beats the variable beats the file, and the
/// screen's first line says which one did it.
public struct ScreenReaderMode: Equatable, Sendable {
    /// What turned it on, as the first line says it.
    public var source: String

    public init(source: String) { self.source = source }

    public static let variable = "TERMCHAT_SCREEN_READER"

    /// The mode, if any of the three asks for it. The variable, when set to a yes or a no,
    /// decides over the file; a value that is neither is ignored.
    public static func resolve(flag: Bool, environment: String?, file: Bool?) -> ScreenReaderMode? {
        if flag { return ScreenReaderMode(source: "--screen-reader") }
        switch environment?.lowercased() {
        case "1"?, "true"?, "yes"?, "on"?: return ScreenReaderMode(source: "\(variable)=\(environment!)")
        case "0"?, "false"?, "no"?, "off"?: return nil
        default: return file == true ? ScreenReaderMode(source: "screen_reader in config.toml") : nil
        }
    }

    /// The screen's first line.
    public var heading: String { "Screen-reader mode, on by \(source). F1 help, F2 where am I, F3 read again." }
}
