import ChatAPI
import ChatClient
import Foundation

/// The people and chats of the demo, created once on the demo's server and kept between runs.
struct DemoWorld: Codable {
    struct Person: Codable {
        var id: UserID
        var username: String
        var name: String
        var token: String
        var sessionId: UUID
        var deviceId: UUID
    }

    var you: Person
    var companions: [Person]
    var personalChats: [String: ChatID]  // username -> chat with you
    var groupChat: ChatID

    static let password = "demo-password"

    /// Registers everyone and fills the chats: long history to scroll, a group with an
    /// attachment, and an archived chat.
    static func seed(server: URL) async throws -> DemoWorld {
        let anonymous = APIClient(baseURL: server)
        func register(_ username: String, _ name: String) async throws -> (Person, APIClient) {
            let device = DeviceInfo(id: UUID(), name: "demo", model: "termchat demo")
            let info = try await anonymous.register(RegisterRequest(name: name, username: username, password: password, deviceInfo: device))
            guard let session = info.session(for: device.id), let token = session.accessToken else { throw CLIError("The demo server gave no session.") }
            return (Person(id: info.info.id, username: username, name: name, token: token, sessionId: session.id, deviceId: device.id),
                    anonymous.withToken(token))
        }
        let (you, yourAPI) = try await register("guest", "You")
        let (bob, bobAPI) = try await register("bobby", "Bob Builder")
        let (carol, carolAPI) = try await register("carol", "Carol 李")
        let (dave, daveAPI) = try await register("daveo", "Dave")
        let (erin, erinAPI) = try await register("erinn", "Erin")
        func say(_ api: APIClient, _ author: Person, _ chat: ChatID, _ text: String) async throws {
            _ = try await api.postMessage(chat, PostMessageRequest(localId: LocalID.make(author: author.id), text: text))
        }

        let archived = try await erinAPI.createChat(CreateChatRequest(participants: [you.id])).id
        try await say(erinAPI, erin, archived, "Here are the slides from last year's meetup.")
        try await say(yourAPI, you, archived, "Thanks Erin!")
        try await yourAPI.updateSettings(archived, ChatSettingsRequest(isArchived: true))

        let withCarol = try await carolAPI.createChat(CreateChatRequest(participants: [you.id])).id
        for (author, api, text) in [
            (carol, carolAPI, "Did you try the new ramen place? 🍜"), (you, yourAPI, "Not yet — is it good?"),
            (carol, carolAPI, "美味しい! Best broth in town."), (you, yourAPI, "Friday then?"), (carol, carolAPI, "Friday 👍"),
        ] { try await say(api, author, withCarol, text) }

        let group = try await daveAPI.createChat(CreateChatRequest(title: "Weekend hike 🥾", participants: [you.id, bob.id, carol.id], isPersonal: false)).id
        for (author, api, text) in [
            (dave, daveAPI, "Saturday, 8am at the trailhead?"), (bob, bobAPI, "I'm in."), (carol, carolAPI, "Me too, I'll bring snacks."),
            (dave, daveAPI, "Here's the route:"),
        ] { try await say(api, author, group, text) }
        let route = try await daveAPI.postMessage(group, PostMessageRequest(
            localId: LocalID.make(author: dave.id), text: "route.txt", attachment: AttachmentRequest(fileType: "txt", fileSize: DemoWorld.route.utf8.count)
        ))
        if let media = route.attachments?.first {
            let file = NSTemporaryDirectory() + "termchat-demo-route-\(UUID().uuidString).txt"
            try Data(DemoWorld.route.utf8).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            _ = try await daveAPI.upload(file: file, name: media.id.uuidString, fileType: "txt")
            _ = try await daveAPI.editMessage(group, route.id, fileExists: true)
        }

        let withBob = try await bobAPI.createChat(CreateChatRequest(participants: [you.id])).id
        for index in 1...60 {
            let line = DemoWorld.smallTalk[index % DemoWorld.smallTalk.count]
            if index.isMultiple(of: 2) { try await say(yourAPI, you, withBob, line) } else { try await say(bobAPI, bob, withBob, line) }
        }
        try await say(bobAPI, bob, withBob, "Say something — I answer in the demo. Try ? for keys, n for a new chat.")

        return DemoWorld(you: you, companions: [bob, carol, dave, erin], personalChats: ["bobby": withBob, "carol": withCarol, "erinn": archived],
                         groupChat: group)
    }

    static let route = "Trailhead (8:00) -> Pine ridge (9:30) -> Lake (11:00) -> back by 14:00. 12 km, 600 m up.\n"

    static let smallTalk = [
        "How's the new build going?", "Compiling… as always 😅", "Did you see the release notes?",
        "Yes, the WebSocket fix finally landed.", "Lunch later?", "Sure, 12:30?", "Perfect.",
        "Can you review my patch?", "On it.", "LGTM with two nits.", "Merged, thanks!", "Coffee ☕?",
    ]
}
