import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// One message in full: who sent it and when, edits and deletion, where it stands, who read
/// it and when, its attachments.
enum DetailsOverlay {
    static func lines(_ message: CachedMessage, _ state: AppState) -> [(String, String)] {
        let clock = LocalClock(timeZone: state.timeZone)
        let author = state.users[message.authorId].map { "\(state.name(of: $0.id)) (@\($0.username))" }
            ?? (message.authorId == state.me.id ? "\(state.me.name) (@\(state.me.username))" : state.name(of: message.authorId))
        var lines: [(String, String)] = [("From", author), ("Sent", clock.full(message.createdAt))]
        if let edited = message.editedAt { lines.append(("Edited", clock.full(edited))) }
        if let deleted = message.deletedAt { lines.append(("Deleted", clock.full(deleted))) }
        let delivery: String = switch message.state {
        case .queued: "◷ queued: it is sent when the server can be reached"
        case .failed: "✗ not sent: \(message.failureReason ?? "refused")"
        case .sent: message.readBy.contains { $0 != message.authorId } ? "✓✓ sent and read" : "✓ sent"
        }
        lines.append(("Delivery", delivery))
        let readers = message.readBy.filter { $0 != message.authorId }
        if readers.isEmpty {
            lines.append(("Read by", message.state == .sent ? "nobody yet" : "—"))
        } else {
            for (index, reader) in readers.enumerated() {
                let when = message.readAt[reader].map { " at " + clock.full($0) } ?? ""
                lines.append((index == 0 ? "Read by" : "", state.name(of: reader) + when))
            }
        }
        for (index, attachment) in message.attachments.enumerated() {
            lines.append((index == 0 ? "Attachments" : "", ConversationLayout.describe(attachment, caption: message.text)))
        }
        if let id = message.serverId { lines.append(("Message id", String(id))) }
        return lines
    }

    static func draw(_ message: CachedMessage, _ state: AppState, into canvas: inout Canvas, in screen: Rect, theme: Theme) {
        let all = lines(message, state)
        let box = OverlayFrame.draw(height: min(screen.height - 4, all.count + 3), width: min(screen.width - 4, 72), in: screen, into: &canvas, theme: theme)
        let (title, rest) = box.splitTop(1)
        canvas.write(" Message details — any key closes", in: title, style: theme.selected)
        let rows = rest.splitTop(1).rest.slices(of: 1)
        for (row, line) in zip(rows, all) {
            let (label, value) = row.splitLeft(14)
            canvas.write(" " + line.0, in: label, style: theme.accent)
            canvas.write(line.1, in: value)
        }
    }
}
