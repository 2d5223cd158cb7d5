import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The compose box's own state: the text being written, each chat's draft, what was sent
/// before (for Up in an empty box) and the file names Tab found.
public struct ComposeState: Equatable, Sendable {
    public var buffer = ComposeBuffer()
    public var drafts: [ChatID: String] = [:]
    /// What was sent or run in each chat, oldest first, for Up/Down in an empty compose box.
    public var inputHistory: [ChatID: [String]] = [:]
    /// Which entry of the history the compose box shows, while browsing it.
    public var historyIndex: Int?
    public var completions: [String] = []
    /// The message the text answers: sent with a quote of it.
    public var replyTo: ReplyTarget?
    /// The message (localId) the text replaces: Enter saves the edit.
    public var editing: String?
    /// The draft put aside while editing a message, back when the edit ends.
    var stashedDraft: String?

    public init() {}

    /// Starts editing one of your messages: the draft waits until the edit is saved or left.
    mutating func edit(_ message: CachedMessage) {
        if editing == nil { stashedDraft = buffer.text }
        editing = message.localId
        replyTo = nil
        buffer.replace(with: message.text ?? "")
    }

    /// Ends a reply or an edit (sent or cancelled): an edit's draft comes back.
    mutating func endReplyOrEdit() {
        replyTo = nil
        if editing != nil {
            editing = nil
            buffer.replace(with: stashedDraft ?? "")
            stashedDraft = nil
        }
    }

    /// What may be kept as a draft: a `/password` line never is.
    static func draftText(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("/password") ? "" : text
    }

    var draft: String { Self.draftText(buffer.text) }

    /// Leaves `from` (keeping its draft) for `to` (bringing its draft back).
    mutating func switchChat(from: ChatID?, to: ChatID) {
        endReplyOrEdit()
        if let from { drafts[from] = draft }
        buffer = ComposeBuffer(drafts[to] ?? "")
        historyIndex = nil
    }

    /// Text handed back by the external editor replaces the box's (its last newline dropped).
    mutating func editorFinished(_ text: String) {
        buffer.replace(with: text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }

    /// A chat's saved draft, read from the cache; shown when `isOpen` and nothing is typed.
    mutating func draftLoaded(_ chat: ChatID, _ text: String, isOpen: Bool) {
        drafts[chat] = text
        if isOpen, buffer.isEmpty { buffer.replace(with: text) }
    }

    /// Starts the box with `text` ("/" for a command); nothing when `text` is empty.
    mutating func prefill(_ text: String) {
        if !text.isEmpty { buffer.replace(with: text) }
    }

    /// Pasted text, wherever the focus was.
    mutating func paste(_ text: String) {
        buffer.insert(text)
    }

    /// Answering `message`, quoted by its text (or a file by its name).
    mutating func reply(to message: CachedMessage, author: String) {
        endReplyOrEdit()
        let text = message.text?.isEmpty == false ? message.text!
            : message.attachments.first.map { "📎 " + $0.displayName(caption: nil) } ?? ""
        replyTo = ReplyTarget(localId: message.localId, author: author, text: text)
    }

    /// Empties the box and the chat's draft (sent, run, or sent as a file).
    mutating func clear(_ chat: ChatID?) {
        buffer.replace(with: "")
        if let chat { drafts[chat] = "" }
    }

    mutating func remember(_ text: String, in chat: ChatID) {
        guard Self.draftText(text) == text else { return }  // never a /password line
        var history = inputHistory[chat] ?? []
        if history.last != text { history.append(text) }
        inputHistory[chat] = Array(history.suffix(100))
        historyIndex = nil
    }

    /// Up in an empty compose box shows what was sent here before, one entry further back
    /// each time; Down comes forward again, back to an empty box.
    mutating func recallHistory(_ chat: ChatID, older: Bool) {
        let history = inputHistory[chat] ?? []
        guard !history.isEmpty else { return }
        let current = historyIndex ?? history.count
        let next = older ? max(0, current - 1) : current + 1
        if next >= history.count {
            historyIndex = nil
            buffer.replace(with: "")
        } else {
            historyIndex = next
            buffer.replace(with: history[next])
        }
    }

    /// Tab's answer for a word being typed: completed, its choices listed, or why not.
    mutating func complete(_ completion: TabCompletion) -> [PaneEvent] {
        switch completion {
        case .path(let prefix):
            return [.effect(.completePath(prefix))]
        case .nothing(let sentence):
            completions = []
            return [.notice(sentence, isError: false)]
        case .replace(let count, var text, let choices):
            // Completing inside text that goes on with a space: no second space.
            if text.hasSuffix(" "), buffer.afterCursor.first?.isWhitespace == true { text.removeLast() }
            buffer.replaceBeforeCursor(count, with: text)
            completions = choices
            return []
        }
    }

    /// Tab's answer for a path being typed after `/attach ` and the like.
    mutating func complete(prefix: String, candidates: [String]) -> [PaneEvent] {
        let text = buffer.beforeCursor
        guard let space = text.firstIndex(of: " "), String(text[text.index(after: space)...]) == prefix else { return [] }
        let command = String(text[...space])
        if candidates.count == 1 {
            buffer.replace(with: command + candidates[0])
            completions = []
        } else if !candidates.isEmpty {
            let common = candidates.dropFirst().reduce(candidates[0]) { $0.commonPrefix(with: $1) }
            if common.count > prefix.count { buffer.replace(with: command + common) }
            completions = candidates.map { ($0 as NSString).lastPathComponent + ($0.hasSuffix("/") ? "/" : "") }
        } else {
            return [.notice(Said.noFileMatches(prefix), isError: true)]
        }
        return []
    }
}

/// The message a reply answers.
public struct ReplyTarget: Equatable, Sendable {
    public var localId: String
    public var author: String
    public var text: String

