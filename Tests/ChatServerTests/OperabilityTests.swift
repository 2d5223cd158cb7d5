import ChatAPI
@testable import ChatServer
import ChatTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// Operability, on the real binary: `/health`, `/metrics` on a port of its own, JSON logs.
@Suite(.serialized) struct OperabilityTests {
    /// An unknown username costs a password check like a known one (it was
    /// answered at once, telling which usernames exist).
    @Test func anUnknownUsernameIsCheckedLikeAKnownOne() async throws {
        let server = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: ["--metrics-port", "0"])
        let metrics = HTTPClient(baseURL: "http://127.0.0.1:\(try #require(server.metricsPort))")
        func checks() async throws -> Double {
            try await metrics.get("/metrics").text.split(separator: "\n").first { $0.hasPrefix("termchat_password_checks_total ") }
                .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } ?? 0
        }
        let alice = try await TestUser.register("Alice", at: try await TestServerAddress(server.baseURL))
        for username in [alice.username, "nobody" + alice.username] {
            let before = try await checks()
            let basic = Data("\(username):wrongpass1".utf8).base64EncodedString()
            let reply = try await HTTPClient(baseURL: server.baseURL).request(
                "POST", APIPath.login, json: LoginRequest(deviceInfo: DeviceInfo(id: UUID(), name: "d", model: "m")), headers: ["Authorization": "Basic \(basic)"]
            )
            #expect(reply.status == 401)
            #expect(try await checks() == before + 1, "\(username)")
        }
    }

    @Test(arguments: StorageBackend.available) func healthAnswersAndMetricsCountWhatHappened(_ backend: StorageBackend) async throws {
        let server = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: ["--metrics-port", "0"] + (try await backend.makeDatabase().arguments))
        let metricsPort = try #require(server.metricsPort)
        #expect(metricsPort != server.port)
        let api = HTTPClient(baseURL: server.baseURL)
        let health = try await api.get("/health")
        let healthy = backend == .sqlite ? #"{"status":"ok","database":"ok"}"# : #"{"status":"ok","database":"ok","events":"ok"}"#
        #expect(health.status == 200 && health.text == healthy)
        // Not public: the API's port has no /metrics.
        #expect(try await api.get("/metrics").status == 404)

        let address = try await TestServerAddress(server.baseURL)
        let alice = try await TestUser.register("Alice", at: address)
        let bob = try await TestUser.register("Bob", at: address)
        let listener = try await EventListener.connect(bob, port: server.port)
        let chat = try await alice.createChat(with: [bob])
        let posted = try await alice.http.post(APIPath.messages(chat.id), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "hi"))
        #expect(posted.status == 200)
        _ = try await listener.next()

        let text = try await HTTPClient(baseURL: "http://127.0.0.1:\(metricsPort)").get("/metrics").text
        let lines = text.split(separator: "\n").map(String.init)
        func value(_ prefix: String) -> Double? {
            lines.first { $0.hasPrefix(prefix) }.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        // Requests by route pattern (no ids) and status; their latency as a histogram.
        #expect(lines.contains { $0.hasPrefix("termchat_http_requests_total{") && $0.contains(#"method="POST""#)
            && $0.contains("messages") && !$0.contains(chat.id.uuidString) && $0.contains(#"status="200""#) }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("termchat_http_requests_total{") && $0.contains(#"route="/health""#) && $0.contains(#"status="200""#) })
        #expect(lines.contains { $0.hasPrefix("termchat_http_request_duration_seconds_bucket{") })
        #expect(value("termchat_websocket_sessions") == 1)
        #expect((value("termchat_events_delivered_total") ?? 0) >= 1)
        #expect(value("termchat_outbound_queue_drops_total") == 0)
        #expect(value("termchat_database_latency_seconds_count") == 1)
        await listener.close()
    }

    @Test(arguments: StorageBackend.available) func jsonLogsAreOneObjectPerLine(_ backend: StorageBackend) async throws {
        let server = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: ["--log-format", "json", "--log-level", "info"] + (try await backend.makeDatabase().arguments), capturingLogs: true)
        _ = try await HTTPClient(baseURL: server.baseURL).get("/health")
        let first = try #require(String(decoding: server.errors.fileHandleForReading.availableData, as: UTF8.self).split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: String], "\(first)")
        #expect(object["level"] == "info" && object["label"] != nil && object["message"] != nil && object["time"] != nil)
    }

    @Test func theJSONHandlerWritesMetadataAndEscapes() {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "test") { JSONLogHandler(label: $0) { line in lines.withLock { $0.append(line) } } }
        logger[metadataKey: "session"] = "s1"
        logger.warning("a \"quoted\" line\nand another", metadata: ["user": "42"])
        let written = lines.withLock { $0 }
        #expect(written.count == 1 && !written[0].contains("\n"))
        let object = try? JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: String]
        #expect(object?["message"] == "a \"quoted\" line\nand another")
        #expect(object?["level"] == "warning" && object?["user"] == "42" && object?["session"] == "s1" && object?["label"] == "test")
    }
}
