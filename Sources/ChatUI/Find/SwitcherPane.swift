import ChatAPI
import ChatModel
import Foundation
import TerminalUI

/// Where the quick switcher goes: a chat, or a person with no chat yet.
public enum SwitcherTarget: Equatable, Sendable {
    case chat(ChatID)
    case person(UserInfo)
}

/// One name the switcher can find, folded once when it opens.
struct SwitcherCandidate: Equatable, Sendable {
    var target: SwitcherTarget
    var name: String
    var detail: String
    var names: [FuzzyMatch.Prepared]
    var lastActivity: Date
}

/// The quick switcher's own state: what is typed and the ranked names.
public struct SwitcherState: Equatable, Sendable {
    public var input = ComposeBuffer()
    public var selected = 0
    var candidates: [SwitcherCandidate]
    var results: [SwitcherCandidate] = []

    /// Every chat, then everyone known with no personal chat with you yet.
    init(chats: [ChatSummary], users: [UserID: UserInfo], me: UserID, title: (ChatSummary) -> String) {
        var candidates = chats.map { chat in
            let name = title(chat)
            let other = chat.isPersonal ? chat.memberIds.first { $0 != me }.flatMap { users[$0] } : nil
            let detail = other.map { "@" + $0.username } ?? (chat.isPersonal ? "personal" : "group · \(chat.memberIds.count.counted("member"))")
                + (chat.isArchived ? " · archived" : "")
            return SwitcherCandidate(target: .chat(chat.id), name: name, detail: detail,
                                     names: [FuzzyMatch.Prepared(name)] + (other.map { [FuzzyMatch.Prepared($0.username)] } ?? []),
                                     lastActivity: chat.lastActivity)
        }
        let talkedTo = Set(chats.filter(\.isPersonal).flatMap(\.memberIds))
        for user in users.values where user.id != me && !talkedTo.contains(user.id) {
            candidates.append(SwitcherCandidate(target: .person(user), name: user.name, detail: "@\(user.username) · new chat",
                                                names: [FuzzyMatch.Prepared(user.name), FuzzyMatch.Prepared(user.username)],
                                                lastActivity: .distantPast))
        }
        self.candidates = candidates
        rank()
    }

    /// Ranks by the match, then by recent activity; with nothing typed, the recent chats.
    /// Per keystroke over thousands of names: scores go into small (score, activity, index)
    /// triples, so neither matching nor sorting copies a candidate or allocates per name.
    mutating func rank() {
        let needle = FuzzyMatch.needle(input.text)
        var scored: [(score: Int, activity: Double, index: Int)] = []
        scored.reserveCapacity(candidates.count)
        for index in candidates.indices {
            var best = Int.min
            for name in candidates[index].names {
                if let score = name.score(needle), score > best { best = score }
            }
            if best != Int.min { scored.append((best, candidates[index].lastActivity.timeIntervalSinceReferenceDate, index)) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.activity > $1.activity }
        results = scored.prefix(50).map { candidates[$0.index] }
        selected = min(selected, max(0, results.count - 1))
    }
}

enum SwitcherReducer {
    static func key(_ switcher: inout SwitcherState, _ key: Key) -> (events: [PaneEvent], closes: Bool) {
        switch key {
        case .escape: return ([], true)
        case .up: switcher.selected = max(0, switcher.selected - 1)
        case .down, .tab: switcher.selected = min(max(0, switcher.results.count - 1), switcher.selected + 1)
        case .enter:
            guard switcher.results.indices.contains(switcher.selected) else { return ([], false) }
            switch switcher.results[switcher.selected].target {
            case .chat(let chat): return ([.open(chat, focus: .compose)], true)
            case .person(let user): return ([.effect(.createChat(usernames: [user.username], title: nil))], true)
            }
        case .paste(let text):
            switcher.input.insert(text.replacingOccurrences(of: "\n", with: " "))
            switcher.selected = 0
            switcher.rank()
        case _ where switcher.input.applyEditingKey(key):
            switcher.selected = 0
            switcher.rank()
        default: break
        }
        return ([], false)
    }
}

enum SwitcherOverlay {
    static func draw(_ switcher: SwitcherState, into canvas: inout Canvas, in screen: Rect, theme: Theme) {
        let box = OverlayFrame.draw(height: min(screen.height - 4, 16), width: min(screen.width - 4, 64), in: screen, into: &canvas, theme: theme)
        canvas.write(" Go to — type a few letters · ↑↓ · Enter opens · Esc", in: box.line(0), style: theme.selected)
        let input = box.line(1)
        let used = canvas.write(" To: ", in: input, style: theme.accent)
        canvas.write(switcher.input.text, in: input.insetLeft(used))
        canvas.cursor = (input.row, input.column + used + min(TextWidth.of(switcher.input.beforeCursor), max(0, input.width - used - 1)))
        let rows = box.splitTop(2).rest.slices(of: 1)
        if switcher.results.isEmpty {
            canvas.write(" Nobody and no chat matches.", in: rows.first ?? input, style: theme.dim)
        }
        for (index, (row, candidate)) in zip(rows, switcher.results).enumerated() {
            let selected = index == switcher.selected
            if selected { canvas.fill(row, style: theme.selected) }
            let used = canvas.write(" " + TextWidth.truncate(candidate.name, to: max(1, row.width * 2 / 3)), in: row, style: selected ? theme.selected : CellStyle(bold: true))
            canvas.write("  " + candidate.detail, in: row.insetLeft(used), style: selected ? theme.selected : theme.dim)
        }
    }
}
