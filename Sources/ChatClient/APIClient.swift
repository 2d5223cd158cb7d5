import AsyncHTTPClient
import ChatAPI
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Typed REST calls to a server that follows PROTOCOL.md, over `HTTPTransport`.
public struct APIClient: Sendable {
    public let baseURL: URL
    public var token: String?
    /// Seconds to wait for a TCP connection to a server not reached lately (nil: no probe).
    public var connectTimeout: Double?
    /// Seconds a request may take before it is given up (and retried, for queued work).
    public var requestTimeout: Double = 30
    /// A file transfer with no byte moved for this long is stopped (its total may be long:
    /// a large file on a slow link).
    public var transferStallTimeout: Duration = .seconds(30)

    /// Far above any answer a server of this protocol gives (a 500-message page is about 1 MB; 16 MB is a list of some 30,000 chats).
    static let defaultLimit = 16 << 20
    /// The chat list, which the protocol cannot page (a chat with two people and a last message is about 500 bytes).
    static let chatListLimit = 64 << 20

    public init(baseURL: URL, token: String? = nil, connectTimeout: Double? = nil, requestTimeout: Double = 30) {
        self.baseURL = baseURL
        self.token = token
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    public func withToken(_ token: String?) -> APIClient {
        var copy = self
        copy.token = token
        return copy
    }

    // MARK: Transport

    func makeRequest(_ method: String, _ path: String, query: [String: String] = [:], body: Data? = nil,
                     headers: [String: String] = [:]) throws(ClientError) -> HTTPClientRequest {
        guard var components = URLComponents(url: baseURL.appendingPathComponent(""), resolvingAgainstBaseURL: false) else {
            throw .invalidURL(baseURL.absoluteString)
        }
        components.percentEncodedPath = baseURL.path.trimmingSuffix("/") + path
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let url = components.url else { throw .invalidURL(baseURL.absoluteString + path) }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(data: body))
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        }
        if let token { request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)") }
        // JSON answers are small: no compression, so that no small answer can inflate into a
        // huge one in memory before its size can be checked (a gzip bomb).
        request.headers.replaceOrAdd(name: "Accept-Encoding", value: "identity")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        return request
    }

    /// Performs a request and answers the body of a 2xx, or the server's error as `ClientError`.
    func perform(_ request: HTTPClientRequest, limit: Int = defaultLimit) async throws(ClientError) -> Data {
        if let connectTimeout { try await ConnectProbe.ensure(baseURL, within: connectTimeout) }
        let answer: HTTPTransport.Answer
        do {
            answer = try await HTTPTransport.send(request, timeout: requestTimeout, limit: limit)
        } catch {
            if case .unreachable = error { ConnectProbe.forget(baseURL) }
            throw error
        }
        try Self.check(answer)
        return answer.body
    }

    static func check(_ answer: HTTPTransport.Answer) throws(ClientError) {
        guard (200..<300).contains(answer.status) else {
            let reason = (try? JSONDecoder.chatAPI().decode(ErrorBody.self, from: answer.body).reason)
                ?? HTTPResponseStatus(statusCode: answer.status).reasonPhrase
            if answer.status == 429 {
                throw .rateLimited(retryAfter: RetryAfter.seconds(answer.headers.first(name: "Retry-After")), reason: reason)
            }
            throw .server(status: answer.status, reason: reason)
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws(ClientError) -> T {
        do {
            return try JSONDecoder.chatAPI().decode(T.self, from: data)
        } catch {
            throw .badResponse(Self.describeUnreadable(error))
        }
    }

    /// What could not be read in an answer, in words and the answer's own terms (no type names).
    static func describeUnreadable(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return context.codingPath.isEmpty ? "no \"\(key.stringValue)\" in its answer" : "no \"\(key.stringValue)\" in \(path(context)) of its answer"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "an unexpected value at \(path(context)) of its answer"
        case .dataCorrupted(let context)? where !context.codingPath.isEmpty:
            return "an unreadable value at \(path(context)) of its answer"
        default:
            return "an answer that is not the JSON the protocol describes"
        }
    }

    func encode(_ value: some Encodable) throws(ClientError) -> Data {
        do {
            return try JSONEncoder.chatAPI().encode(value)
        } catch {
            throw .badResponse("the request could not be encoded")
        }
    }

    /// A call with a JSON answer.
    func call<T: Decodable>(_ method: String, _ path: String, query: [String: String] = [:], json: (some Encodable)? = Optional<Int>.none,
                            headers: [String: String] = [:], limit: Int = defaultLimit,
                            as type: T.Type = T.self) async throws(ClientError) -> T {
        let body = try json.map { value throws(ClientError) in try encode(value) }
        return try decode(T.self, try await perform(try makeRequest(method, path, query: query, body: body, headers: headers), limit: limit))
    }

    /// A call whose answer is just "OK".
    func call(_ method: String, _ path: String, json: (some Encodable)? = Optional<Int>.none) async throws(ClientError) {
        let body = try json.map { value throws(ClientError) in try encode(value) }
        _ = try await perform(try makeRequest(method, path, body: body))
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
