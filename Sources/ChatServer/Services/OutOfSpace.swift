import Foundation
import GRDB
import NIOCore
import _NIOFileSystem

/// Recognises "the disk is full" in the errors of the database and of file writes, so it is
/// answered 507 with a sentence instead of 500, while reads go on being served.
enum OutOfSpace {
    static let error = APIError(status: .init(code: 507, reasonPhrase: "Insufficient Storage"), reason: "The server is out of disk space.")

    static func matches(_ error: any Error) -> Bool {
        if let error = error as? DatabaseError { return error.resultCode == .SQLITE_FULL }
        if let error = error as? IOError { return error.errnoCode == ENOSPC || error.errnoCode == EDQUOT }
        if let error = error as? FileSystemError {
            if let call = error.cause as? FileSystemError.SystemCallError {
                return call.errno.rawValue == ENOSPC || call.errno.rawValue == EDQUOT
            }
            return error.cause.map(matches) ?? false
        }
        return false
    }
}
