import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// The status line: the connection, the account, what is queued or unread, and the notice.
enum StatusBar {
    static func draw(_ state: AppState, into canvas: inout Canvas, in bar: Rect, theme: Theme) {
        if state.screenReader != nil { return SpokenScreen.drawStatus(state, into: &canvas, in: bar, theme: theme) }
        canvas.fill(bar, style: theme.status)
        var text = " " + connection(state) + " │ \(state.me.username)@\(state.server)"
        if state.queuedTotal > 0 { text += " │ \(state.queuedTotal) queued" }
        if state.engine.pendingChanges > 0 {
            text += " │ \(state.engine.pendingChanges) change\(state.engine.pendingChanges == 1 ? "" : "s") pending"
        }
        let failed = state.chats.reduce(0) { $0 + $1.failedCount }
        if failed > 0 { text += " │ \(failed) failed" }
        let refused = state.engine.failedChanges.count
        if refused > 0 { text += " │ \(refused) change\(refused == 1 ? "" : "s") not done (settings)" }
        let unread = state.unreadTotals
        if unread.messages > 0 { text += " │ \(unread.messages.grouped) unread in \(unread.chats.grouped) chat\(unread.chats == 1 ? "" : "s")" }
        if state.alerts.doNotDisturb { text += " │ do not disturb" }
        let used = canvas.write(text, row: bar.row, column: bar.column, width: bar.width, style: theme.status)
        if let notice = state.notice, used + 4 < bar.width {
            let rest = bar.insetLeft(used)
            canvas.write(" │ " + notice.text, in: rest, style: notice.isError ? theme.statusError : theme.status)
        }
    }

    static func connection(_ state: AppState) -> String {
        switch state.engine.connection {
        case .online:
            if let progress = state.engine.syncProgress {
                return "● syncing chats \(progress.done.grouped) of \(progress.total.grouped)"
            }
            return state.engine.isCaughtUp ? "● online" : "● syncing"
        case .connecting: return "◌ connecting"
        case .offline: return "○ offline"
        case .retrying(let at):
            let seconds = max(0, Int(at.timeIntervalSince(state.now).rounded(.up)))
            return "○ offline, retrying in \(seconds)s"
        case .signedOut: return "✗ signed out"
        }
    }
}
