import ChatAPI
import ChatClient
import ChatTestSupport
import Foundation
import Testing

/// Every typed call against the real server.
@Suite struct APIClientTests {
    func signUp(_ name: String, _ server: TestServer) async throws -> (APIClient, PrivateUserInfo, UUID) {
        let device = DeviceInfo(id: UUID(), name: "test", model: "swift")
        let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
        let username = UniqueName.make(name.lowercased())
        let info = try await anonymous.register(RegisterRequest(name: name, username: username, password: "password1", deviceInfo: device))
        let session = try #require(info.session(for: device.id))
        return (anonymous.withToken(session.accessToken), info, session.id)
    }

    @Test func everyRouteIsReachable() async throws {
        try await withServer { server in
            let (alice, aliceInfo, _) = try await signUp("Alice", server)
            let (bob, bobInfo, _) = try await signUp("Bob", server)
            let (_, carolInfo, _) = try await signUp("Carol", server)
            let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
            let device = DeviceInfo(id: UUID(), name: "second", model: "swift")
            let relogin = try await anonymous.login(username: aliceInfo.info.username, password: "password1", device: device)
            #expect(relogin.session(for: device.id)?.accessToken != nil)
            #expect(try await alice.me().info.id == aliceInfo.info.id)
            #expect(try await alice.updateProfile(UpdateProfileRequest(about: "hi")).about == "hi")
            try await alice.updateDevice(name: "laptop")
            #expect(try await alice.user(bobInfo.info.id).name == "Bob")
            #expect(try await alice.searchUsers("bob").map(\.id) == [bobInfo.info.id])

            let group = try await alice.createChat(CreateChatRequest(title: "G", participants: [bobInfo.info.id], isPersonal: false))
            #expect(try await alice.chats().map(\.id) == [group.id])
            #expect(try await bob.chat(group.id).title == "G")
            #expect(try await bob.renameChat(group.id, title: "H").title == "H")
            try await alice.updateSettings(group.id, ChatSettingsRequest(isMuted: true))
            #expect(try await alice.chat(group.id).isMuted)
            let image = UUID()
            let file = NSTemporaryDirectory() + "img-\(UUID().uuidString).png"
            try Data("png!".utf8).write(to: URL(fileURLWithPath: file))
            #expect(try await alice.upload(file: file, name: image.uuidString, fileType: "png") == "\(image.uuidString).png")
            #expect(try await alice.addChatImage(group.id, image: MediaInfo(id: image, fileType: "png", fileSize: 4)).images?.count == 1)
            try await alice.removeChatImage(group.id, media: image)
            #expect(try await alice.addUsers(group.id, [carolInfo.info.id]).addedUsers?.count == 1)
            #expect(try await alice.removeUsers(group.id, [carolInfo.info.id]).removedUsers?.count == 1)
            try await alice.blockUser(group.id, bobInfo.info.id)
            #expect(try await alice.blockedUsers(group.id).map(\.id) == [bobInfo.info.id])
            try await alice.unblockUser(group.id, bobInfo.info.id)

            let sent = try await bob.postMessage(group.id, PostMessageRequest(localId: LocalID.make(author: bobInfo.info.id), text: "yo"))
            #expect(try await alice.messages(group.id).map(\.id) == [sent.id])
            #expect(try await bob.editMessage(group.id, sent.id, text: "yo!").text == "yo!")
            try await alice.markRead(group.id, sent.id)
            try await alice.notify(group.id, name: TypingNotification.started)
            #expect(try await bob.deleteMessage(group.id, sent.id).deletedAt != nil)
            try await alice.clearMessages(group.id)
            try await bob.blockChat(group.id)
            try await bob.unblockChat(group.id)
            let personal = try await alice.createChat(CreateChatRequest(participants: [bobInfo.info.id]))
            try await bob.deleteChat(personal.id)
            try await alice.changePassword(old: "password1", new: "password2")
            let group2 = try await alice.createChat(CreateChatRequest(title: "K", participants: [bobInfo.info.id], isPersonal: false))
            try await bob.leaveChat(group2.id)
            try await alice.logout()
            await #expect(throws: ClientError.self) { try await alice.me() }
        }
    }

    @Test func errorsCarryTheServersReason() async throws {
        try await withServer { server in
            let (alice, _, _) = try await signUp("Alice", server)
            do {
                _ = try await alice.createChat(CreateChatRequest(participants: [424242]))
                Issue.record("expected an error")
            } catch let error as ClientError {
                #expect(error == .server(status: 404, reason: "No user with id 424242."))
                #expect(error.userMessage == "No user with id 424242.")
                #expect(!error.isRetryable)
            }
            let nowhere = APIClient(baseURL: URL(string: "http://127.0.0.1:1")!)
            do {
                _ = try await nowhere.me()
                Issue.record("expected an error")
            } catch let error as ClientError {
                guard case .unreachable = error else { Issue.record("expected unreachable, got \(error)"); return }
                #expect(error.isRetryable)
                #expect(error.userMessage.hasPrefix("Cannot reach the server"))
            }
        }
    }

