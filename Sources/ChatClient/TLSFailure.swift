import Foundation
import NIOSSL

/// Certificate problems, from either transport, as the words after "the server's certificate is
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
        let nsError = error as NSError
        guard nsError.domain == NSURLErrorDomain else { return nil }
        // URLSession on Linux passes libcurl's sentence with code -1 (unknown).
        let said = nsError.localizedDescription
        if let range = said.range(of: "SSL certificate problem: ") { return String(said[range.upperBound...]) }
        if said.contains("no alternative certificate subject name matches") {
            return "it is not issued for this server's name or address"
        }
        switch nsError.code {
        case NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasUnknownRoot:
            return "no authority this system trusts signed it, or it is for another name or address"
        case NSURLErrorServerCertificateHasBadDate, NSURLErrorServerCertificateNotYetValid:
            return "it has expired or is not valid yet"
        default:
            return nil
        }
    }
}
