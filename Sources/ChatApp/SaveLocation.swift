import ChatAPI
import Foundation

/// Where a saved attachment goes: into the requested folder (or the downloads folder,
/// `$XDG_DOWNLOAD_DIR` else `~/Downloads`) under its own name, or to the requested file; never
/// over an existing file (`name (1).txt` instead).
public enum SaveLocation {
    static func downloadsFolder(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let folder = environment["XDG_DOWNLOAD_DIR"], !folder.isEmpty { return (folder as NSString).expandingTildeInPath }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/Downloads"
    }

    static func target(for name: String, requested: String?) -> String {
        var isFolder: ObjCBool = false
        let base: String
        if let requested, !(FileManager.default.fileExists(atPath: requested, isDirectory: &isFolder) && isFolder.boolValue) {
            base = requested
        } else {
            base = (requested ?? downloadsFolder()) + "/" + name
        }
        return unused(base)
    }

    /// Where an attachment is put to be opened: `$XDG_CACHE_HOME/termchat/open/<media id>/`
    /// (else `~/.cache/…`), the folders the owner's alone, under its own name.
    static func openTarget(for name: String, media: MediaID, _ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        let folder = cache + "/termchat/open/" + media.uuidString
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder + "/" + name
    }

    /// `path`, or `stem (N).ext` for the first N that is free.
    static func unused(_ path: String) -> String {
        guard FileManager.default.fileExists(atPath: path) else { return path }
        let folder = (path as NSString).deletingLastPathComponent
        let file = (path as NSString).lastPathComponent
        let ext = (file as NSString).pathExtension
        let stem = ext.isEmpty ? file : (file as NSString).deletingPathExtension
        for number in 1... {
            let candidate = folder + "/" + stem + " (\(number))" + (ext.isEmpty ? "" : "." + ext)
            if !FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return path
    }
}

/// A text too long for a message, written to a file to send: kept beside the cache (0600)
/// until it is uploaded, named after the moment it was sent.
enum LongText {
    static func file(for text: String, in folder: String) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH.mm.ss"
        let outgoing = folder + "/outgoing"
        PrivateFiles.createDirectory(atPath: outgoing)
        let path = SaveLocation.unused(outgoing + "/message \(formatter.string(from: Date())).txt")
        PrivateFiles.createFile(atPath: path)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
