import ChatTestSupport
import ChatAPI
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every event kind over real WebSocket connections: who receives it, and who does not.
@Suite struct EventStreamTests {
    /// Connects listeners, runs `body`, and closes them whatever happens.
    func withListeners(_ users: [TestUser], on server: TestServer, _ body: ([EventListener]) async throws -> Void) async throws {
        var listeners: [EventListener] = []
        do {
            for user in users { listeners.append(try await EventListener.connect(user, to: server)) }
            try await body(listeners)
        } catch {
            for listener in listeners { await listener.close() }
            throw error
        }
        for listener in listeners { await listener.close() }
    }

    @Test(arguments: StorageBackend.available) func messagesReachEveryParticipantSessionIncludingTheAuthorsAndNoOneElse(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let aliceTablet = try await alice.secondSession(on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            let chat = try await alice.createChat(with: [bob])
            try await withListeners([alice, aliceTablet, bob, eve], on: server) { l in
                let (a, aT, b, e) = (l[0], l[1], l[2], l[3])
                let sent = try await alice.send("hello", in: chat.id)
                for listener in [a, aT, b] {
                    let event = try await listener.next()
                    #expect(event.event == .message(sent))
                    #expect(event.source == .user(alice.id))
                }
                try await e.expectNothingPending()
                for listener in [a, aT, b] { try await listener.expectNothingPending() }
            }
        }
    }

