import ChatTestSupport
import ChatAPI
import ChatServer
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A full disk is 507 with a sentence, never 500; reads go on; writes work again once there is
/// room. The data directory sits on a small tmpfs of its own (the test needs root, as CI has).
@Suite struct FullDiskTests {
    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Whether this machine lets the test mount a tmpfs (root with the capability).
    static let canMount: Bool = {
        let probe = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]) else { return false }
        return run(["umount", probe])
    }()

    /// Fills the file system at `directory` with one file; answers its path.
    func fill(_ directory: String) -> String {
        let path = directory + "/filler"
        let fd = open(path, O_CREAT | O_WRONLY, 0o600)
        let chunk = [UInt8](repeating: 0xAB, count: 64 * 1024)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        // Then byte by byte, so not even a partial block is left.
        var byte: UInt8 = 0
        while write(fd, &byte, 1) > 0 {}
        close(fd)
        return path
    }

    /// The backends whose disk this machine can fill: SQLite's data directory; PostgreSQL's
    /// when its server runs here as the `postgres` user (the test puts a tablespace on the tmpfs).
    static let backends: [StorageBackend] = StorageBackend.available.filter { backend in
        backend == .sqlite || (run(["id", "postgres"]) && (try? TestPostgres.adminURL().host) == "127.0.0.1")
    }

    @Test(.enabled(if: canMount, "needs to mount a tmpfs (root)"), arguments: backends)
    func aFullDiskAnswers507KeepsServingReadsAndRecovers(_ backend: StorageBackend) async throws {
        let mount = TemporaryDirectory.make()
        // Never fill the real disk: without the mount there is no test. PostgreSQL's copy of
        // its template database needs about 8 MB of it.
        try #require(Self.run(["mount", "-t", "tmpfs", "-o", backend == .sqlite ? "size=6m" : "size=24m", "tmpfs", mount]))
        var tablespace: String?
        var database = ChatServerConfiguration.Database.sqlite
        defer {
            _ = Self.run(["umount", "-l", mount])
            try? FileManager.default.removeItem(atPath: mount)
        }
        /// The database and its tablespace go before the tmpfs does.
        func dropPostgres() async {
            guard case let .postgresql(url) = database, let tablespace else { return }
            await TestPostgres.dropDatabase(url)
            try? await TestPostgres.run("DROP TABLESPACE IF EXISTS \(tablespace)")
        }
        if backend == .postgresql {
            let folder = mount + "/postgres"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try #require(Self.run(["chown", "postgres", folder]))
            let name = "termchat_full_" + UUID().uuidString.prefix(8).lowercased()
            try await TestPostgres.run("CREATE TABLESPACE \(name) LOCATION '\(folder)'")
            tablespace = name
            var url = try TestPostgres.adminURL()
            url.database = name
            try await TestPostgres.run("CREATE DATABASE \(name) TABLESPACE \(name)")
            database = .postgresql(url)
        }
        let server = try await TestServer.start(dataDirectory: mount + "/data", database: database)
        do {
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            _ = try await alice.send("before the disk filled", in: chat.id)
            let filler = fill(mount)

            // The WAL (or a table's last page) may still have room for a few commits; past it,
            // every post is a 507.
            var statuses: [Int: Int] = [:]
            var fullReason: String?
            for index in 0..<5000 where fullReason == nil {
                let reply = try await alice.http.post(
                    APIPath.messages(chat.id), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "post \(index) " + String(repeating: "x", count: 1500))
                )
                statuses[reply.status, default: 0] += 1
                if reply.status == 507 { fullReason = try reply.errorReason() }
            }
            #expect(fullReason == "The server is out of disk space.")
            #expect(Set(statuses.keys).isSubset(of: [200, 507]), "\(statuses)")

            var registration: HTTPClient.Reply?
            // (PostgreSQL may have extended the users table ahead, so it can take longer.)
            for index in 0..<(backend == .sqlite ? 200 : 3000) {
                let reply = try await HTTPClient(baseURL: server.baseURL).post(APIPath.users, RegisterRequest(
                    name: "Late", username: "late\(index)x\(Int.random(in: 1000...9999))", password: "password1",
                    deviceInfo: DeviceInfo(id: UUID(), name: "d", model: "m")
                ))
                #expect(reply.status == 200 || reply.status == 507)
                if reply.status == 507 { registration = reply; break }
            }
            #expect(try registration?.errorReason() == "The server is out of disk space.")
            let upload = try await alice.http.request(
                "POST", APIPath.uploads, body: Data(count: 256 * 1024), headers: [APIHeader.fileName: UUID().uuidString, "Content-Type": "bin"]
            )
            #expect(upload.status == 507)

            // Reads are still served, back to the first message (however many posts fitted).
            var oldest: MessageInfo?
            while true {
                let before = oldest.map { "&before=\($0.id)" } ?? ""
                let page = try await bob.http.get("\(APIPath.messages(chat.id))?count=\(ProtocolLimits.maxMessagePage)\(before)").decode([MessageInfo].self)
                guard let last = page.last else { break }
                oldest = last
                if page.count < ProtocolLimits.maxMessagePage { break }
            }
            #expect(oldest?.text == "before the disk filled")

            // Room again: writes work without a restart.
            unlink(filler)
            #expect(try await alice.http.post(APIPath.messages(chat.id), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "after")).status == 200)
            _ = try await TestUser.register("Recovered", on: server)
            let again = try await alice.http.request(
                "POST", APIPath.uploads, body: Data(count: 1024), headers: [APIHeader.fileName: UUID().uuidString, "Content-Type": "bin"]
            )
            #expect(again.status == 200)
        } catch {
            await server.stop()
            await dropPostgres()
            throw error
        }
        await server.stop()
        await dropPostgres()
    }
}
