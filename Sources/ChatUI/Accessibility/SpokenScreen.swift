import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// What screen-reader mode draws in words where the usual screen has glyphs: the status line,
/// a chat in the list, and what is left of box drawing (blanked).
enum SpokenScreen {
    /// Box drawing (U+2500–U+257F) and block elements (U+2580–U+259F): read aloud as noise.
    static func isDrawing(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
        return (0x2500...0x259F).contains(scalar.value)
    }

    /// The status line as sentences. It changes only when what it says does: no countdown.
    static func drawStatus(_ state: AppState, into canvas: inout Canvas, in bar: Rect, theme: Theme) {
        var parts = [connection(state), "\(state.me.username) at \(state.server)"]
        if state.queuedTotal > 0 { parts.append("\(state.queuedTotal.counted("message")) queued") }
        if state.engine.pendingChanges > 0 { parts.append("\(state.engine.pendingChanges.counted("change")) pending") }
        let failed = state.chats.reduce(0) { $0 + $1.failedCount }
        if failed > 0 { parts.append("\(failed.counted("message")) not sent") }
        if !state.engine.failedChanges.isEmpty { parts.append("\(state.engine.failedChanges.count.counted("change")) not done, see settings") }
        let unread = state.unreadTotals
        if unread.messages > 0 { parts.append("\(unread.messages.counted("unread message")) in \(unread.chats.counted("chat"))") }
        if state.alerts.doNotDisturb { parts.append("do not disturb") }
        if let notice = state.notice { parts.append(notice.text) }
        canvas.write(TextWidth.truncate(parts.joined(separator: ". ") + ".", to: bar.width), in: bar,
                     style: state.notice?.isError == true ? theme.statusError : .plain)
    }

    static func connection(_ state: AppState) -> String {
        switch state.engine.connection {
        case .online:
            if let progress = state.engine.syncProgress { return "Syncing chats, \(progress.done.grouped) of \(progress.total.grouped)" }
            return state.engine.isCaughtUp ? "Online" : "Syncing"
        case .connecting: return "Connecting"
        case .offline: return "Offline"
        case .retrying: return "Offline, retrying"
        case .signedOut: return "Signed out"
        }
    }

    /// A chat in the list, one line: its name, what is marked on it, and its last message.
    static func chatLine(_ chat: ChatSummary, _ state: AppState) -> String {
        var marks: [String] = []
        if chat.unreadCount > 0 { marks.append("\(chat.unreadCount) unread") }
        if state.mentionedChats.contains(chat.id) { marks.append("mentions you") }
        if chat.isMuted { marks.append("muted") }
        if chat.isBlocked { marks.append("blocked") }
        if chat.queuedCount > 0 { marks.append("\(chat.queuedCount) queued") }
        if chat.failedCount > 0 { marks.append("\(chat.failedCount) not sent") }
        var line = state.title(of: chat) + (marks.isEmpty ? "" : ", " + marks.joined(separator: ", "))
        if let typing = state.engine.typing[chat.id], !typing.isEmpty {
            line += ": " + typing.sorted().map { state.name(of: $0) }.joined(separator: ", ") + " typing"
        } else if let last = chat.lastMessage {
            let who = last.authorId == state.me.id ? "You" : state.name(of: last.authorId)
            let text = last.isDeleted ? "message deleted"
                : (last.text?.isEmpty == false ? last.text! : last.attachments.first.map { "attachment " + $0.displayName(caption: nil) } ?? "")
            line += ". Last, \(who): " + DisplayableText.make(text).replacingOccurrences(of: "\n", with: " ")
        } else {
            line += ". No messages yet"
        }
        return line
    }

    /// A heading with its arrows and dots in words.
    static func words(_ heading: String) -> String {
        heading.replacing(#/ · ↑ ?([\d,]+) more/#) { ", \($0.1) more above" }
            .replacing(#/ · ↓ ?([\d,]+) more/#) { ", \($0.1) more below" }
            .replacing(#/ · ↑([\d,]+) ↓([\d,]+)/#) { ", \($0.1) more above, \($0.2) more below" }
            .replacingOccurrences(of: " · ", with: ", ")
    }
}
