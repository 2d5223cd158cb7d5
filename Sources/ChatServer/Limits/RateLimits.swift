import Foundation

/// One token bucket's shape: `burst` requests at once, refilled at `perMinute`.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var burst: Double
    public var perMinute: Double

    public init(burst: Double, perMinute: Double) {
        self.burst = burst
        self.perMinute = perMinute
    }

    /// `burst:perMinute`, as `--rate-limit` takes it.
    public var description: String { "\(Self.format(burst)):\(Self.format(perMinute))" }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Every limit the server applies, by name. A limit that is absent does not apply.
///
/// The defaults, against the anchors of other servers (Synapse `rc_login` 0.003/s burst 5 per
/// address and account, failed 0.17/s burst 3, `rc_message` 0.2/s burst 10, registration
/// 0.17/s burst 3; Zulip 5 failed logins per 30 min; Signal 60 messages then 1/s):
/// - failed sign-ins weigh most: 5 per account at once, then one a minute (60 guesses an
///   hour, where 300 in 30 s went through);
/// - sign-ins per address are generous (20, then 10 a minute): a household or an office
///   shares an address, and a correct sign-in is rare and cheap to allow;
/// - registrations per address: 5, then one a minute;
/// - messages per account: 60 at once, then 10 a second. Stricter than a person typing needs,
///   more generous than Signal, so that a client flushing 500 queued messages is told to wait
///   about a second at a time and is done in under a minute;
/// - uploads per account: 20, then one a second; other writes (edits, read marks, typing,
///   settings) per account: 120, then 10 a second;
/// - per address, each of those five times the account's, so one address cannot escape them
///   with many accounts, while people behind one address are not refused for each other.
///
/// Limits hold per server instance (in memory); several instances behind one balancer each
/// allow this much.
public struct RateLimits: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case loginAddress = "login-address"
        case failedLoginAccount = "failed-login-account"
        case failedLoginAddress = "failed-login-address"
        case registerAddress = "register-address"
        case messageAccount = "message-account"
        case messageAddress = "message-address"
        case uploadAccount = "upload-account"
        case uploadAddress = "upload-address"
        case writeAccount = "write-account"
        case writeAddress = "write-address"
    }

    public var limits: [Name: RateLimit]

    public init(_ limits: [Name: RateLimit]) {
        self.limits = limits
    }

    public subscript(name: Name) -> RateLimit? {
        get { limits[name] }
        set { limits[name] = newValue }
    }

    public static let off = RateLimits([:])

    public static let defaults = RateLimits([
        .loginAddress: RateLimit(burst: 20, perMinute: 10),
        .failedLoginAccount: RateLimit(burst: 5, perMinute: 1),
        .failedLoginAddress: RateLimit(burst: 25, perMinute: 5),
        .registerAddress: RateLimit(burst: 5, perMinute: 1),
        .messageAccount: RateLimit(burst: 60, perMinute: 600),
        .messageAddress: RateLimit(burst: 300, perMinute: 3000),
        .uploadAccount: RateLimit(burst: 20, perMinute: 60),
        .uploadAddress: RateLimit(burst: 100, perMinute: 300),
        .writeAccount: RateLimit(burst: 120, perMinute: 600),
        .writeAddress: RateLimit(burst: 600, perMinute: 3000),
    ])

    /// Applies one `--rate-limit` value: `off`, `defaults`, `<name>=off` or
    /// `<name>=<burst>:<per-minute>`.
    public mutating func apply(_ text: String) throws(RateLimitSyntaxError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "off" { self = .off; return }
        if trimmed == "defaults" { self = .defaults; return }
        let parts = trimmed.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let name = Name(rawValue: parts[0]) else {
            throw RateLimitSyntaxError("Unknown rate limit \"\(text)\": use off, defaults, or <name>=<burst>:<per-minute> with a name of \(Name.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if parts[1] == "off" { limits[name] = nil; return }
        let numbers = parts[1].split(separator: ":").map { Double($0) }
        guard numbers.count == 2, let burst = numbers[0], let perMinute = numbers[1], burst >= 1, perMinute > 0,
              burst.isFinite, perMinute.isFinite
        else {
            throw RateLimitSyntaxError("\(name.rawValue) needs <burst>:<per-minute>, a burst of at least 1 and a rate above 0 (e.g. \(name.rawValue)=60:600).")
        }
        limits[name] = RateLimit(burst: burst, perMinute: perMinute)
    }
}

public struct RateLimitSyntaxError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
