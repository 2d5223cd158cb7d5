import ChatAPI
import ChatModel
import Foundation

/// What the reducer asks the shell to do. Plain data: the shell performs it (engine calls,
/// store writes, the editor, the terminal) and reports back with an `Action`.
public enum Effect: Equatable, Sendable {
    case openChat(ChatID?)
    case send(ChatID, String)
    case sendFile(ChatID, path: String, caption: String?)
    /// A text too long for a message, sent as a `.txt` attachment instead.
    case sendTextAsFile(ChatID, String)
    case composing(ChatID)
    case composeEnded(ChatID)
    case markRead(ChatID)
    case saveDraft(ChatID, String)
    /// A page of older messages from the server (the window reached the cache's oldest).
    case loadOlder(ChatID)
    /// The open chat's window read at another place of the chat.
    case moveWindow(ChatID, WindowPosition)
    /// Every older message from the server, in large pages, reporting progress (`g`); beside
    /// the other effects, until done or stopped.
    case loadHistory(ChatID)
    case stopLoadingHistory(ChatID)
    /// Where the first of `count` unread messages is (fetching older pages until the cache
    /// holds it).
    case findUnread(ChatID, count: Int)
    case retry(ChatID, localId: String)
    case discard(ChatID, localId: String)
    /// By localId: a message still on its way can be edited or deleted too.
    case editMessage(ChatID, localId: String, text: String)
    /// `/edit`: your newest message when the effect runs, so that a message sent just before
    /// (and not on screen yet) is the one edited.
    case editLastMessage(ChatID, text: String)
    case deleteMessage(ChatID, localId: String)
    case createChat(usernames: [String], title: String?)
    case searchUsers(String)
    case chatSettings(ChatID, ChatSettingsRequest)
    case renameChat(ChatID, String)
    case addUsers(ChatID, usernames: [String])
    case removeUsers(ChatID, usernames: [String])
    case blockChat(ChatID, Bool)
    case blockUser(ChatID, username: String, Bool)
    case loadBlockedUsers(ChatID)
    /// Reads a chat again from the server (members, title), dropping it if it is gone.
    case refreshChat(ChatID)
    /// The account's signed-in devices, for the settings pane.
    case loadDevices
    /// Signs out the device the text names (its name, or the start of its id).
    case signOutDevice(String)
    /// A change the server refused, tried again from its first attempt (by its queue position).
    case retryChange(Int64)
    /// A change the server refused, forgotten; its chat is read again.
    case discardChange(Int64)
    case clearChat(ChatID)
    case deleteChat(ChatID)
    case leaveChat(ChatID)
    case setChatImage(ChatID, path: String)
    case removeChatImage(ChatID, MediaID)
    /// Saves an attachment: to `to` (a file, or a folder to save into), or with nil into the
    /// downloads folder, under the file's own name, never over an existing file.
    case download(ChatID, localId: String, to: String?)
    /// Opens a message's attachment with the desktop's opener (`$TERMCHAT_OPENER`, else
    /// `xdg-open`), downloading it first where needed.
    case openAttachment(ChatID, localId: String)
    /// Opens a web address with the desktop's opener, as an attachment is opened.
    case openLink(String)
    /// Makes the preview of a picture attachment (from the file here, the server's preview, or
    /// the file downloaded within the size limit) and answers `previewLoaded`.
    case loadPreview(ChatID, localId: String, position: Int)
    /// Puts text on the clipboard (OSC 52, which terminals and tmux pass on).
    case copyToClipboard(String)
    case updateProfile(name: String?, about: String?)
    case changePassword(old: String, new: String)
    case renameDevice(String)
    /// Drops the event stream's connection and connects again at once (`/reconnect`).
    case reconnect
    case logout
    /// The server no longer accepts this session (signed out elsewhere, password changed):
    /// forget it here and ask to sign in again.
    /// The server ended this session; the reason is the server's, when it gave one.
    case sessionEnded(reason: String?)
    case completePath(String)
    /// How much of a chat the cache holds, for the settings pane.
    case loadCachedHistory(ChatID)
    /// Searches the cache; answered with `searchAnswered`.
    case search(String)
    /// Widens the open chat's window (from the cache) until it holds this message.
    case showMessage(ChatID, localId: String)
    case openEditor(ChatID, String)
    /// A new message arrived in a chat that is not muted and not on screen: bell, and a
    /// desktop notification where one can be shown.
    case notifyNewMessage(ChatID, title: String, body: String, count: Int)
    /// Runs the `[hooks]` program for this event, if there is one.
    case hook(HookEvent)
    case quit
}