    @Test(arguments: StorageBackend.available) func messageUpdatesForEditDeleteReadAndFileFlags(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            let chat = try await alice.createChat(with: [bob])
            let request = PostMessageRequest(localId: LocalID.make(author: alice.id), text: "v1", attachment: AttachmentRequest(fileType: "txt", fileSize: 3))
            let message = try await alice.http.post(APIPath.messages(chat.id), request).decode(MessageInfo.self)
            try await withListeners([alice, bob, eve], on: server) { l in
                let path = APIPath.message(chat.id, message.id)
                func expectUpdate(_ check: (MessageInfo) -> Bool) async throws {
                    for listener in [l[0], l[1]] {
                        guard case .messageUpdate(let info) = try await listener.next().event else {
                            Issue.record("expected messageUpdate"); return
                        }
                        #expect(info.id == message.id && check(info))
                    }
                }
                _ = try await alice.http.put(path, UpdateMessageRequest(text: "v2", fileExists: false, previewExists: false)).decode(MessageInfo.self)
                try await expectUpdate { $0.text == "v2" && $0.editedAt != nil }
                _ = try await alice.http.put(path, UpdateMessageRequest(fileExists: true, previewExists: false)).decode(MessageInfo.self)
                try await expectUpdate { $0.attachments?.first?.fileExists == true }
                #expect(try await bob.http.put(APIPath.readMessage(chat.id, message.id)).status == 200)
                try await expectUpdate { $0.readMarks?.map(\.user.id) == [bob.id] }
                _ = try await alice.http.delete(path).decode(MessageInfo.self)
                try await expectUpdate { $0.deletedAt != nil && $0.attachments == nil }
                try await l[2].expectNothingPending()
            }
        }
    }

    @Test(arguments: StorageBackend.available) func chatUpdatesOnCreateRenameSettingsAndImages(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            try await withListeners([alice, bob, eve], on: server) { l in
                let (a, b, e) = (l[0], l[1], l[2])
                // [ours] the other participants hear of a new chat; the creator has the answer.
                let group = try await alice.createChat(with: [bob], title: "Plans", isPersonal: false)
                guard case .chatUpdate(let created) = try await b.next().event else { Issue.record("no chatUpdate on create"); return }
                #expect(created.id == group.id && created.title == "Plans")
                try await a.expectNothingPending()

                _ = try await bob.http.put(APIPath.chat(group.id), UpdateChatRequest(title: "Better plans")).decode(ChatInfo.self)
                for listener in [a, b] {
                    guard case .chatUpdate(let info) = try await listener.next().event else { Issue.record("no chatUpdate"); return }
                    #expect(info.title == "Better plans")
                }
                // Settings are the caller's own: only their sessions hear of them, with their flags.
                _ = try await bob.http.put(APIPath.chatSettings(group.id), ChatSettingsRequest(isMuted: true)).decode(ChatInfo.self)
                guard case .chatUpdate(let mine) = try await b.next().event else { Issue.record("no settings update"); return }
                #expect(mine.isMuted)
                try await a.expectNothingPending()

                let image = UUID()
                _ = try await alice.http.request("POST", APIPath.uploads, body: Data("img".utf8), headers: [APIHeader.fileName: image.uuidString, "Content-Type": "png"])
                _ = try await alice.http.post(APIPath.chatImages(group.id), AddChatImageRequest(image: MediaInfo(id: image, fileType: "png", fileSize: 3))).decode(ChatInfo.self)
                for listener in [a, b] {
                    guard case .chatUpdate(let info) = try await listener.next().event else { Issue.record("no image update"); return }
                    #expect(info.images?.first?.id == image)
                }
                // Bob's copy still carries Bob's flags, Alice's carries hers.
                #expect(try await alice.http.delete(APIPath.chatImage(group.id, image)).status == 200)
                guard case .chatUpdate(let forAlice) = try await a.next().event, case .chatUpdate(let forBob) = try await b.next().event else {
                    Issue.record("no image removal update"); return
                }
                #expect(!forAlice.isMuted && forBob.isMuted && forBob.images == nil)
                try await e.expectNothingPending()
            }
        }
    }

    @Test(arguments: StorageBackend.available) func membershipEventsGoToMembersAndNewcomersButNotToTheRemoved(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let carol = try await TestUser.register("Carol", on: server)
            let group = try await alice.createChat(with: [bob], title: "G", isPersonal: false)
            try await withListeners([alice, bob, carol], on: server) { l in
                let (a, b, c) = (l[0], l[1], l[2])
                _ = try await bob.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [carol.id])).decode(ChatInfo.self)
                for listener in [a, b, c] {
                    guard case .addedUsers(let info) = try await listener.next().event else { Issue.record("no addedUsers"); return }
                    #expect(info.addedUsers?.map(\.id) == [carol.id])
                }
                _ = try await alice.http.request("DELETE", APIPath.chatUsers(group.id), json: ChatUsersRequest(users: [carol.id])).decode(ChatInfo.self)
                // The removed member hears of the removal itself (so her devices drop the chat).
                for listener in [a, b, c] {
                    guard case .removedUsers(let info) = try await listener.next().event else { Issue.record("no removedUsers"); return }
                    #expect(info.removedUsers?.map(\.id) == [carol.id])
                }
                try await c.expectNothingPending()
                // Removed members hear nothing more from the chat.
                _ = try await alice.send("after carol", in: group.id)
                _ = try await a.next()
                _ = try await b.next()
                try await c.expectNothingPending()
                // Leaving is a removal too.
                #expect(try await bob.http.delete(APIPath.leaveChat(group.id)).status == 200)
                for listener in [a, b] {
                    guard case .removedUsers(let left) = try await listener.next().event else { Issue.record("no removedUsers on leave"); return }
                    #expect(left.removedUsers?.map(\.id) == [bob.id])
                }
                try await b.expectNothingPending()
            }
        }
    }

    @Test(arguments: StorageBackend.available) func clearedDeletedAndAuxiliaryCarryTheChatId(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            let chat = try await alice.createChat(with: [bob])
            _ = try await alice.send("to be cleared", in: chat.id)
            try await withListeners([alice, bob, eve], on: server) { l in
                let (a, b, e) = (l[0], l[1], l[2])
                #expect(try await bob.http.post(APIPath.notify(chat.id), NotifyRequest(name: TypingNotification.started, realm: .webSocket)).status == 200)
                for listener in [a, b] {
                    let event = try await listener.next()
                    #expect(event.event == .auxiliary(AuxiliaryPayload(name: "typing_started", chatId: chat.id)))
                    #expect(event.source == .user(bob.id))
                }
                #expect(try await alice.http.delete(APIPath.messages(chat.id)).status == 200)
                for listener in [a, b] { #expect(try await listener.next().event == .chatCleared(chat.id)) }
                #expect(try await bob.http.delete(APIPath.chat(chat.id)).status == 200)
                for listener in [a, b] { #expect(try await listener.next().event == .chatDeleted(chat.id)) }
                try await e.expectNothingPending()
            }
        }
    }

    @Test(arguments: StorageBackend.available) func userUpdatesReachContactsOnly(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            _ = try await alice.createChat(with: [bob])
            try await withListeners([alice, bob, eve], on: server) { l in
                let info = try await alice.http.put(APIPath.me, UpdateProfileRequest(about: "on holiday")).decode(UserInfo.self)
                for listener in [l[0], l[1]] { #expect(try await listener.next().event == .userUpdate(info)) }
                try await l[2].expectNothingPending()
            }
        }
    }

    @Test(arguments: StorageBackend.available) func aBlockedChatSendsNothingToTheBlocker(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            try await withListeners([alice, bob], on: server) { l in
                #expect(try await bob.http.put(APIPath.blockChat(chat.id)).status == 200)
                #expect(try await alice.http.post(APIPath.notify(chat.id), NotifyRequest(name: TypingNotification.started)).status == 200)
                _ = try await l[0].next()
                try await l[1].expectNothingPending()
            }
        }
    }

    @Test(arguments: StorageBackend.available) func badTokensAndForeignSessionIdsAreRefusedBeforeTheUpgrade(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let path = APIPath.events(alice.sessionId)
            let noToken = try await RawHTTP.upgradeStatus(port: server.port, path: path, token: nil)
            let badToken = try await RawHTTP.upgradeStatus(port: server.port, path: path, token: "forged")
            let foreign = try await RawHTTP.upgradeStatus(port: server.port, path: path, token: bob.token)
            let notAnId = try await RawHTTP.upgradeStatus(port: server.port, path: "/chats", token: alice.token)
            for status in [noToken, badToken, foreign, notAnId] { #expect((400..<500).contains(status)) }
            #expect(try await RawHTTP.upgradeStatus(port: server.port, path: path, token: alice.token) == 101)
        }
    }

    @Test(arguments: StorageBackend.available) func logoutClosesTheSessionsStream(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let listener = try await EventListener.connect(alice, to: server)
            #expect(try await alice.http.request("POST", APIPath.logout).status == 200)
            try await listener.waitUntilClosed()
            await listener.close()
        }
    }

    /// One account holds at most its share of event streams, so it cannot
    /// take every connection; another account still connects.
    @Test func oneAccountHoldsAtMostItsShareOfStreams() async throws {
        try await withServer(configure: { $0.maxSocketsPerAccount = 3 }) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let path = APIPath.events(alice.sessionId)
            var open: [Int32] = []
            defer { for fd in open { close(fd) } }
            for _ in 0..<3 {
                let (fd, status) = try await RawHTTP.upgrade(port: server.port, path: path, token: alice.token)
                open.append(fd)
                #expect(status == 101)
            }
            // Refused before the upgrade (the framework answers refused upgrades with 400), or,
            // when the check ran before the third stream was counted (the upgrade's 101 goes
            // before the stream is registered), upgraded and at once closed with the reason.
            let (fourth, status) = try await RawHTTP.upgrade(port: server.port, path: path, token: alice.token)
            open.append(fourth)
            if status == 101 {
                let frames = try await offThePool { try RawHTTP.readUntil(fourth, contains: "At most 3 event streams", timeout: 20) }
                #expect(frames, "upgraded past the share and not closed with the reason")
            } else {
                #expect(status == 400)
            }
            // A stream closed frees its place.
            close(open.removeFirst())
            var tries = 0
            while try await RawHTTP.upgradeStatus(port: server.port, path: path, token: alice.token) != 101 {
                tries += 1
                if tries > 500 { Issue.record("the closed stream never freed its place"); break }
                await Task.yield()
            }
            #expect(try await RawHTTP.upgradeStatus(port: server.port, path: APIPath.events(bob.sessionId), token: bob.token) == 101)
        }
    }

    /// Signing in again on the same device replaces the session's token;
    /// the old token's stream ends with it (it kept receiving every message before).
    @Test(arguments: StorageBackend.available) func aReplacedTokensStreamIsClosed(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let listener = try await EventListener.connect(alice, to: server)
            let again = try await alice.secondSession(on: server, sameDevice: true)
            #expect(again.sessionId == alice.sessionId && again.token != alice.token)
            #expect(try await alice.http.request("GET", APIPath.me).status == 401)
            try await listener.waitUntilClosed()
            await listener.close()
            // The new token's stream works.
            let renewed = try await EventListener.connect(again, to: server)
            await renewed.close()
        }
    }

    @Test(arguments: StorageBackend.available) func aPeerThatStopsReadingDoesNotHoldUpOthers(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let stuckBob = try await bob.secondSession(on: server)
            let chat = try await alice.createChat(with: [bob])
            // A raw socket that upgrades and then never reads a byte.
            let (stuck, status) = try await RawHTTP.upgrade(port: server.port, path: APIPath.events(stuckBob.sessionId), token: stuckBob.token)
            defer { close(stuck) }
            #expect(status == 101)
            try await withListeners([bob], on: server) { l in
                let text = String(repeating: "x", count: 2000)
                let count = 400  // ~1 MB of frames: far beyond what the stuck socket's buffers take
                for index in 0..<count { _ = try await alice.send("\(index) \(text)", in: chat.id) }
                for index in 0..<count {
                    guard case .message(let info) = try await l[0].next().event else { Issue.record("not a message"); return }
                    #expect(info.text?.hasPrefix("\(index) ") == true)
                }
            }
        }
    }
}
