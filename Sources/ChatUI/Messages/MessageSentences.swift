/// What is said when a message cannot be changed, in the TUI's status line and in
/// `termchat rpc`'s errors alike (a script gets the sentence a person would read).
public enum MessageSentences {
    /// Editing or deleting someone else's message; `verb` is "edited" or "deleted".
    public static func onlyYourOwn(_ verb: String) -> String { "Only your own messages can be \(verb)." }
}
