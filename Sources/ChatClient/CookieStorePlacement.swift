import ChatAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// FoundationNetworking makes a folder for its shared cookie store in `$XDG_DATA_HOME` (named
/// after the program, 0755) as soon as any URLSession configuration exists, whatever the
/// configuration says. TermChat uses no cookies; this puts that folder inside TermChat's own
/// 0700 data folder instead, before the first session is made.
public enum CookieStorePlacement {
    public static func keep(inside dataDirectory: String) {
        let folder = dataDirectory + "/.foundation"
        PrivateFiles.createDirectory(atPath: folder)
        let original = ProcessInfo.processInfo.environment["XDG_DATA_HOME"]
        setenv("XDG_DATA_HOME", folder, 1)
        _ = HTTPCookieStorage.shared
        if let original { setenv("XDG_DATA_HOME", original, 1) } else { unsetenv("XDG_DATA_HOME") }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            PrivateFiles.restrict(folder + "/" + name, mode: 0o700)
        }
    }
}
