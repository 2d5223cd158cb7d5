import Hummingbird
import PostgresNIO

/// What a client is told when PostgreSQL, not the request, is the problem: 503 while the
/// database cannot be reached (the pool reconnects; the client retries), 507 when its disk is
/// full, as for SQLite's.
enum PostgresErrorAnswers {
    static func apiError(for error: any Error) -> APIError? {
        if error is PostgresDeadline.Exceeded {
            return APIError(status: .serviceUnavailable, reason: "The database is not answering; please try again shortly.")
        }
        guard let error = error as? PSQLError else { return nil }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown, .sslUnsupported:
            return APIError(status: .serviceUnavailable, reason: "The database is not answering; please try again shortly.")
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            if state == "53100" { return OutOfSpace.error }  // disk_full
            // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
            if ["57P01", "57P02", "57P03", "53300"].contains(state) {
                return APIError(status: .serviceUnavailable, reason: "The database is not answering; please try again shortly.")
            }
            return nil
        default:
            return nil
        }
    }
}
