import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// Something that happened, named as such: a key, a store change, an engine change, an answer.
public enum Action: Sendable {
    case keyPressed(Key)
    case chatListChanged([ChatSummary])
    /// The open chat's messages: a window that reaches both ends of what is cached.
    case conversationChanged(ChatID, [CachedMessage])
    /// The open chat's window, as read from the store.
    case windowChanged(ChatID, ConversationWindow)
    /// `g`: how many older messages have come in so far.
    case historyProgress(ChatID, loaded: Int)
    /// `g`'s history load ended: at the chat's start, or not (stopped, failed).
    case historyLoaded(ChatID, reachedStart: Bool)
    /// Where the first unread message is (its window is read around `serverId`).
    case unreadFound(ChatID, UnreadMarker, serverId: MessageID)
    /// The first unread message could not be found (the server could not be asked).
    case unreadNotFound(ChatID)
    /// A message to be shown, found in the cache at `serverId`.
    case messageLocated(ChatID, localId: String, serverId: MessageID)
    /// A picture's preview is ready, or cannot be made.
    case previewLoaded(MediaID, PreviewState)
    case knownHistoryChanged(ChatID, [HistoryRange])
    /// What happened in the open chat besides messages.
    case notesChanged(ChatID, [ChatNote])
    case usersChanged([UserID: UserInfo])
    case engineStatusChanged(EngineStatus)
    case terminalResized(rows: Int, columns: Int)
    /// An effect failed: the error's own sentence.
    case effectFailed(String)
    /// An effect could not do what was asked, for a reason of its own.
    case effectCouldNot(EffectProblem)
    case effectSucceeded(EffectOutcome)
    /// A file started uploading: the notice says so until no upload is left in the open chat.
    case uploadStarted(String)
    case userSearchAnswered(query: String, [UserInfo])
    /// Hits for a search query, newest first, or what was wrong with it.
    case searchAnswered(query: String, hits: [CachedMessage], progress: SearchIndexProgress?, problem: String?, partlyCached: Int = 0)
    /// A page of older messages came from the server, or the chat's start is cached.
    case olderMessagesLoaded(ChatID, reachedStart: Bool)
    case blockedUsersLoaded(ChatID, [UserInfo])
    /// The account's signed-in devices, this one first.
    case devicesLoaded([DeviceRow])
    case cachedHistoryLoaded(ChatID, messages: Int, complete: Bool)
    case pathCompletionsFound(prefix: String, [String])
    case editorFinished(ChatID, String?)
    case draftLoaded(ChatID, String)
    case chatCreated(ChatID)
    case clockTicked(Date)
    /// The account was signed out here (with what to tell the person): back to sign-in.
    case signedOut(String)
}
