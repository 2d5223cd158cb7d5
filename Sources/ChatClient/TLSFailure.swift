import Foundation
import NIOSSL

/// Certificate problems, from REST or the event stream (both NIOSSL), as the words after "the server's certificate is
/// not trusted:". nil when the error is not about the server's certificate.
enum TLSFailure {
    static func certificateProblem(in error: any Error) -> String? {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "it is not issued for this server's name or address"
        }
        if let error = error as? NIOSSLError, case .handshakeFailed(let ssl) = error,
            "\(ssl)".contains("CERTIFICATE_VERIFY_FAILED")
        {
            return "no authority this system trusts signed it, or it expired"
        }
        return nil
    }
}
