import Foundation
import HTTPTypes

/// An error a client caused (or, rarely, one of ours), with the sentence a person reads.
/// The one place that turns it into `{"error": true, "reason": ...}` is `APIErrorMiddleware`.
struct APIError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var reason: String
    /// Seconds to wait before trying again, sent as `Retry-After` (with 429 and 503).
    var retryAfter: Int? = nil

    static func badRequest(_ reason: String) -> APIError { .init(status: .badRequest, reason: reason) }
    static func unauthorized(_ reason: String = "Sign in first: the access token is missing, invalid or expired.") -> APIError {
        .init(status: .unauthorized, reason: reason)
    }
    static func forbidden(_ reason: String) -> APIError { .init(status: .forbidden, reason: reason) }
    static func notFound(_ reason: String) -> APIError { .init(status: .notFound, reason: reason) }
    static func conflict(_ reason: String) -> APIError { .init(status: .conflict, reason: reason) }
    static func tooLarge(_ reason: String) -> APIError { .init(status: .contentTooLarge, reason: reason) }
    static func unprocessable(_ reason: String) -> APIError { .init(status: .unprocessableContent, reason: reason) }

    static let chatNotFound = notFound("No such chat, or you are not in it.")
    static let messageNotFound = notFound("No such message in this chat.")
    static func userNotFound(_ id: Int) -> APIError { notFound("No user with id \(id).") }
}

/// Who is calling: resolved from the Bearer token by `AuthMiddleware`.
struct Caller: Sendable, Hashable {
    var userId: Int
    var sessionId: UUID
}
