/// The UI's own sentences for the status line, in one place: what a key could not do, what
/// it did, what is going on. (What effects did is `EffectOutcome`; errors from the network or
/// the cache say themselves.)
enum Said {
    // Nothing there to act on.
    static let noMessageToSelect = "No message here to select."
    static let noOwnMessageToEdit = "You have no message here to edit."
    static let noOwnMessageToDelete = "You have no message here to delete."
    static let nothingFailed = "Nothing failed here."
    static let nothingWaiting = "Nothing is waiting here."
    static let noUnread = "No unread messages."
    static let chatHasNoImage = "This chat has no image."
    static let messageWasDeleted = "That message was deleted."
    static let noTextToCopy = "That message has no text to copy."
    static let noWebAddress = "No web address in that message."
    static let nothingToOpen = "Nothing to open on that message."
    static let noAttachmentToSave = "No attachment on that message that can be saved."
    static let nothingHereToSaveYet = "No attachment here that can be saved yet."
    static func noFileMatches(_ prefix: String) -> String { "No file matches \(prefix)." }

    // Where to do it instead.
    static let openAChatFirst = "Open a chat first: that command acts on the open chat."
    static let openAChatToSend = "Open a chat to send a message; / starts a command."
    static let groupNeedsTitle = "A group needs a title: type it, then Enter."
    static let passwordsDiffer = "The two new passwords differ; type the new one again."
    static func messageTooLong(limit: Int, bytes: Int) -> String { "A message is at most \(limit) bytes (this is \(bytes))." }

    // Asked, and not done.
    static let cancelled = "Cancelled."
    static let cancelledNothingChanged = "Cancelled; nothing was changed."
    static let nothingTyped = "Nothing typed; nothing changed."

    // Done, or under way.
    static let copied = "Copied to the clipboard."
    static let stoppedLoadingHistory = "Stopped loading history."
    static let sent = "Sent."
    static func sending(_ name: String) -> String { "Sending \(name)…" }
    static func match(_ number: Int, of total: Int) -> String { "Match \(number) of \(total)." }
    static func devicesSignedIn(_ count: Int) -> String {
        "\(count) device\(count == 1 ? "" : "s") signed in; Enter on another signs it out."
    }
}
