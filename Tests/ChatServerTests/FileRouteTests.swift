import ChatTestSupport
import ChatAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite struct FileRouteTests {
    func upload(_ user: TestUser, name: String, type: String = "png", body: Data) async throws -> HTTPClient.Reply {
        try await user.http.request("POST", APIPath.uploads, body: body, headers: [APIHeader.fileName: name, "Content-Type": type])
    }

    /// Every file below `directory`, relative, to prove nothing was written elsewhere.
    func files(under directory: String) -> Set<String> {
        Set((FileManager.default.enumerator(atPath: directory)?.allObjects as? [String]) ?? [])
    }

    @Test(arguments: StorageBackend.available) func uploadThenDownloadAnAttachment(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            let request = PostMessageRequest(localId: LocalID.make(author: alice.id), text: "photo", attachment: AttachmentRequest(fileType: "png", fileSize: 4096))
            let message = try await alice.http.post(APIPath.messages(chat.id), request).decode(MessageInfo.self)
            let media = try #require(message.attachments?.first)
            let bytes = Data((0..<4096).map { UInt8($0 % 251) })

            let stored = try await upload(alice, name: media.id.uuidString.lowercased(), type: "image/png", body: bytes)
            #expect(stored.status == 200)
            #expect(stored.text == media.storedFileName)
            let preview = try await upload(alice, name: media.id.uuidString + "-preview", type: "png", body: Data("small".utf8))
            #expect(preview.text == media.previewFileName)

            let downloaded = try await bob.http.get(APIPath.file(media.storedFileName))
            #expect(downloaded.status == 200 && downloaded.data == bytes)
            // Never sniffed or run as a page: a picture inline, anything else
            // an attachment.
            #expect(downloaded.headers["x-content-type-options"] == "nosniff")
            #expect(downloaded.headers["content-security-policy"] == "sandbox")
            #expect(downloaded.headers["content-disposition"] == "inline; filename=\"\(media.storedFileName)\"")
            #expect(try await bob.http.get(APIPath.file(media.previewFileName)).text == "small")
            // A JPEG preview named by its bare type keeps it (`-preview.jpeg`); `image/jpeg`
            // is stored as `jpg`, as the upstream does.
            #expect(try await upload(alice, name: media.id.uuidString + "-preview", type: "jpeg", body: Data("j1".utf8)).text == media.id.uuidString + "-preview.jpeg")
            #expect(try await upload(alice, name: media.id.uuidString + "-preview", type: "image/jpeg", body: Data("j2".utf8)).text == media.id.uuidString + "-preview.jpg")
            #expect(try await bob.http.get(APIPath.file(media.id.uuidString + "-preview.jpeg")).text == "j1")
            #expect(try await bob.http.get(APIPath.file(UUID().uuidString + ".png")).status == 404)
            #expect(try await bob.http.get(APIPath.file("..%2F..%2Fchat.sqlite")).status == 404)

            // Only the message's author may write its files.
            let hijack = try await upload(bob, name: media.id.uuidString, body: Data("evil".utf8))
            #expect(hijack.status == 403)
            #expect(try await bob.http.get(APIPath.file(media.storedFileName)).data == bytes)
            // A free upload (e.g. a chat image) belongs to whoever uploaded first.
            let free = UUID()
            #expect(try await upload(bob, name: free.uuidString, type: "jpg", body: Data("mine".utf8)).status == 200)
            #expect(try await upload(alice, name: free.uuidString, type: "jpg", body: Data("no".utf8)).status == 403)
            #expect(try await upload(bob, name: free.uuidString, type: "jpg", body: Data("mine2".utf8)).status == 200)
            #expect(try await bob.http.get(APIPath.file(free.uuidString + ".jpg")).text == "mine2")
        }
    }

    /// A `File-Name` with a trailing space. RFC 9110 §5.5 makes surrounding
    /// whitespace no part of a field's value, and the parser drops it before the server sees
    /// it: the name is the bare UUID and the file is stored under exactly that. Whitespace
    /// inside the value, which is part of it, is refused.
    @Test func whitespaceAroundFileNameIsNotPartOfItAndInsideItIsRefused() async throws {
        try await withServer { server in
            let alice = try await TestUser.register("Alice", on: server)
            let id = UUID()
            func raw(_ name: String) async throws -> RawReply {
                try await RawHTTP.exchange(port: server.port, "POST \(APIPath.uploads) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(alice.token)\r\n"
                    + "\(APIHeader.fileName): \(name)\r\nContent-Type: png\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
            }
            let trailing = try await raw(id.uuidString + " \t")
            #expect(trailing.status == 200, "\(trailing.body)")
            #expect(trailing.body == id.uuidString + ".png")
            #expect(FileManager.default.fileExists(atPath: server.dataDirectory + "/files/" + id.uuidString + ".png"))
            let inside = try await raw(UUID().uuidString + " -preview")
            #expect(inside.status == 400, "\(inside.body)")
        }
    }

    @Test(arguments: StorageBackend.available) func traversalNamesAreRefusedAndNothingIsWrittenOutside(_ backend: StorageBackend) async throws {
        // The data directory sits alone in a folder of its own, so anything written beside it shows.
        let server = try await TestServer.start(dataDirectory: TemporaryDirectory.make() + "/data", backend: backend)
        do {
            let alice = try await TestUser.register("Alice", on: server)
            let parent = (server.dataDirectory as NSString).deletingLastPathComponent
            let before = Set((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
            let filesBefore = files(under: server.dataDirectory + "/files")
            for name in ["../../x", "../x", "x", "/etc/passwd", "\(UUID().uuidString)/../../x", "\(UUID().uuidString)-previewx", ""] {
                let reply = try await upload(alice, name: name, body: Data("evil".utf8))
                #expect(reply.status == 400, "\(name) answered \(reply.status)")
                #expect(try reply.errorReason().contains("File-Name"))
            }
            for type in ["../../png", "p/n/g", "", "toolongextension"] {
                let reply = try await upload(alice, name: UUID().uuidString, type: type, body: Data("evil".utf8))
                #expect(reply.status == 400, "type \(type) answered \(reply.status)")
            }
            let after = Set((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
            #expect(after.subtracting(before).isEmpty)
            #expect(files(under: server.dataDirectory + "/files") == filesBefore)
            #expect(!FileManager.default.fileExists(atPath: parent + "/x"))
        }
        await server.stopAndDrop()
    }

    /// An upload that ends before its Content-Length is refused and not
    /// stored (10 of 1,000,000 bytes were stored and served with 200).
    @Test(arguments: StorageBackend.available) func aTruncatedUploadIsRefusedAndNotServed(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            for sent in [10, 500_000] {
                let request = PostMessageRequest(localId: LocalID.make(author: alice.id), text: nil, attachment: AttachmentRequest(fileType: "png", fileSize: 1_000_000))
                let media = try #require(try await alice.http.post(APIPath.messages(chat.id), request).decode(MessageInfo.self).attachments?.first)
                let head = "POST \(APIPath.uploads) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(alice.token)\r\n"
                    + "\(APIHeader.fileName): \(media.id.uuidString)\r\nContent-Type: image/png\r\nContent-Length: 1000000\r\n\r\n"
                let reply = try await Self.halfClosedExchange(port: server.port, Array(head.utf8) + [UInt8](repeating: 7, count: sent))
                #expect(reply.status == 400, "\(sent) bytes: \(reply.status) \(reply.body)")
                #expect(try await bob.http.get(APIPath.file(media.storedFileName)).status == 404, "\(sent) bytes were stored")
            }
        }
    }

    /// The same with the connection closed outright: the server finishes the request with
    /// nobody to answer, so its metrics say when it has (the real binary, on its metrics port).
    @Test func anUploadWhoseConnectionClosesEarlyIsNotStored() async throws {
        let server = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: ["--metrics-port", "0"])
        let metrics = HTTPClient(baseURL: "http://127.0.0.1:\(try #require(server.metricsPort))")
        func uploadsHandled() async throws -> Double {
            try await metrics.get("/metrics").text.split(separator: "\n")
                .filter { $0.hasPrefix("termchat_http_requests_total{") && $0.contains(#"route="/uploads""#) }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
        let address = try await TestServerAddress(server.baseURL)
        let alice = try await TestUser.register("Alice", at: address)
        let bob = try await TestUser.register("Bob", at: address)
        let chat = try await alice.createChat(with: [bob])
        let request = PostMessageRequest(localId: LocalID.make(author: alice.id), text: nil, attachment: AttachmentRequest(fileType: "png", fileSize: 1_000_000))
        let media = try #require(try await alice.http.post(APIPath.messages(chat.id), request).decode(MessageInfo.self).attachments?.first)
        let before = try await uploadsHandled()
        let head = "POST \(APIPath.uploads) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(alice.token)\r\n"
            + "\(APIHeader.fileName): \(media.id.uuidString)\r\nContent-Type: image/png\r\nContent-Length: 1000000\r\n\r\n"
        let fd = try connectLoopback(port: server.port)
        let bytes = Array(head.utf8) + [UInt8](repeating: 7, count: 10)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fd)
        while try await uploadsHandled() <= before { await Task.yield() }
        #expect(try await bob.http.get(APIPath.file(media.storedFileName)).status == 404)
    }

    /// Sends `bytes`, ends the sending side (a half-close) and reads the answer.
    static func halfClosedExchange(port: Int, _ bytes: [UInt8]) async throws -> RawReply {
        try await offThePool {
            let fd = try connectLoopback(port: port)
            defer { close(fd) }
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count <= 0 { break }
                sent += count
            }
            shutdown(fd, Int32(SHUT_WR))
            return try RawHTTP.readReply(fd, timeout: 30)
        }
    }

    @Test(arguments: StorageBackend.available) func uploadsOverFiftyMegabytesAreRefusedAndLeaveNothing(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let name = UUID()
            let reply = try await upload(alice, name: name.uuidString, type: "bin", body: Data(count: ProtocolLimits.maxUploadBytes + 1))
            #expect(reply.status == 413)
            #expect(try reply.errorReason().contains("50 MB"))
            #expect(files(under: server.dataDirectory + "/files").isEmpty)
            let exact = try await upload(alice, name: name.uuidString, type: "bin", body: Data(count: ProtocolLimits.maxUploadBytes))
            #expect(exact.status == 200)
        }
    }

    @Test(arguments: StorageBackend.available) func chatImagesNeedAnUploadAndTheOwner(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let group = try await alice.createChat(with: [bob], title: "G", isPersonal: false)
            let image = MediaInfo(id: UUID(), fileType: "png", fileSize: 4)
            let early = try await alice.http.post(APIPath.chatImages(group.id), AddChatImageRequest(image: image))
            #expect(early.status == 400)
            #expect(try await upload(alice, name: image.id.uuidString, body: Data("icon".utf8)).status == 200)
            #expect(try await bob.http.post(APIPath.chatImages(group.id), AddChatImageRequest(image: image)).status == 403)
            let withImage = try await alice.http.post(APIPath.chatImages(group.id), AddChatImageRequest(image: image)).decode(ChatInfo.self)
            #expect(withImage.images?.map(\.id) == [image.id])
            #expect(try await bob.http.get(APIPath.chat(group.id)).decode(ChatInfo.self).images?.count == 1)
            #expect(try await bob.http.delete(APIPath.chatImage(group.id, image.id)).status == 403)
            #expect(try await alice.http.delete(APIPath.chatImage(group.id, image.id)).status == 200)
            #expect(try await alice.http.delete(APIPath.chatImage(group.id, image.id)).status == 404)
            #expect(try await bob.http.get(APIPath.chat(group.id)).decode(ChatInfo.self).images == nil)
        }
    }

    @Test(arguments: StorageBackend.available) func uploadsNeedAToken(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let reply = try await HTTPClient(baseURL: server.baseURL).request(
                "POST", APIPath.uploads, body: Data("x".utf8), headers: [APIHeader.fileName: UUID().uuidString, "Content-Type": "png"]
            )
            #expect(reply.status == 401)
        }
    }
}
