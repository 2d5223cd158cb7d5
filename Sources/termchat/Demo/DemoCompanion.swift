import ChatAPI
import ChatClient
import Foundation
import Logging

/// Bob (and Carol, in the group) answer what you write, showing "typing…" first, so every
/// live feature of the client is visible in the demo.
struct DemoCompanion {
    let world: DemoWorld
    let server: URL

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for person in world.companions where ["bobby", "carol"].contains(person.username) {
                group.addTask { await listen(as: person) }
            }
        }
    }

    private func listen(as person: DemoWorld.Person) async {
        let api = APIClient(baseURL: server, token: person.token)
        var logger = Logger(label: "termchat-demo-companion")
        logger.logLevel = .critical
        let stream = EventStream(api: api, sessionId: person.sessionId, logger: logger)
        var replies = 0
        for await signal in stream.signals() {
            guard case .event(let envelope) = signal, case .message(let message) = envelope.event,
                  message.authorId == world.you.id, shouldAnswer(person, in: message.chatId)
            else { continue }
            replies += 1
            try? await api.notify(message.chatId, name: TypingNotification.started)
            try? await Task.sleep(for: .milliseconds(person.username == "bobby" ? 1500 : 2500))
            let text = Self.reply(to: message.text ?? "", as: person, turn: replies)
            _ = try? await api.postMessage(message.chatId, PostMessageRequest(localId: LocalID.make(author: person.id), text: text))
        }
    }

    private func shouldAnswer(_ person: DemoWorld.Person, in chat: ChatID) -> Bool {
        if chat == world.groupChat { return true }
        return world.personalChats[person.username] == chat
    }

    static func reply(to text: String, as person: DemoWorld.Person, turn: Int) -> String {
        let lower = text.lowercased()
        if person.username == "carol" { return ["👍", "Sounds good!", "😄", "Agreed."][turn % 4] }
        if ["hi", "hello", "hey", "yo"].contains(where: { lower.hasPrefix($0) }) { return "Hey! 👋 Good to see you here." }
        if lower.contains("?") { return "Good question. Let me think… I'd say yes!" }
        let answers = [
            "Ha, nice. Tell me more.", "Totally agree.", "Interesting — I hadn't thought of that.",
            "Noted! Try /attach with a file next.", "You can archive this chat with a and find it with A.",
        ]
        return answers[turn % answers.count]
    }
}
