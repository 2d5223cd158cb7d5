/// What the commands say, in one place: accounts, sending, sessions, the RPC's errors.
/// (The TUI's sentences are ChatUI's, the engine's ChatSync's, the app's ChatApp's.)
enum Said {
    // Accounts.
    static let givePassword = "Give the password in TERMCHAT_PASSWORD or on standard input."
    static func registered(_ username: String, _ name: String, on server: String) -> String {
        "Registered and signed in as \(username) (\(name)) on \(server)."
    }
    static func signedIn(_ username: String, _ name: String, on server: String) -> String { "Signed in as \(username) (\(name)) on \(server)." }
    static let notSignedIn = "Not signed in."
    static func signedOut(_ username: String) -> String { "Signed out \(username)." }
    static func signedOutServerNotTold(_ problem: String) -> String { "Signed out here, but the server could not be told: \(problem)" }
    static func deviceSignedOut(_ name: String, _ shortId: String) -> String { "Signed out \(name) (\(shortId)); it must sign in again." }
    static func notSignedIn(profile: String) -> String {
        "Not signed in\(profile == "default" ? "" : " as profile \(profile)"): run `termchat login --server URL --username NAME`."
    }
    static func signedOutBy(_ reason: String) -> String { "Signed out: \(reason) Sign in again with `termchat login`." }
    static let serverSignedThisDeviceOut = "The server signed this device out."
    static let demoLoggedOut = "Logged out of the demo. Run termchat demo to come back; termchat demo --fresh starts over."

    // Chats and people named on the command line.
    static func noChat(_ text: String, server problem: String) -> String { "No chat \(text) in the cache, and the server says: \(problem)" }
    static func noChatWith(_ username: String, server problem: String) -> String {
        "No chat with \(username) in the cache, and the server cannot be asked: \(problem)"
    }
    static func noUserNamed(_ username: String) -> String { "No user named \(username)." }

    // Sending.
    static let linesTakeNoText = "With --lines the text comes from standard input: give no text and no --file."
    static let giveTextOrFile = "Give a text, a --file, or both."
    static let noLineToSend = "Standard input held no line to send."
    static func queuedLines(_ queued: Int, of total: Int) -> String { "Queued \(queued) of \(total) lines." }
    static func queued(_ count: Int, lines: Bool) -> String { lines ? "Queued \(count) message\(count == 1 ? "" : "s")." : "Queued." }
    static func sentLines(_ sent: Int, of total: Int, refused: Int) -> String {
        "Sent \(sent) of \(total)" + (refused > 0 ? "; the server refused \(refused) (retry or discard them in termchat)" : "")
            + (sent + refused < total ? "; the rest go with the next `termchat sync` or `termchat` run" : "") + "."
    }
    static func synced(_ report: SyncReportWords) -> String {
        "Delivered \(report.delivered), uploaded \(report.uploaded), still queued \(report.stillQueued), failed \(report.failed)."
    }

    // Reading.
    static let nothingFound = "Nothing found."
    static func shownFromCache(_ problem: String) -> String { "Shown from the local cache: the server could not be asked (\(problem)).\n" }

    // The terminal and this machine.
    static let needsATerminal = "The interactive client needs a terminal; for scripts use the subcommands (termchat --help)."
    static func nothingToOpenWith(_ path: String) -> String {
        "Nothing to open files with: install xdg-utils or set $TERMCHAT_OPENER (the file is \(path))."
    }
    static func openerFailed(_ problem: String) -> String { "Could not start the opener: \(problem)" }
    static let defaultConfigMissing = "The default config is not installed beside termchat."
    static func noSettingsFile(_ path: String) -> String {
        "No settings file at \(path): the defaults apply (termchat config --print-default > \(path) to start one)."
    }

    // The RPC's errors.
    static let notJSON = "That line is not JSON."
    static let giveTextFileOrBoth = "Give a text, a file, or both."
    static let newTextEmpty = "The new text is empty: to remove a message, delete it."
    static func noMethod(_ method: String) -> String {
        "No method \(method): the methods are send, edit, delete, markRead, chats, messages, search, watch, unwatch."
    }
    static func noMessageInCache(_ id: String) -> String { "No message \(id) in that chat in the cache." }
    static let nameTheMessage = "Name the message with localId or messageId."
}

/// The counts `termchat sync` reports.
struct SyncReportWords {
    var delivered: Int
    var uploaded: Int
    var stillQueued: Int
    var failed: Int
}
