import Foundation

/// Tab completion of file paths for `/attach`, `/save` and `/image`.
enum PathCompleter {
    /// Paths that start with `prefix`, in the form typed (a leading `~` is kept); folders end
    /// with `/`. Hidden files only when the prefix names them.
    static func candidates(for prefix: String) -> [String] {
        let expanded = (prefix as NSString).expandingTildeInPath
        let endsWithSlash = prefix.hasSuffix("/") || prefix.isEmpty
        let directory = prefix.isEmpty ? "." : (endsWithSlash ? expanded : (expanded as NSString).deletingLastPathComponent)
        let partial = endsWithSlash ? "" : (expanded as NSString).lastPathComponent
        let typedDirectory = prefix.isEmpty ? "" : (endsWithSlash ? prefix : String(prefix.dropLast(partial.count)))
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "/" : directory) else { return [] }
        return entries
            .filter { $0.hasPrefix(partial) && (partial.hasPrefix(".") || !$0.hasPrefix(".")) }
            .sorted()
            .map { name in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
                return typedDirectory + name + (isDirectory.boolValue ? "/" : "")
            }
    }
}

/// Composing a message in `$VISUAL` / `$EDITOR`. The editor gets the terminal for real: curses
/// is left, the editor runs in our process group (the terminal's foreground group) and the
/// terminal thread reads no key until it exits, whatever its exit status.
enum ExternalEditor {
    static func edit(_ text: String, terminal: Terminal) async -> String? {
        let file = NSTemporaryDirectory() + "termchat-\(UUID().uuidString).txt"
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: file) }
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        _ = await terminal.runInForeground(editor, file: file)
        return FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }
    }
}

import Terminal
