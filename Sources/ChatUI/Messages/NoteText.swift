import ChatAPI
import ChatModel

/// A chat note in words, for its system line: "Bob renamed the chat to “Trip”".
enum NoteText {
    static func text(_ note: ChatNote, _ context: LayoutContext) -> String {
        let actor = note.actorId.map { $0 == context.me.id ? "You" : context.name(of: $0) }
        let users = note.userIds.map { $0 == context.me.id ? "you" : context.name(of: $0) }.joined(separator: ", ")
        switch note.kind {
        case .renamed:
            let title = LayoutContext.oneLine(note.detail ?? "")
            return actor.map { "\($0) renamed the chat to “\(title)”" } ?? "The chat was renamed to “\(title)”"
        case .added: return actor.map { "\($0) added \(users)" } ?? "\(users.capitalizedFirst) joined"
        case .removed: return actor.map { "\($0) removed \(users)" } ?? "\(users.capitalizedFirst) left or was removed"
        case .left: return "\(actor ?? users.capitalizedFirst) left"
        case .imageSet: return actor.map { "\($0) changed the chat's image" } ?? "The chat's image changed"
        case .imageRemoved: return actor.map { "\($0) removed the chat's image" } ?? "The chat's image was removed"
        case .cleared: return actor.map { "\($0) cleared the chat" } ?? "The chat was cleared"
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
