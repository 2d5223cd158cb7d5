import ChatUI

/// What the drawing loop takes: the reducer's actions, and the pacer's wake-ups.
enum LoopInput: Sendable {
    case action(Action)
    case frameDue

    /// A change nobody is waiting for this instant (the typing line, the connection, a
    /// clock): drawn at once only with the frame budget whole (see `FramePacer`).
    static func canWait(_ action: Action) -> Bool {
        switch action {
        case .engineStatusChanged, .clockTicked: true
        default: false
        }
    }

    /// For a new value of an observation, which pending input it replaces (the older value
    /// of the same observation): a loop that falls behind holds the newest of each, as the
    /// observations' own streams did, not a backlog.
    static func superseded(by action: Action) -> ((LoopInput) -> Bool)? {
        switch action {
        case .chatListChanged:
            return { if case .action(.chatListChanged) = $0 { true } else { false } }
        case .usersChanged:
            return { if case .action(.usersChanged) = $0 { true } else { false } }
        case .engineStatusChanged:
            return { if case .action(.engineStatusChanged) = $0 { true } else { false } }
        case .windowChanged(let chat, _):
            return { if case .action(.windowChanged(chat, _)) = $0 { true } else { false } }
        case .notesChanged(let chat, _):
            return { if case .action(.notesChanged(chat, _)) = $0 { true } else { false } }
        default:
            return nil
        }
    }
}
