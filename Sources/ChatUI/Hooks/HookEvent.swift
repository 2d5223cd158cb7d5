import ChatAPI
import ChatModel
import Foundation

/// Something a `[hooks]` program runs for (a message, a mention of you, the connection): what
/// happened, as named fields. The program gets them as `{name}` placeholders in its arguments
/// and as one JSON object on its standard input.
public struct HookEvent: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case message, mention, connection
    }

    public var kind: Kind
    /// `chat`, `chat_id`, `author`, `username`, `text` for a message or a mention; `state` for
    /// the connection.
    public var fields: [String: String]

    public init(kind: Kind, fields: [String: String]) {
        self.kind = kind
        self.fields = fields
    }

    /// The JSON the program reads: `{"event": kind, …fields}`, keys sorted.
    public var json: Data {
        var object = fields
        object["event"] = kind.rawValue
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// `argv` with each `{name}` replaced by that field: every argument stays one argument,
    /// whatever the text holds (it never reaches a shell: nchat ran back-quoted message text
    /// as a command). Unknown names are left as written.
    public func arguments(_ argv: [String]) -> [String] {
        argv.map { argument in
            var result = ""
            var rest = Substring(argument)
            while let open = rest.firstIndex(of: "{") {
                result += rest[..<open]
                guard let close = rest[open...].firstIndex(of: "}") else { break }
                let name = String(rest[rest.index(after: open)..<close])
                result += fields[name] ?? (name == "event" ? kind.rawValue : "{\(name)}")
                rest = rest[rest.index(after: close)...]
            }
            return result + rest
        }
    }
}

extension Reducer {
    /// New messages from others (the last message of a chat changed), mentions of you among
    /// them, for `[hooks]`; the first list (nothing known before) runs nothing.
    static func hookEvents(old: [ChatSummary], new: [ChatSummary], state: AppState) -> [Effect] {
        guard !old.isEmpty, !state.hooks.isDisjoint(with: [.message, .mention]) else { return [] }
        let before = Dictionary(old.map { ($0.id, $0.lastMessage?.localId) }, uniquingKeysWith: { a, _ in a })
        var effects: [Effect] = []
        for chat in new {
            guard let last = chat.lastMessage, last.authorId != state.me.id, !last.isDeleted,
                  before[chat.id] != .some(last.localId) else { continue }
            let author = state.users[last.authorId]
            let text = last.text?.isEmpty == false ? last.text! : last.attachments.first.map { "📎 " + $0.displayName(caption: nil) } ?? ""
            let fields = ["chat": state.title(of: chat), "chat_id": chat.id.uuidString.lowercased(), "author": state.name(of: last.authorId),
                          "username": author?.username ?? "", "text": text]
            if state.hooks.contains(.message) { effects.append(.hook(HookEvent(kind: .message, fields: fields))) }
            if state.hooks.contains(.mention), Mentions.mention(state.me, in: last.text ?? "") {
                effects.append(.hook(HookEvent(kind: .mention, fields: fields)))
            }
        }
        return effects
    }

    /// The connection's new state, for `[hooks] on_connection`.
    static func connectionHook(old: EngineStatus.Connection, new: EngineStatus.Connection, hooks: Set<HookEvent.Kind>) -> [Effect] {
        guard hooks.contains(.connection) else { return [] }
        func name(_ connection: EngineStatus.Connection) -> String {
            switch connection {
            case .offline: "offline"
            case .connecting: "connecting"
            case .online: "online"
            case .retrying: "retrying"
            case .signedOut: "signed out"
            }
        }
        guard name(old) != name(new) else { return [] }
        return [.hook(HookEvent(kind: .connection, fields: ["state": name(new)]))]
    }
}
