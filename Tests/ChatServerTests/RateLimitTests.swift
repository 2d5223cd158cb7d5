import ChatAPI
import ChatServer
import ChatTestSupport
import Foundation
import Testing

/// Token buckets on sign-in, registration, posting, uploads and other
/// writes; a refusal is 429 with `Retry-After` and the error body, counted in `/metrics`.
@Suite struct RateLimitTests {
    func device() -> DeviceInfo { DeviceInfo(id: UUID(), name: "d", model: "m") }

    func login(_ http: HTTPClient, _ username: String, _ password: String) async throws -> HTTPClient.Reply {
        try await http.request("POST", APIPath.login, json: device(), headers: [
            "Authorization": "Basic " + Data("\(username):\(password)".utf8).base64EncodedString(),
        ])
    }

    func expectRefusal(_ reply: HTTPClient.Reply, _ comment: Comment? = nil) throws {
        #expect(reply.status == 429, comment)
        let seconds = try #require(reply.headers["retry-after"].flatMap(Int.init), comment)
        #expect(seconds >= 1, comment)
        #expect(try reply.errorReason().contains("try again in \(seconds) s"), comment)
    }

    /// 300 wrong passwords in 30 s, then the right one, used to sign in at once. With the
    /// default limits the sixth failure is refused, and so is the right password after it.
    @Test func failedSignInsAreLimitedPerAccountAndTheRightPasswordWaitsToo() async throws {
        try await withServer(configure: { $0.rateLimits = .defaults; $0.now = TestClock(frozen: true).now }) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let http = HTTPClient(baseURL: server.baseURL)
            var statuses: [Int] = []
            for _ in 0..<8 { statuses.append(try await login(http, alice.username, "wrong-password").status) }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429, 429])
            let right = try await login(http, alice.username, alice.password)
            try expectRefusal(right)
            #expect(try right.errorReason().contains("failed sign-ins for this account"))
            // Another account is not locked by Alice's failures.
            let bob = try await TestUser.register("Bob", on: server)
            #expect(try await login(http, bob.username, bob.password).status == 200)
        }
    }

    @Test func registrationsAreLimitedPerAddress() async throws {
        try await withServer(configure: { $0.rateLimits = .defaults; $0.now = TestClock(frozen: true).now }) { server in
            let http = HTTPClient(baseURL: server.baseURL)
            var statuses: [Int] = []
            for index in 0..<20 {
                let request = RegisterRequest(name: "N", username: UniqueName.make("reg\(index)"), password: "password1", deviceInfo: device())
                let reply = try await http.post(APIPath.users, request)
                statuses.append(reply.status)
                if reply.status == 429 { try expectRefusal(reply) }
            }
            #expect(statuses == Array(repeating: 200, count: 5) + Array(repeating: 429, count: 15))
        }
    }

    /// A burst of posts past the account's bucket is refused, and the refusal tells when to
    /// come back; another account posting meanwhile is not refused.
    @Test func postsAreLimitedPerAccount() async throws {
        try await withServer(configure: {
            $0.rateLimits = .defaults
            $0.rateLimits[.messageAccount] = RateLimit(burst: 5, perMinute: 6)
            $0.now = TestClock(frozen: true).now
        }) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])
            var statuses: [Int] = []
            for index in 0..<7 {
                let reply = try await alice.http.post(APIPath.messages(chat.id), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "m\(index)"))
                statuses.append(reply.status)
                if reply.status == 429 {
                    try expectRefusal(reply)
                    // 6 a minute, the clock standing still: ten seconds until the next token.
                    #expect(reply.headers["retry-after"] == "10")
                }
            }
            #expect(statuses == [200, 200, 200, 200, 200, 429, 429])
            let fromBob = try await bob.http.post(APIPath.messages(chat.id), PostMessageRequest(localId: LocalID.make(author: bob.id), text: "mine"))
            #expect(fromBob.status == 200)
            // What was refused was not stored: Bob sees five of Alice's and his own.
            let page = try await bob.http.get(APIPath.messages(chat.id)).decode([MessageInfo].self)
            #expect(page.count == 6)
        }
    }

    @Test func uploadsAndOtherWritesAreLimitedPerAccount() async throws {
        try await withServer(configure: { limits in
            limits.rateLimits = .off
            limits.rateLimits[.uploadAccount] = RateLimit(burst: 2, perMinute: 1)
            limits.rateLimits[.writeAccount] = RateLimit(burst: 3, perMinute: 1)
            limits.now = TestClock(frozen: true).now
        }) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob])  // one write
            var uploads: [Int] = []
            for _ in 0..<3 {
                let reply = try await alice.http.request("POST", APIPath.uploads, body: Data([1, 2, 3]), headers: [
                    APIHeader.fileName: UUID().uuidString, "Content-Type": "png",
                ])
                uploads.append(reply.status)
                if reply.status == 429 { try expectRefusal(reply) }
            }
            #expect(uploads == [200, 200, 429])
            var writes: [Int] = []
            for _ in 0..<3 {
                let reply = try await alice.http.post(APIPath.notify(chat.id), NotifyRequest(name: "typing"))
                writes.append(reply.status)
                if reply.status == 429 { try expectRefusal(reply) }
            }
            #expect(writes == [200, 200, 429])
            // Reads are not limited.
            for _ in 0..<5 { #expect(try await alice.http.get(APIPath.chats).status == 200) }
        }
    }

    /// The real binary: `--rate-limit` sets a limit, refusals are counted per limit in
    /// `/metrics`, and a malformed value is refused before the server starts.
    @Test func theCommandLineSetsLimitsAndMetricsCountRefusals() async throws {
        let server = try await ServerProcess(
            dataDirectory: TemporaryDirectory.make(), arguments: ["--metrics-port", "0", "--rate-limit", "register-address=2:1"]
        )
        let address = try await TestServerAddress(server.baseURL)
        _ = try await TestUser.register("Alice", at: address)
        _ = try await TestUser.register("Bob", at: address)
        let third = try await HTTPClient(baseURL: server.baseURL).post(
            APIPath.users, RegisterRequest(name: "C", username: UniqueName.make("carol"), password: "password1", deviceInfo: device())
        )
        try expectRefusal(third)
        let metrics = try await HTTPClient(baseURL: "http://127.0.0.1:\(try #require(server.metricsPort))").get("/metrics").text
        #expect(metrics.contains(#"termchat_rate_limited_total{limit="register-address"} 1"#), "\(metrics)")

        let bad = try await ChildProcess.run("termchat-server", ["--port", "0", "--rate-limit", "message-account=lots"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("message-account needs <burst>:<per-minute>"), "\(bad.output)")
    }

    @Test func rateLimitSyntax() throws {
        var limits = RateLimits.defaults
        try limits.apply("message-account=10:120")
        #expect(limits[.messageAccount] == RateLimit(burst: 10, perMinute: 120))
        try limits.apply("upload-address=off")
        #expect(limits[.uploadAddress] == nil)
        try limits.apply("off")
        #expect(limits == .off)
        #expect(throws: RateLimitSyntaxError.self) { try limits.apply("nonsense=1:1") }
        #expect(throws: RateLimitSyntaxError.self) { try limits.apply("message-account=0:1") }
    }
}
