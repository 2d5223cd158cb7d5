import ChatAPI
@testable import ChatClient
import ChatTestSupport
import Foundation
import Testing

/// TLS as a real server is reached, behind a TLS front with a test authority: the event stream
/// by host name and by IP address (the certificate names both), live events included; an
/// untrusted certificate said in words, over REST and on the event stream. The upstream behind
/// nginx by `https://127.0.0.1` worked over REST while the event stream never connected.
@Suite struct EventStreamTLSTests {
    struct Front {
        let server: TestServer
        let front: TLSFront
        let certificates: TestCertificates
        let api: APIClient
        let sessionId: UUID
        let userId: UserID
    }

    func withFront(selfSigned: Bool = false, _ body: (Front) async throws -> Void) async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = try TestCertificates.make(in: directory)
        try await withServer { server in
            let front = try await TLSFront.start(
                forwardingTo: server.port,
                certificateFile: selfSigned ? certificates.selfSignedCertificateFile : certificates.certificateFile,
                keyFile: selfSigned ? certificates.selfSignedKeyFile : certificates.keyFile)
            // Signed up over plain HTTP: REST over TLS on Linux trusts the system's store only.
            let device = DeviceInfo(id: UUID(), name: "t", model: "t")
            let anonymous = APIClient(baseURL: URL(string: server.baseURL)!)
            let info = try await anonymous.register(RegisterRequest(name: "A", username: UniqueName.make("tls"), password: "password1", deviceInfo: device))
            let session = try #require(info.session(for: device.id))
            do {
                try await body(Front(server: server, front: front, certificates: certificates,
                                     api: anonymous.withToken(session.accessToken), sessionId: session.id, userId: info.info.id))
            } catch {
                await front.stop()
                throw error
            }
            await front.stop()
        }
    }

    /// The first event after connecting through the front at `host`, with the test authority trusted.
    func liveEvent(through front: Front, host: String) async throws -> EventStreamSignal {
        let chat = try await front.api.createChat(CreateChatRequest(title: "tls", participants: [], isPersonal: false))
        var configuration = EventStream.Configuration()
        configuration.extraTrustedCertificatesFile = front.certificates.authorityFile
        let overTLS = APIClient(baseURL: URL(string: "https://\(host):\(front.front.port)")!, token: front.api.token)
        let stream = EventStream(api: overTLS, sessionId: front.sessionId, configuration: configuration)
        return try await firstSignal(of: stream, after: { try await front.api.notify(chat.id, name: "over-tls") }) {
            if case .event = $0 { true } else { false }
        }
    }

    /// Waits for `.connected`, runs `action`, then answers the first signal `matches` accepts;
    /// fails on `.problem` or a disconnect before it.
    func firstSignal(of stream: EventStream, after action: @escaping @Sendable () async throws -> Void,
                     where matches: @escaping @Sendable (EventStreamSignal) -> Bool) async throws -> EventStreamSignal {
        try await withThrowingTaskGroup(of: EventStreamSignal.self) { group in
            group.addTask {
                for await signal in stream.signals() {
                    switch signal {
                    case .connected: try await action()
                    case .problem, .disconnected: throw TestFailure("no connection: \(signal)")
                    default: if matches(signal) { return signal }
                    }
                }
                throw TestFailure("the stream ended")
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                throw TestFailure("no event in 30 s")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    @Test(arguments: ["localhost", "127.0.0.1"])
    func theEventStreamConnectsOverTLSByNameAndByAddress(host: String) async throws {
        try await withFront { front in
            let event = try await liveEvent(through: front, host: host)
            guard case .event(let envelope) = event, case .auxiliary(let payload) = envelope.event else {
                Issue.record("expected the notification, got \(event)")
                return
            }
            #expect(payload.name == "over-tls")
        }
    }

    @Test(arguments: ["localhost", "127.0.0.1"])
    func anUntrustedCertificateIsSaidInWordsOnTheEventStream(host: String) async throws {
        try await withFront(selfSigned: true) { front in
            var configuration = EventStream.Configuration()
            configuration.extraTrustedCertificatesFile = front.certificates.authorityFile  // not the self-signed one
            let overTLS = APIClient(baseURL: URL(string: "https://\(host):\(front.front.port)")!, token: front.api.token)
            let stream = EventStream(api: overTLS, sessionId: front.sessionId, configuration: configuration)
            var problem: String?
            for await signal in stream.signals() {
                if case .problem(let sentence) = signal { problem = sentence; break }
                if case .connected = signal { break }
                if case .disconnected = signal { break }  // a problem comes before it
            }
            #expect(problem?.hasPrefix("The server's certificate is not trusted: ") == true, "\(problem ?? "connected")")
        }
    }

    @Test(arguments: ["localhost", "127.0.0.1"])
    func anUntrustedCertificateIsSaidInWordsOverREST(host: String) async throws {
        try await withFront(selfSigned: true) { front in
            let overTLS = APIClient(baseURL: URL(string: "https://\(host):\(front.front.port)")!, token: front.api.token)
            do {
                _ = try await overTLS.me()
                Issue.record("a self-signed certificate was trusted")
            } catch let error as ClientError {
                guard case .untrustedCertificate = error else {
                    Issue.record("expected an untrusted certificate, got \(error)")
                    return
                }
                #expect(error.userMessage.hasPrefix("The server's certificate is not trusted: "))
            }
        }
    }
}
