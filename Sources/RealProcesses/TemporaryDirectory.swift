import Foundation

/// A new directory under the system's temporary one, for one run's files.
public enum TemporaryDirectory {
    public static func make() -> String {
        let path = NSTemporaryDirectory() + "termchat-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
