import Foundation

/// `notify-send`, where it exists: a desktop notification next to the terminal bell.
enum DesktopNotifier {
    static let path: String? = ["/usr/bin/notify-send", "/usr/local/bin/notify-send"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func show(title: String, body: String) {
        guard let path else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--app-name=termchat", title, String(body.prefix(200))]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()  // not waited for: notify-send exits by itself at once
    }
}
