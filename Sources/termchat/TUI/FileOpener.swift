import Foundation

/// Opens a file with `$TERMCHAT_OPENER` (a command the path is appended to), else `xdg-open`.
/// Not waited for, and quiet: what an opener prints would land on the chat screen.
enum FileOpener {
    static func open(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let process = Process()
        if let opener = environment["TERMCHAT_OPENER"], !opener.trimmingCharacters(in: .whitespaces).isEmpty {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", opener + " \"$1\"", "termchat-opener", path]
        } else if let xdgOpen = ["/usr/bin/xdg-open", "/usr/local/bin/xdg-open"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            process.executableURL = URL(fileURLWithPath: xdgOpen)
            process.arguments = [path]
        } else {
            return Said.nothingToOpenWith(path)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Said.openerFailed(error.localizedDescription)
        }
        return nil
    }
}
