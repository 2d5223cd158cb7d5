import ChatTestSupport
import ChatAPI
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

    @Test(.enabled(if: canMount, "needs to mount a tmpfs (root)"))
    func aFullDiskAnswers507KeepsServingReadsAndRecovers() async throws {
        let mount = TemporaryDirectory.make()
        // Never fill the real disk: without the mount there is no test.
        try #require(Self.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount]))
        defer {
            _ = Self.run(["umount", "-l", mount])
            try? FileManager.default.removeItem(atPath: mount)
        }
        let server = try await TestServer.start(dataDirectory: mount + "/data")
        do {
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            _ = try await alice.send("before the disk filled", in: chat.id)
            let filler = fill(mount)

            // The WAL may still have room for a few commits; past it, every post is a 507.
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
            for index in 0..<200 {
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

            // Reads are still served.
            let page = try await bob.http.get(APIPath.messages(chat.id)).decode([MessageInfo].self)
            #expect(page.last?.text == "before the disk filled")

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
            throw error
        }
        await server.stop()
    }
}
