import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The locale the terminal reads and writes in. Output is always UTF-8, so input must be too:
/// under `LANG=C` ncurses decoded "Grüße aus Köln" as "Gr". A locale that is not UTF-8 is
/// replaced, for characters only, by a UTF-8 one this system has (C.UTF-8 first).
public enum UTF8Locale {
    public enum Choice: Equatable, Sendable {
        /// The person's own locale is UTF-8.
        case own
        /// Theirs is not; this one is used for characters instead.
        case substituted(String)
        /// Theirs is not, and the system has no UTF-8 locale.
        case unavailable
    }

    /// The choice, made once for the process (setlocale is process-wide and not thread-safe:
    /// the terminal thread and the app ask for it, never set it twice).
    public static let adopted: Choice = adopt()

    /// Sets the process's locale from the environment, then, if its characters are not UTF-8,
    /// switches LC_CTYPE to the first UTF-8 locale of `candidates` that exists.
    @discardableResult
    static func adopt(candidates: [String] = ["C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"]) -> Choice {
        setlocale(LC_ALL, "")
        if isUTF8() { return .own }
        for name in candidates where setlocale(LC_CTYPE, name) != nil {
            if isUTF8() { return .substituted(name) }
        }
        setlocale(LC_ALL, "")
        return .unavailable
    }

    static func isUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// What the person is told once, or nil when there is nothing to say.
    public static func sentence(for choice: Choice) -> String? {
        switch choice {
        case .own: nil
        case .substituted(let name):
            "Your locale is not UTF-8; using \(name) for characters, so what you type is what is shown."
        case .unavailable:
            "termchat needs a UTF-8 locale to read what you type, and this system has none. Install one (e.g. C.UTF-8), then run with LANG=C.UTF-8."
        }
    }
}
