import ChatAPI
import ChatStore
import Foundation
import TerminalUI

/// Something that happened, named as such: a key, a store change, an engine change, an answer.
public enum Action: Sendable {
    case keyPressed(Key)
    case chatListChanged([ChatSummary])
    case conversationChanged(ChatID, [CachedMessage])
    /// A picture's preview is ready, or cannot be made.
    case previewLoaded(MediaID, PreviewState)
    case knownHistoryChanged(ChatID, [HistoryRange])
    /// What happened in the open chat besides messages.
    case notesChanged(ChatID, [ChatNote])
    case usersChanged([UserID: UserInfo])
    case engineStatusChanged(SyncStatus)
    case terminalResized(rows: Int, columns: Int)
    case effectFailed(String)
    case effectSucceeded(String)
    /// A file started uploading: the notice says so until no upload is left in the open chat.
    case uploadStarted(String)
    case userSearchAnswered(query: String, [UserInfo])
    /// Hits for a search query, newest first, or what was wrong with it.
    case searchAnswered(query: String, hits: [CachedMessage], progress: SearchIndexProgress?, problem: String?)
    /// `cached`: how many messages the cache holds for the chat now (the beginning is shown
    /// only once the window holds them all).
    case olderMessagesLoaded(ChatID, reachedStart: Bool, cached: Int = 0)
    case blockedUsersLoaded(ChatID, [UserInfo])
    case cachedHistoryLoaded(ChatID, messages: Int, complete: Bool)
    case pathCompletionsFound(prefix: String, [String])
    case editorFinished(ChatID, String?)
    case draftLoaded(ChatID, String)
    case chatCreated(ChatID)
    case clockTicked(Date)
    /// The account was signed out here (with what to tell the person): back to sign-in.
    case signedOut(String)
}
