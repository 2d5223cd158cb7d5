import Foundation

/// Folders 0700 and files 0600: a chat cache, a server database and uploads hold people's
/// messages, so no other local user may read them. Existing ones are tightened too.
public enum PrivateFiles {
    /// Creates the folder (and missing parents) as 0700, or makes an existing one 0700.
    public static func createDirectory(atPath path: String) {
        try? FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
        )
        restrict(path, mode: 0o700)
    }

    /// Creates an empty file as 0600 unless it exists; makes an existing one 0600.
    public static func createFile(atPath path: String) {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        restrict(path)
    }

    /// Sets the mode of an existing file or folder; a missing one is left alone.
    public static func restrict(_ path: String, mode: Int = 0o600) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    /// Makes every file directly inside `directory` 0600.
    public static func restrictContents(ofDirectory directory: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            restrict(directory + "/" + name)
        }
    }
}
