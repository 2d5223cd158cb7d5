/// The app's own sentences, in one place: signing out, hooks, what this machine cannot do.
/// (The UI's are ChatUI's `Said`, the engine's ChatSync's.)
@usableFromInline enum Said {
    static func signedOut(_ username: String?) -> String { "Signed out\(username.map { " " + $0 } ?? "")." }
    static func signedOutServerNotTold(_ problem: String) -> String { "Signed out here, but the server could not be told: \(problem)" }
    static let sessionEndedByServer = "The server ended this session (signed out elsewhere, or the password changed); sign in again."
    static func storedSignInDamaged(_ file: String) -> String { "The stored sign-in at \(file) is damaged; sign in again." }
    /// `Shell`'s default for a machine with nothing to open files with (a public default value).
    @usableFromInline static let openingFilesUnavailable = "Opening files is not available here."

    // Hooks.
    static func hookSkipped(_ name: String, running: Int) -> String { "Hook \(name) skipped: \(running) hooks are still running." }
    static func hookCouldNotStart(_ name: String, _ program: String, _ problem: String) -> String {
        "Hook \(name) could not start \(program): \(problem)"
    }
    static func hookStopped(_ name: String, after seconds: Int64) -> String { "Hook \(name) took longer than \(seconds) s and was stopped." }
    static func hookEnded(_ name: String, _ program: String, status: Int32) -> String { "Hook \(name) (\(program)) ended with status \(status)." }
}
