import Foundation

/// The body of every error answer: `{"error": true, "reason": "<sentence for a person>"}`.
public struct ErrorBody: Codable, Hashable, Sendable {
    public var error: Bool
    public var reason: String

    public init(reason: String) {
        self.error = true
        self.reason = reason
    }
}