    @Test func uploadsAndDownloadsStreamWithProgress() async throws {
        try await withServer { server in
            let (alice, _, _) = try await signUp("Alice", server)
            let size = 3_000_000
            let source = NSTemporaryDirectory() + "up-\(UUID().uuidString).bin"
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try bytes.write(to: URL(fileURLWithPath: source))
            let media = UUID()
            let uploadProgress = ProgressLog()
            let name = try await alice.upload(file: source, name: media.uuidString, fileType: "bin") { done, total in
                uploadProgress.append(done, total)
            }
            #expect(name == "\(media.uuidString).bin")
            #expect(uploadProgress.last?.done == Int64(size))
            #expect(uploadProgress.isMonotonic)

            let destination = NSTemporaryDirectory() + "down-\(UUID().uuidString).bin"
            let downloadProgress = ProgressLog()
            try await alice.download(name, to: destination) { done, total in downloadProgress.append(done, total) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == bytes)
            #expect(downloadProgress.last?.done == Int64(size))

            await #expect(throws: ClientError.server(status: 404, reason: "No such route or resource.")) {
                try await alice.download("\(UUID().uuidString).bin", to: destination + ".missing")
            }
            #expect(!FileManager.default.fileExists(atPath: destination + ".missing"))
            await #expect(throws: ClientError.localFile("Cannot read /nonexistent.")) {
                try await alice.upload(file: "/nonexistent", name: media.uuidString, fileType: "bin")
            }
        }
    }
}

/// Progress callbacks as they came.
final class ProgressLog: Sendable {
    private let entries = Mutex<[(done: Int64, total: Int64)]>([])
    func append(_ done: Int64, _ total: Int64) { entries.withLock { $0.append((done, total)) } }
    var last: (done: Int64, total: Int64)? { entries.withLock { $0.last } }
    var isMonotonic: Bool { entries.withLock { zip($0, $0.dropFirst()).allSatisfy { $0.done <= $1.done } } }
}

import Synchronization

/// A download the server answers with an informational status, or nothing, and then nothing.
@Suite struct HangingDownloadTests {
    @Test(.timeLimit(.minutes(1))) func aDownloadAnsweredWithSwitchingProtocolsFailsInsteadOfWaiting() async throws {
        try await withServer { server in
            let proxy = ManglingProxy(to: server.port, hangingWith: "HTTP/1.1 101 Switching Protocols\r\n\r\n") { $0.hasPrefix("GET ") }
            defer { proxy.release(); proxy.stop() }
            var client = APIClient(baseURL: URL(string: "http://127.0.0.1:\(proxy.port)")!, token: "none")
            client.transferStallTimeout = .seconds(3)
            let destination = NSTemporaryDirectory() + "hanging-\(UUID().uuidString).png"
            await #expect(throws: ClientError.server(status: 101, reason: "The server answered 101 instead of the file.")) {
                try await client.download("\(UUID().uuidString).png", to: destination)
            }
            #expect(!FileManager.default.fileExists(atPath: destination))
        }
    }

    @Test(.timeLimit(.minutes(1))) func aDownloadNothingArrivesForIsStoppedAfterTheStallTimeout() async throws {
        try await withServer { server in
            let proxy = ManglingProxy(to: server.port, hangingWith: "") { $0.hasPrefix("GET ") }
            defer { proxy.release(); proxy.stop() }
            var client = APIClient(baseURL: URL(string: "http://127.0.0.1:\(proxy.port)")!, token: "none")
            client.transferStallTimeout = .seconds(2)
            let destination = NSTemporaryDirectory() + "stalled-\(UUID().uuidString).png"
            await #expect(throws: ClientError.unreachable("Nothing arrived for 2 s; the transfer was stopped.")) {
                try await client.download("\(UUID().uuidString).png", to: destination)
            }
            #expect(!FileManager.default.fileExists(atPath: destination))
        }
    }
}

/// A kept-alive connection the server closed (here: the server restarted on its port between
/// two calls) is not the person's problem: the call goes out again on a new connection.
@Suite struct KeptAliveConnectionTests {
    @Test func aCallAfterTheServerRestartedOnItsPortIsAnswered() async throws {
        var server = try await TestServer.startRestartable()
        let device = DeviceInfo(id: UUID(), name: "test", model: "swift")
        let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
        let info = try await anonymous.register(RegisterRequest(name: "Kept", username: UniqueName.make("kept"), password: "password1",
                                                                deviceInfo: device))
        let api = anonymous.withToken(try #require(info.session(for: device.id)).accessToken)
        for _ in 0..<5 {
            _ = try await api.me()  // a connection kept alive in the pool
            await server.stop()
            server = try await TestServer.restart(server)
            #expect(try await api.me().info.id == info.info.id)
        }
        await server.stop()
    }
}
