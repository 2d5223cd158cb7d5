import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP client every REST call and transfer shares: one pool of HTTP/1.1 connections on
/// the event loops the event stream uses, TLS by NIOSSL as for the event stream (the system's
/// trust store, IP addresses in certificates, SNI for host names only), no cookies, no
/// decompression, and a connection that cannot be made fails its request at once (the sync
/// engine has its own retry policy).
///
/// Not URLSession: on Linux it is libcurl with gnutls, OpenSSL, Kerberos and LDAP behind it,
/// some 8 MB resident in a client that only talks JSON to one server, and its TLS was not the
/// event stream's.
enum HTTPTransport {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: .seconds(30), read: .seconds(60)),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// An answer whose body is read: its status, headers and at most `limit` bytes of body.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    /// Sends `request` and reads the whole answer, refusing a body over `limit` bytes (by its
    /// declared length before reading, else as it arrives) and a compressed one (asked for
    /// none: a small answer could inflate into a huge one).
    ///
    /// A kept-alive connection the server had closed (restarted, or its idle timeout struck
    /// as the request left) fails before any answer: the request is sent once more on a new
    /// connection, as libcurl did. Its body is bytes, so it can be; a post carries its localId,
    /// so a second one is recognised by the server.
    static func send(_ request: HTTPClientRequest, timeout: Double, limit: Int) async throws(ClientError) -> Answer {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                return try await read(response, limit: limit)
            } catch let error as ClientError {
                throw error
            } catch {
                if attempt == 1, closedBeforeAnswer(error) { continue }
                throw failure(error)
            }
        }
    }

    /// The connection was found closed before an answer's head arrived.
    static func closedBeforeAnswer(_ error: any Error) -> Bool {
        switch error {
        case let error as HTTPClientError: error == .remoteConnectionClosed
        case ChannelError.ioOnClosedChannel, ChannelError.eof, ChannelError.outputClosed, ChannelError.alreadyClosed: true
        case let error as IOError: error.errnoCode == ECONNRESET || error.errnoCode == EPIPE
        default: false
        }
    }

    static func read(_ response: HTTPClientResponse, limit: Int) async throws -> Answer {
        let encoding = response.headers.first(name: "Content-Encoding")?.lowercased() ?? "identity"
        if encoding != "identity" {
            throw ClientError.badResponse("the server compressed its answer although asked not to, so it was refused")
        }
        let tooLarge = ClientError.badResponse("the server's answer is larger than \(limit >> 20) MB, so it was refused")
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > limit { throw tooLarge }
        do {
            let buffer = try await response.body.collect(upTo: limit)
            return Answer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: buffer))
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    /// A request that got no answer: a certificate problem in its own words, else unreachable.
    static func failure(_ error: any Error) -> ClientError {
        if let problem = TLSFailure.certificateProblem(in: error) { return .untrustedCertificate(problem) }
        return .unreachable(describe(error))
    }

    /// Why there was no answer, in a few words for "Cannot reach the server (…)".
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection lost"
            case .cancelled: return "cancelled"
            default: return String(describing: error)
            }
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil { return "unknown host" }
            return error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED } ? "connection refused" : "no connection"
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return "connection refused"
        case let error as IOError where error.errnoCode == ECONNRESET || error.errnoCode == EPIPE:
            return "connection lost"
        case ChannelError.ioOnClosedChannel, ChannelError.eof, ChannelError.outputClosed, ChannelError.alreadyClosed:
            return "connection lost"
        case ChannelError.connectTimeout:
            return "timed out"
        case is SocketAddressError:
            return "unknown host"
        default:
            return String(describing: error)
        }
    }
}
