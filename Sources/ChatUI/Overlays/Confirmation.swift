import ChatAPI
import Foundation
import TerminalUI

/// A destructive action that waits for a yes: `y` or Enter runs `effects`, any other key
/// cancels. The question names the chat or message it acts on.
public struct Confirmation: Equatable, Sendable {
    public var question: String
    public var effects: [Effect]
    /// The compose box's text went into the effects (a long text sent as a file): a yes empties it.
    public var clearsCompose = false

    public init(question: String, effects: [Effect], clearsCompose: Bool = false) {
        self.question = question
        self.effects = effects
        self.clearsCompose = clearsCompose
    }

    /// Whether `key` says yes.
    static func confirms(_ key: Key) -> Bool {
        key == .enter || key == .character("y") || key == .character("Y")
    }
}

/// What can be destroyed, named so that the question can say what it acts on.
public enum DestructiveAction: Equatable, Sendable {
    case clear, deleteChat, leave, removeFromDevice, blockChat, logout
    case deleteMessage(localId: String, text: String)
    /// Another device of the account, by the start of its session id.
    case signOutDevice(id: String, name: String)
    /// A change the server refused, by its queue position.
    case discardChange(seq: Int64, what: String)
}

/// What a one-line prompt asks for, and so what its answer does.
public enum PromptPurpose: Equatable, Sendable {
    case renameChat(ChatID)
    case addUsers(ChatID)
    case removeUsers(ChatID)
    case blockUser(ChatID)
    case unblockUser(ChatID)
    case chatImage(ChatID)
    case name
    case about
    case deviceName
    case currentPassword
    case newPassword(current: String)
    case repeatPassword(current: String, new: String)

    /// Passwords are never shown, drafted or logged.
    public var isMasked: Bool {
        switch self {
        case .currentPassword, .newPassword, .repeatPassword: true
        default: false
        }
    }
}

/// A one-line prompt: its question and what has been typed (as the compose box edits it).
public struct PromptState: Equatable, Sendable {
    public var purpose: PromptPurpose
    public var label: String
    public var input: ComposeBuffer

    public init(_ purpose: PromptPurpose, label: String, text: String = "") {
        self.purpose = purpose
        self.label = label
        self.input = ComposeBuffer(text)
    }

    /// Tab's answer for a path: one match whole, several what they share (and their names said).
    mutating func completePath(prefix: String, candidates: [String]) -> [PaneEvent] {
        guard let first = candidates.first else { return [.notice(Said.noFileMatches(prefix), isError: true)] }
        if candidates.count == 1 {
            input.replace(with: first)
            return []
        }
        let common = candidates.dropFirst().reduce(first) { $0.commonPrefix(with: $1) }
        if common.count > prefix.count { input.replace(with: common) }
        return [.notice(candidates.map { ($0 as NSString).lastPathComponent }.joined(separator: "  "), isError: false)]
    }
}
