import ChatAPI
import ChatClient
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One post's round trip over REST, the client's transport (AsyncHTTPClient) against
/// URLSession (what the client used before), alternating, on one server: the REST part of
/// "Enter in A → on B's screen".
enum RESTRoundTrip {
    static func run(server: ServerUnderTest, posts: Int = 400, log: (String) -> Void) async throws -> [Figure] {
        let device = DeviceInfo(id: UUID(), name: "bench", model: "bench")
        let anonymous = APIClient(baseURL: URL(string: "http://127.0.0.1:\(server.port)")!)
        let info = try await anonymous.register(RegisterRequest(name: "Rest", username: "rest\(UInt32.random(in: 0...UInt32.max))",
                                                                password: "password1", deviceInfo: device))
        guard let token = info.session(for: device.id)?.accessToken else { throw BenchError("no session") }
        let api = anonymous.withToken(token)
        let chat = try await api.createChat(CreateChatRequest(title: "rest", participants: [], isPersonal: false))
        let session = URLSession(configuration: .ephemeral)
        var ours: [Double] = [], theirs: [Double] = []
        for index in 0..<posts * 2 {
            let request = PostMessageRequest(localId: UUID().uuidString, text: "post \(index)")
            let start = ContinuousClock.now
            if index.isMultiple(of: 2) {
                _ = try await api.postMessage(chat.id, request)
                ours.append(milliseconds(ContinuousClock.now - start))
            } else {
                var urlRequest = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)" + APIPath.messages(chat.id))!)
                urlRequest.httpMethod = "POST"
                urlRequest.httpBody = try JSONEncoder.chatAPI().encode(request)
                urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
                urlRequest.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                let (_, response) = try await session.data(for: urlRequest)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchError("URLSession post failed") }
                theirs.append(milliseconds(ContinuousClock.now - start))
            }
        }
        log("rest: post round trip, AsyncHTTPClient p50 \(format(percentile(ours, 0.5))) p99 \(format(percentile(ours, 0.99))) ms; "
            + "URLSession p50 \(format(percentile(theirs, 0.5))) p99 \(format(percentile(theirs, 0.99))) ms")
        return [
            Figure(name: "rest: one post's round trip, the client's AsyncHTTPClient, p99 of \(posts) (p50 \(format(percentile(ours, 0.5))) ms)",
                   value: percentile(ours, 0.99), unit: "ms", budget: "report", meets: nil),
            Figure(name: "rest: the same through URLSession, alternating, p99 of \(posts) (p50 \(format(percentile(theirs, 0.5))) ms)",
                   value: percentile(theirs, 0.99), unit: "ms", budget: "report", meets: nil),
        ]
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
