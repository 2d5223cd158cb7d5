import ChatTestSupport
import ChatAPI
import ChatServer
import Foundation
import Testing

/// PostgreSQL maintenance on the real binary: `migrate`, and `copy` from a SQLite deployment.
@Suite(.enabled(if: StorageBackend.postgresURL != nil, "TERMCHAT_TEST_POSTGRES_URL is not set: the PostgreSQL and multi-instance tests are skipped"))
struct PostgresMaintenanceTests {
    @Test func migrateAppliesEachVersionOnceAndABadAddressIsAClearError() async throws {
        guard case let .postgresql(url) = try await StorageBackend.postgresql.makeDatabase() else { return }
        defer { Task { await TestPostgres.dropDatabase(url) } }
        let first = try await ChildProcess.run("termchat-server", ["migrate", "--database", url.addressForArguments])
        #expect(first.status == 0 && first.output.contains("Applied migrations 1, 2, 3."), "\(first.output)")
        // $TERMCHAT_DATABASE_URL stands for --database.
        let again = try await ChildProcess.run("termchat-server", ["migrate"], environment: ["TERMCHAT_DATABASE_URL": url.addressForArguments])
        #expect(again.status == 0 && again.output.contains("up to date"), "\(again.output)")
        let bad = try await ChildProcess.run("termchat-server", ["--database", "postgresql://nobody@127.0.0.1:1/none?sslmode=disable", "--port", "0"])
        #expect(bad.status != 0 && bad.output.contains("could not prepare the database postgresql://nobody@127.0.0.1:1/none"), "\(bad.output)")
        let malformed = try await ChildProcess.run("termchat-server", ["migrate", "--database", "postgresql://host-without-user/db"])
        #expect(malformed.status != 0 && malformed.output.contains("names no user"), "\(malformed.output)")
    }

    @Test func copyMovesASQLiteDeploymentWithItsFilesAndTheSameTokensWork() async throws {
        // A SQLite deployment with users, a chat, messages, a read mark and a file.
        let source = TemporaryDirectory.make()
        let sqlite = try await TestServer.start(dataDirectory: source)
        let alice = try await TestUser.register("Alice", on: sqlite)
        let bob = try await TestUser.register("Bob", on: sqlite)
        let chat = try await alice.createChat(with: [bob])
        for index in 0..<30 { _ = try await alice.send("message \(index)", in: chat.id) }
        let request = PostMessageRequest(localId: LocalID.make(author: alice.id), text: "file", attachment: AttachmentRequest(fileType: "png", fileSize: 5))
        let withFile = try await alice.http.post(APIPath.messages(chat.id), request).decode(MessageInfo.self)
        let media = try #require(withFile.attachments?.first)
        #expect(try await alice.http.request("POST", APIPath.uploads, body: Data("bytes".utf8), headers: [APIHeader.fileName: media.id.uuidString, "Content-Type": "png"]).status == 200)
        #expect(try await bob.http.put(APIPath.readMessage(chat.id, withFile.id)).status == 200)
        let before = try await bob.http.get(APIPath.messages(chat.id) + "?count=100").decode([MessageInfo].self)
        await sqlite.stop()

        guard case let .postgresql(url) = try await StorageBackend.postgresql.makeDatabase() else { return }
        let files = TemporaryDirectory.make() + "/shared-files"
        let copy = try await ChildProcess.run("termchat-server", ["copy", "--from", source, "--to", url.addressForArguments, "--files-dir", files])
        #expect(copy.status == 0, "\(copy.output)")
        #expect(copy.output.contains("messages: 31 of 31 rows") && copy.output.contains("files: 1") && copy.output.contains("every count matches"), "\(copy.output)")
        // Into a database that is no longer empty, nothing is copied.
        let twice = try await ChildProcess.run("termchat-server", ["copy", "--from", source, "--to", url.addressForArguments, "--files-dir", files])
        #expect(twice.status != 0 && twice.output.contains("already holds data"), "\(twice.output)")

        let postgres = try await TestServer.start(database: .postgresql(url)) { $0.filesDirectoryOverride = files }
        var bobThere = bob
        bobThere.http.baseURL = postgres.baseURL
        var aliceThere = alice
        aliceThere.http.baseURL = postgres.baseURL
        // The same token works (sessions moved), and the messages are the same ones.
        let after = try await bobThere.http.get(APIPath.messages(chat.id) + "?count=100").decode([MessageInfo].self)
        #expect(after == before)
        #expect(try await aliceThere.http.get(APIPath.file(media.id.uuidString + ".png")).text == "bytes")
        // New rows continue after the copied ids.
        let next = try await aliceThere.send("after the move", in: chat.id)
        #expect(next.id > before.map(\.id).max() ?? 0)
        let carol = try await TestUser.register("Carol", on: postgres)
        #expect(carol.id > bob.id)
        await postgres.stopAndDrop()
    }
}
