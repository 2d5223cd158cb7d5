import ChatAPI
import ChatModel

/// What a pane's reducer asks of the app. A pane changes only its own state; anything beyond
/// it (the focus, another pane, a question, the engine) goes up as one of these, and the app
/// reducer carries it out in order.
enum PaneEvent: Equatable, Sendable {
    case effect(Effect)
    case focus(Pane)
    /// Opens a chat in the conversation pane and moves the focus.
    case open(ChatID, focus: Pane)
    case notice(String, isError: Bool)
    case confirm(DestructiveAction, chat: ChatID?)
    /// A confirmation with its own question and effects (a long text sent as a file).
    case confirmation(Confirmation)
    case ask(PromptPurpose, String, text: String)
    case settings(chat: ChatID?)
    case leaveSettings
    case newChat
    case help
    /// The compose box, with a line to start from ("/" for a command, "/attach ").
    case compose(prefill: String)
    /// Lines to scroll the conversation by (up is positive), from the compose box.
    case scrollConversation(Int)
    /// A line typed in the compose box or the chat-less command line, to send or run.
    case submit(String)
    /// A confirmed action that used the compose box's text: the box and the draft are emptied.
    case clearCompose
    /// Answer a message: the compose box, with the quote to come.
    case reply(CachedMessage)
    /// Change one of your messages in the compose box.
    case edit(CachedMessage)
    /// The details of a message.
    case details(ChatID, localId: String)
    /// The numbered list of a message's web addresses.
    case links([String])
    /// Opens a chat at a message (a search hit), selected; `hits` are the search's hits there.
    case openAt(ChatID, localId: String, hits: [String])
    /// The search overlay, with a query to start from.
    case search(String)
    case toggleArchive
    case toggleDoNotDisturb
    case nextUnread
    case cycleFocus(forward: Bool)
    case quit
}

extension Array where Element == PaneEvent {
    static func effects(_ effects: [Effect]) -> [PaneEvent] { effects.map(PaneEvent.effect) }
}
