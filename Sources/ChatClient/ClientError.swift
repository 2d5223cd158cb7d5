import Foundation

/// What went wrong talking to a server, with the sentence to show a person.
public enum ClientError: Error, Sendable, Equatable {
    /// The server answered with an error status; `reason` is its own sentence.
    case server(status: Int, reason: String)
    /// 429: the server asks to wait `retryAfter` seconds (its `Retry-After`) before trying
    /// again. Work is kept and tried again then; nothing is failed.
    case rateLimited(retryAfter: Int, reason: String)
    /// No answer: the server is unreachable, the connection dropped, or it timed out.
    case unreachable(String)
    /// The answer was not what the protocol says.
    case badResponse(String)
    /// A file could not be read or written locally.
    case localFile(String)
    /// The address given is not a usable server URL.
    case invalidURL(String)
    /// TLS failed on the server's certificate; the words say why. Kept and tried again (the
    /// person may trust the authority meanwhile), like no answer.
    case untrustedCertificate(String)

    /// The sentence for the status line.
    public var userMessage: String {
        switch self {
        case .server(_, let reason), .rateLimited(_, let reason): reason
        case .unreachable(let detail): "Cannot reach the server (\(detail))."
        case .badResponse(let detail): "The server sent something unexpected (\(detail))."
        case .localFile(let detail): detail
        case .invalidURL(let text): "\"\(text)\" is not a server address; use e.g. http://127.0.0.1:8080."
        case .untrustedCertificate(let detail): "The server's certificate is not trusted: \(detail)."
        }
    }

    /// Worth trying again later: no answer, or the server's own failure (5xx). A 4xx is final.
    public var isRetryable: Bool {
        switch self {
        case .unreachable, .rateLimited, .untrustedCertificate: true
        case .server(let status, _): status >= 500 || status == 408 || status == 429
        // A 2xx that cannot be read may well have been stored: try again under the same
        // localId (the server answers the original; a page or an event confirms it), never
        // call it refused.
        case .badResponse: true
        case .localFile, .invalidURL: false
        }
    }

    /// The token no longer works: the user must sign in again.
    public var isUnauthorized: Bool {
        if case .server(401, _) = self { return true }
        return false
    }
}

extension ClientError: LocalizedError {
    public var errorDescription: String? { userMessage }
}
