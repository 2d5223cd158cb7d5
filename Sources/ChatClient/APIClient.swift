import ChatAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Typed REST calls to a server that follows PROTOCOL.md, over URLSession.
public struct APIClient: Sendable {
    public let baseURL: URL
    public var token: String?
    let session: URLSession
    /// Seconds to wait for a TCP connection to a server not reached lately (nil: no probe).
    public var connectTimeout: Double?
    /// Seconds a request may take before it is given up (and retried, for queued work).
    public var requestTimeout: Double = 30
    /// A file transfer with no byte moved for this long is stopped (its total may be long:
    /// a large file on a slow link).
    public var transferStallTimeout: Duration = .seconds(30)

    /// How every URLSession of the client is configured: no cookies and no URL cache.
    /// FoundationNetworking's shared cookie store made `$XDG_DATA_HOME/debug`, world-readable,
    /// outside TermChat's own folders; TermChat needs no cookies.
    public static func sessionConfiguration() -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        return configuration
    }

    /// The session requests share unless told otherwise.
    public static let defaultSession = URLSession(configuration: sessionConfiguration())

    public init(baseURL: URL, token: String? = nil, session: URLSession = APIClient.defaultSession, connectTimeout: Double? = nil,
                requestTimeout: Double = 30) {
        self.baseURL = baseURL
        self.token = token
        self.session = session
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
                     headers: [String: String] = [:]) throws(ClientError) -> URLRequest {
        guard var components = URLComponents(url: baseURL.appendingPathComponent(""), resolvingAgainstBaseURL: false) else {
            throw .invalidURL(baseURL.absoluteString)
        }
        components.percentEncodedPath = baseURL.path.trimmingSuffix("/") + path
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let url = components.url else { throw .invalidURL(baseURL.absoluteString + path) }
        var request = URLRequest(url: url, timeoutInterval: requestTimeout)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        // JSON answers are small: no compression, so that no small answer can inflate into a
        // huge one in memory before its size can be checked (a gzip bomb).
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    /// Performs a request and answers the body of a 2xx, or the server's error as `ClientError`.
    func perform(_ request: URLRequest, limit: Int = BoundedDataLoader.defaultLimit) async throws(ClientError) -> Data {
        if let connectTimeout { try await ConnectProbe.ensure(baseURL, within: connectTimeout) }
        let data: Data
        let response: URLResponse?
        do {
            (data, response) = try await BoundedDataLoader.shared.data(for: request, limit: limit)
        } catch let error as ClientError {
            throw error
        } catch {
            ConnectProbe.forget(baseURL)
            throw Self.failure(error)
        }
        try Self.check(response, data)
        return data
    }

    static func check(_ response: URLResponse?, _ data: Data) throws(ClientError) {
        guard let http = response as? HTTPURLResponse else { throw .badResponse("an answer that is not HTTP") }
        guard (200..<300).contains(http.statusCode) else {
            let reason = (try? JSONDecoder.chatAPI().decode(ErrorBody.self, from: data).reason)
                ?? HTTPURLResponse.localizedString(forStatusCode: http.statusCode).capitalizedFirst
            if http.statusCode == 429 {
                throw .rateLimited(retryAfter: RetryAfter.seconds(http.value(forHTTPHeaderField: "Retry-After")), reason: reason)
            }
            throw .server(status: http.statusCode, reason: reason)
        }
    }

    /// A request that got no answer: a certificate problem in its own words, else unreachable.
    static func failure(_ error: any Error) -> ClientError {
        if let problem = TLSFailure.certificateProblem(in: error) { return .untrustedCertificate(problem) }
        return .unreachable(describe(error))
    }

    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        switch nsError.code {
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorTimedOut: return "timed out"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        case NSURLErrorCannotFindHost: return "unknown host"
        case NSURLErrorNotConnectedToInternet: return "offline"
        default: return nsError.localizedDescription
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
                            headers: [String: String] = [:], limit: Int = BoundedDataLoader.defaultLimit,
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

    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