    public init(localId: String, author: String, text: String) {
        self.localId = localId
        self.author = author
        self.text = text
    }

    /// The start of the original, for the compose box's "replying to" line.
    var excerpt: String { String(ReplyQuote.line(author: author, text: text).drop { $0 != ":" }.dropFirst(2)) }
}

/// The compose box's keys: editing, history recall, Tab completion, sending. With no chat
/// open it is a command line only (a new account has no chats, and its commands, /logout
/// included, must still be reachable).
enum ComposeReducer {
    /// `usernames`: the open chat's other members, for `@name` completion.
    static func key(_ pane: inout ComposeState, _ key: Key, chat: ChatID?, page: Int, usernames: [String] = []) -> [PaneEvent] {
        guard let chat else { return commandLineKey(&pane, key) }
        let before = pane.buffer.text
        switch key {
        case _ where pane.buffer.applyEditingKey(key): break
        case .altEnter, .control("n"): pane.buffer.insert("\n")
        case .up where pane.buffer.isMultiLine && pane.historyIndex == nil && pane.buffer.moveLine(up: true): break
        case .down where pane.buffer.isMultiLine && pane.historyIndex == nil && pane.buffer.moveLine(up: false): break
        case .up where pane.buffer.isEmpty || pane.historyIndex != nil:
            pane.recallHistory(chat, older: true)
            return []
        case .down where pane.historyIndex != nil:
            pane.recallHistory(chat, older: false)
            return []
        case .up, .pageUp: return [.scrollConversation(key == .up ? 1 : page)]
        case .down, .pageDown: return [.scrollConversation(key == .down ? -1 : -page)]
        case .control("e"): return [.effect(.openEditor(chat, pane.buffer.text))]
        case .paste(let text):
            // A paste is text to edit, newlines included; it is never sent by itself.
            pane.buffer.insert(text)
        case .escape where pane.replyTo != nil || pane.editing != nil:
            let wasEditing = pane.editing != nil
            pane.endReplyOrEdit()
            return [.notice(wasEditing ? "Edit cancelled; your draft is back." : "Reply cancelled.", isError: false)]
        case .escape:
            pane.completions = []
            return [.focus(.chats), .effect(.saveDraft(chat, pane.draft))]
        case .tab:
            return pane.complete(TabCompletion.complete(pane.buffer.beforeCursor, usernames: usernames))
        case .enter:
            let text = pane.buffer.text
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
            if let localId = pane.editing {
                pane.endReplyOrEdit()
                // The edit is saved: the other side stops showing "typing…" (it stayed ~6 s).
                return [.effect(.editMessage(chat, localId: localId, text: text)), .effect(.composeEnded(chat))]
            }
            pane.remember(text, in: chat)
            if let reply = pane.replyTo, !text.hasPrefix("/") {
                pane.replyTo = nil
                return [.submit(ReplyQuote.reply(author: reply.author, original: reply.text, answer: text))]
            }
            return [.submit(text)]
        default:
            return []
        }
        pane.completions = []
        if key != .up && key != .down { pane.historyIndex = nil }
        let after = pane.buffer.text
        if after != before, !after.isEmpty, !after.hasPrefix("/") { return [.effect(.composing(chat))] }
        if after.isEmpty, !before.isEmpty { return [.effect(.composeEnded(chat))] }
        return []
    }

    static func commandLineKey(_ pane: inout ComposeState, _ key: Key) -> [PaneEvent] {
        switch key {
        case _ where pane.buffer.applyEditingKey(key):
            // Deleting the whole line (the "/" included) leaves the command line.
            if pane.buffer.isEmpty, key == .backspace || key == .control("h") { return [.focus(.chats)] }
        case .escape:
            pane.buffer.replace(with: "")
            return [.focus(.chats)]
        case .tab:
            return pane.complete(TabCompletion.complete(pane.buffer.beforeCursor, usernames: nil))
        case .enter:
            let text = pane.buffer.text
            guard text.hasPrefix("/") else { return [.notice(Said.openAChatToSend, isError: true)] }
            return [.submit(text)]
        default: break
        }
        return []
    }
}
