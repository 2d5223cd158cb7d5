import ChatTestSupport
import ChatAPI
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Who may read what, and what outlives what: the holes a probe of the server found.
@Suite struct AccessRuleTests {
    func upload(_ user: TestUser, _ name: String, type: String = "png", _ body: String) async throws -> HTTPClient.Reply {
        try await user.http.request("POST", APIPath.uploads, body: Data(body.utf8), headers: [APIHeader.fileName: name, "Content-Type": type])
    }

    /// Posts a message with an attachment and uploads its file (and a preview).
    func postAttachment(_ user: TestUser, in chat: ChatID, bytes: String = "file bytes") async throws -> (MessageInfo, MediaInfo) {
        let request = PostMessageRequest(
            localId: LocalID.make(author: user.id), text: "see file",
            attachment: AttachmentRequest(fileType: "png", fileSize: bytes.utf8.count, fileName: "holiday photo.png")
        )
        let message = try await user.http.post(APIPath.messages(chat), request).decode(MessageInfo.self)
        let media = try #require(message.attachments?.first)
        #expect(try await upload(user, media.id.uuidString, bytes).status == 200)
        #expect(try await upload(user, media.id.uuidString + "-preview", type: "jpg", "small").status == 200)
        return (message, media)
    }

    func filesOnDisk(_ server: TestServer) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: server.dataDirectory + "/files")) ?? [])
    }

    @Test(arguments: StorageBackend.available) func filesAreServedOnlyToParticipantsAndTheUploader(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let carol = try await TestUser.register("Carol", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            let group = try await alice.createChat(with: [bob, carol], title: "G", isPersonal: false)
            let (_, early) = try await postAttachment(alice, in: group.id)
            #expect(early.fileName == "holiday photo.png")
            let image = UUID()
            #expect(try await upload(alice, image.uuidString, "icon").status == 200)
            _ = try await alice.http.post(APIPath.chatImages(group.id), AddChatImageRequest(image: MediaInfo(id: image, fileType: "png", fileSize: 4))).decode(ChatInfo.self)

            for reader in [alice, bob, carol] {
                #expect(try await reader.http.get(APIPath.file(early.storedFileName)).text == "file bytes")
                #expect(try await reader.http.get(APIPath.file(image.uuidString + ".png")).text == "icon")
            }
            // A stranger learns nothing, not even that the files exist.
            for name in [early.storedFileName, early.id.uuidString + "-preview.jpg", image.uuidString + ".png"] {
                let reply = try await eve.http.get(APIPath.file(name))
                #expect(reply.status == 404)
                #expect(try reply.errorReason() == "No such file.")
            }
            // A removed member reads neither what came before nor what came after.
            _ = try await alice.http.request("DELETE", APIPath.chatUsers(group.id), json: ChatUsersRequest(users: [carol.id])).decode(ChatInfo.self)
            let (_, late) = try await postAttachment(alice, in: group.id, bytes: "after carol")
            #expect(try await carol.http.get(APIPath.file(late.storedFileName)).status == 404)
            #expect(try await carol.http.get(APIPath.file(early.storedFileName)).status == 404)
            #expect(try await bob.http.get(APIPath.file(late.storedFileName)).text == "after carol")
            // An upload not yet used anywhere is its uploader's alone.
            let free = UUID()
            #expect(try await upload(eve, free.uuidString, "eve's").status == 200)
            #expect(try await eve.http.get(APIPath.file(free.uuidString + ".png")).text == "eve's")
            #expect(try await alice.http.get(APIPath.file(free.uuidString + ".png")).status == 404)
        }
    }

    @Test(arguments: StorageBackend.available) func filesOfDeletedMessagesClearedChatsAndDeletedChatsAreRemoved(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let group = try await alice.createChat(with: [bob], title: "G", isPersonal: false)

            let (message, deleted) = try await postAttachment(alice, in: group.id)
            _ = try await alice.http.delete(APIPath.message(group.id, message.id)).decode(MessageInfo.self)
            for reader in [alice, bob] { #expect(try await reader.http.get(APIPath.file(deleted.storedFileName)).status == 404) }
            #expect(!filesOnDisk(server).contains { $0.hasPrefix(deleted.id.uuidString) })

            let (_, cleared) = try await postAttachment(alice, in: group.id)
            #expect(try await alice.http.delete(APIPath.messages(group.id)).status == 200)
            #expect(try await bob.http.get(APIPath.file(cleared.storedFileName)).status == 404)
            #expect(!filesOnDisk(server).contains { $0.hasPrefix(cleared.id.uuidString) })

            let removedImage = UUID()
            #expect(try await upload(alice, removedImage.uuidString, "old icon").status == 200)
            _ = try await alice.http.post(APIPath.chatImages(group.id), AddChatImageRequest(image: MediaInfo(id: removedImage, fileType: "png", fileSize: 8))).decode(ChatInfo.self)
            #expect(try await alice.http.delete(APIPath.chatImage(group.id, removedImage)).status == 200)
            #expect(try await alice.http.get(APIPath.file(removedImage.uuidString + ".png")).status == 404)

            let image = UUID()
            #expect(try await upload(alice, image.uuidString, "icon").status == 200)
            _ = try await alice.http.post(APIPath.chatImages(group.id), AddChatImageRequest(image: MediaInfo(id: image, fileType: "png", fileSize: 4))).decode(ChatInfo.self)
            let (_, lastOne) = try await postAttachment(alice, in: group.id)
            #expect(try await alice.http.delete(APIPath.chat(group.id)).status == 200)
            for name in [image.uuidString + ".png", lastOne.storedFileName] {
                #expect(try await alice.http.get(APIPath.file(name)).status == 404)
            }
            #expect(filesOnDisk(server).isEmpty, "left on disk: \(filesOnDisk(server))")
        }
    }

    @Test(arguments: StorageBackend.available) func aStartUpSweepRemovesOrphansAndKeepsWhatIsReferred(_ backend: StorageBackend) async throws {
        let server = try await TestServer.start(backend: backend)
        let alice = try await TestUser.register("Alice", on: server)
        let bob = try await TestUser.register("Bob", on: server)
        let chat = try await alice.createChat(with: [bob])
        let (_, kept) = try await postAttachment(alice, in: chat.id)
        await server.stop()
        // What a crash between a commit and the file's removal, or mid-upload, leaves behind.
        let files = server.dataDirectory + "/files/"
        for stray in [UUID().uuidString + ".png", UUID().uuidString + "-preview.jpg", ".incoming-" + UUID().uuidString] {
            FileManager.default.createFile(atPath: files + stray, contents: Data("orphan".utf8))
            // Left by a crash well before this start: on a folder shared by several instances
            // (PostgreSQL) a file written in the last minute may belong to another's upload.
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: files + stray)
        }
        let restarted = try await TestServer.start(dataDirectory: server.dataDirectory, database: server.database)
        let left = filesOnDisk(restarted)
        await restarted.stopAndDrop()
        #expect(left == [kept.storedFileName, kept.id.uuidString + "-preview.jpg"])
    }

    @Test(arguments: StorageBackend.available) func aStrangerHearsNothingThroughAWholeScenario(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let carol = try await TestUser.register("Carol", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            let stranger = try await EventListener.connect(eve, to: server)
            let bobListener = try await EventListener.connect(bob, to: server)
            let group = try await alice.createChat(with: [bob], title: "Secret", isPersonal: false)
            _ = try await alice.http.put(APIPath.chat(group.id), UpdateChatRequest(title: "Still secret")).decode(ChatInfo.self)
            _ = try await alice.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [carol.id])).decode(ChatInfo.self)
            let message = try await alice.send("hello", in: group.id)
            _ = try await alice.http.put(APIPath.message(group.id, message.id), UpdateMessageRequest(text: "edited", fileExists: false, previewExists: false)).decode(MessageInfo.self)
            #expect(try await bob.http.put(APIPath.readMessage(group.id, message.id)).status == 200)
            #expect(try await bob.http.post(APIPath.notify(group.id), NotifyRequest(name: TypingNotification.started)).status == 200)
            _ = try await alice.http.delete(APIPath.message(group.id, message.id)).decode(MessageInfo.self)
            _ = try await alice.http.request("DELETE", APIPath.chatUsers(group.id), json: ChatUsersRequest(users: [carol.id])).decode(ChatInfo.self)
            #expect(try await alice.http.delete(APIPath.messages(group.id)).status == 200)
            #expect(try await alice.http.delete(APIPath.chat(group.id)).status == 200)
            // Bob, a participant throughout, heard every step, in order, ending with the deletion.
            var kinds: [String] = []
            while true {
                let event = try await bobListener.next().event
                kinds.append("\(event)".components(separatedBy: "(").first ?? "")
                if case .chatDeleted = event { break }
            }
            #expect(kinds == ["chatUpdate", "chatUpdate", "addedUsers", "message", "messageUpdate", "messageUpdate",
                              "auxiliary", "messageUpdate", "removedUsers", "chatCleared", "chatDeleted"])
            try await stranger.expectNothingPending()
            await stranger.close()
            await bobListener.close()
        }
    }

    @Test(arguments: StorageBackend.available) func twoUsersRacingOnAFreshMediaIdLeaveOneOwnerAndTheirBytes(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let mallory = try await TestUser.register("Mallory", on: server)
            for _ in 0..<20 {
                let name = UUID().uuidString
                async let first = upload(alice, name, "alice's bytes")
                async let second = upload(mallory, name, "mallory's bytes")
                let (a, m) = try await (first, second)
                #expect([a.status, m.status].sorted() == [200, 403], "\(a.status) \(m.status)")
                let (owner, other, bytes) = a.status == 200 ? (alice, mallory, "alice's bytes") : (mallory, alice, "mallory's bytes")
                #expect(try await owner.http.get(APIPath.file(name + ".png")).text == bytes)
                #expect(try await upload(other, name, "again").status == 403)
                #expect(try await owner.http.get(APIPath.file(name + ".png")).text == bytes)
            }
        }
    }

    @Test(arguments: StorageBackend.available) func someoneBlockedInAChatCannotChangeIt(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let dave = try await TestUser.register("Dave", on: server)
            let daveAgain = try await TestUser.register("Davetwo", on: server)
            let group = try await alice.createChat(with: [dave], title: "G", isPersonal: false)
            #expect(try await alice.http.put(APIPath.blockUser(group.id, dave.id)).status == 200)
            #expect(try await dave.http.post(APIPath.messages(group.id), PostMessageRequest(localId: LocalID.make(author: dave.id), text: "hi")).status == 403)
            let add = try await dave.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [daveAgain.id]))
            #expect(add.status == 403)
            #expect(try add.errorReason().contains("blocked"))
            #expect(try await dave.http.put(APIPath.chat(group.id), UpdateChatRequest(title: "Dave's now")).status == 403)
            #expect(try await alice.http.get(APIPath.chat(group.id)).decode(ChatInfo.self).title == "G")
            #expect(try await alice.http.get(APIPath.chat(group.id)).decode(ChatInfo.self).allUsers?.count == 2)
            // In a personal chat either side may set the image, unless blocked there.
            let personal = try await alice.createChat(with: [dave])
            #expect(try await alice.http.put(APIPath.blockUser(personal.id, dave.id)).status == 200)
            let image = UUID()
            #expect(try await upload(dave, image.uuidString, "img").status == 200)
            #expect(try await dave.http.post(APIPath.chatImages(personal.id), AddChatImageRequest(image: MediaInfo(id: image, fileType: "png", fileSize: 3))).status == 403)
        }
    }

    @Test(arguments: StorageBackend.available) func anEmptyMessageIdIsNeverAnotherRoute(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            _ = try await alice.send("keep me", in: chat.id)
            for path in [APIPath.messages(chat.id) + "/", APIPath.messages(chat.id) + "//", APIPath.chat(chat.id) + "/"] {
                let reply = try await alice.http.delete(path)
                #expect(reply.status == 404, "\(path): \(reply.status)")
                #expect(try reply.errorReason().isEmpty == false)
            }
            #expect(try await alice.http.get(APIPath.messages(chat.id)).decode([MessageInfo].self).count == 1)
            #expect(try await alice.http.get(APIPath.chat(chat.id)).status == 200)
        }
    }

    @Test(arguments: StorageBackend.available) func aNulInTheBasicUsernameIsRefused(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let device = DeviceInfo(id: UUID(), name: "probe", model: "test")
            func login(_ credentials: String) async throws -> HTTPClient.Reply {
                let basic = Data(credentials.utf8).base64EncodedString()
                return try await HTTPClient(baseURL: server.baseURL).request(
                    "POST", APIPath.login, json: LoginRequest(deviceInfo: device), headers: ["Authorization": "Basic \(basic)"]
                )
            }
            #expect(try await login("\(alice.username)\0junk:\(alice.password)").status == 401)
            #expect(try await login("\(alice.username):\(alice.password)\0tail").status == 401)
            #expect(try await login("\(alice.username):\(alice.password)").status == 200)
        }
    }

    @Test(arguments: StorageBackend.available) func changingThePasswordEndsEveryOtherSession(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let laptop = try await alice.secondSession(on: server)
            let listener = try await EventListener.connect(laptop, to: server)
            #expect(try await alice.http.put(APIPath.changePassword, ChangePasswordRequest(oldPassword: "password1", newPassword: "password2")).status == 200)
            try await listener.waitUntilClosed()
            await listener.close()
            #expect(try await laptop.http.get(APIPath.me).status == 401)
            #expect(try await alice.http.get(APIPath.me).status == 200)
        }
    }

    @Test(arguments: StorageBackend.available) func aDeviceInfoWithoutATokenSignsUpAndIn(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let anonymous = HTTPClient(baseURL: server.baseURL)
            let device = "{\"id\": \"\(UUID().uuidString)\", \"name\": \"phone\", \"model\": \"other client\", \"transport\": \"none\"}"
            let register = try await anonymous.request("POST", APIPath.users, body: Data(
                "{\"name\": \"Tokenless\", \"username\": \"tokenless1\", \"password\": \"password1\", \"deviceInfo\": \(device)}".utf8
            ))
            #expect(register.status == 200, "\(register.text)")
            let basic = Data("tokenless1:password1".utf8).base64EncodedString()
            let login = try await anonymous.request("POST", APIPath.login, body: Data(device.utf8), headers: ["Authorization": "Basic \(basic)"])
            #expect(login.status == 200, "\(login.text)")
        }
    }

    @Test(arguments: StorageBackend.available) func uploadNamesMustBeExactlyAMediaId(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let id = UUID().uuidString
            func rawUpload(_ name: String) async throws -> RawReply {
                try await RawHTTP.exchange(port: server.port, """
                    POST /uploads HTTP/1.1\r
                    Host: a\r
                    Authorization: Bearer \(alice.token)\r
                    File-Name: \(name)\r
                    Content-Type: png\r
                    Content-Length: 1\r
                    Connection: close\r
                    \r
                    x
                    """)
            }
            // Anything but the id itself, with or without -preview, is refused.
            for name in ["\(id)x", "x\(id)", "\(id) \(id)", "\(id) -preview", "\u{00A0}\(id)", "\(id)%20", "\(id)\u{0B}", "\(id)-preview-preview"] {
                let reply = try await rawUpload(name)
                #expect(reply.status == 400, "\(name.debugDescription): \(reply.headers)")
            }
            // Spaces around a header's value are not part of it (RFC 9110 5.5): HTTP drops them
            // before any server sees the value, so what is stored is exactly the id.
            let padded = try await rawUpload("  \(id)\t ")
            #expect(padded.status == 200)
            #expect(padded.body == id + ".png")
            let stored = try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory + "/files")
            #expect(stored == [id + ".png"])
        }
    }

    @Test(arguments: StorageBackend.available) func theDatabaseAndUploadsAreTheOwnersAlone(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let (_, media) = try await postAttachment(alice, in: chat.id)
            func mode(_ path: String) throws -> Int {
                try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
            }
            #expect(try mode(server.dataDirectory) == 0o700)
            #expect(try mode(server.dataDirectory + "/files") == 0o700)
            if backend == .sqlite {
                #expect(try mode(server.dataDirectory + "/chat.sqlite") == 0o600)
                #expect(try mode(server.dataDirectory + "/chat.sqlite-wal") == 0o600)
            } else {
                #expect(!FileManager.default.fileExists(atPath: server.dataDirectory + "/chat.sqlite"))  // the chats are in PostgreSQL
            }
            #expect(try mode(server.dataDirectory + "/files/" + media.storedFileName) == 0o600)
        }
    }
}
