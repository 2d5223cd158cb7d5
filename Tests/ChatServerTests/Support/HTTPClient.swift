import ChatTestSupport
import ChatAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client for tests, over URLSession against the real server.
struct HTTPClient: Sendable {
    var baseURL: String
    var token: String?

    struct Reply: Sendable {
        var status: Int
        var data: Data
        var headers: [String: String] = [:]
        var text: String { String(decoding: data, as: UTF8.self) }

        func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
            guard (200..<300).contains(status) else { throw TestFailure("expected 2xx, got \(status): \(text)") }
            return try JSONDecoder.chatAPI().decode(T.self, from: data)
        }

        /// The error body's reason; fails unless the body has the protocol's error shape.
        func errorReason() throws -> String {
            let body = try JSONDecoder.chatAPI().decode(ErrorBody.self, from: data)
            guard body.error else { throw TestFailure("error body without error: true") }
            return body.reason
        }
    }

    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        let headers = Dictionary(http.allHeaderFields.compactMap { key, value in (key as? String).map { ($0.lowercased(), "\(value)") } }) { first, _ in first }
        return Reply(status: http.statusCode, data: data, headers: headers)
    }

    func request(_ method: String, _ path: String, json: some Encodable, headers: [String: String] = [:]) async throws -> Reply {
        try await request(method, path, body: try JSONEncoder.chatAPI().encode(json), headers: headers)
    }

    func get(_ path: String) async throws -> Reply { try await request("GET", path) }
    func delete(_ path: String) async throws -> Reply { try await request("DELETE", path) }
    func put(_ path: String) async throws -> Reply { try await request("PUT", path) }
    func post(_ path: String, _ json: some Encodable) async throws -> Reply { try await request("POST", path, json: json) }
    func put(_ path: String, _ json: some Encodable) async throws -> Reply { try await request("PUT", path, json: json) }
}
