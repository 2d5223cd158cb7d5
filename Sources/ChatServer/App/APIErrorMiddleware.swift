import ChatAPI
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The one place where errors become answers: `{"error": true, "reason": "..."}` with the
/// right status. Anything unexpected is logged and answered 500 without internals.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = Self.apiError(for: error)
            if answer.status == .internalServerError {
                context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return Self.response(answer, closing: Self.leavesABodyTooLargeToRead(answer, request))
        }
    }

    /// What a client is told for `error`: its own status and sentence where it is one of ours,
    /// a 4xx for every mistake the framework or the parser reports, 507 for a full disk.
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            return APIError(status: error.status, reason: error.body ?? defaultReason(error.status))
        case let error as DecodingError:
            return .badRequest("The JSON body does not fit: \(describe(error))")
        case is NIOTooManyBytesError:
            return .tooLarge("The request body is too large: JSON bodies are limited to 1 MB.")
        case is HTTPParserError:
            return .badRequest("The request body is not valid HTTP (a bad chunk or length).")
        case let error as any HTTPResponseError where error.status.kind == .clientError:
            return APIError(status: error.status, reason: defaultReason(error.status))
        case _ where OutOfSpace.matches(error):
            return OutOfSpace.error
        case _ where PostgresErrorAnswers.apiError(for: error) != nil:
            return PostgresErrorAnswers.apiError(for: error)!
        default:
            return APIError(status: .internalServerError, reason: "The server failed; please try again.")
        }
    }

    /// A refused body that is large (or of unknown length) is not read to its end: the answer
    /// closes the connection instead.
    static func leavesABodyTooLargeToRead(_ answer: APIError, _ request: Request) -> Bool {
        guard answer.status == .contentTooLarge else { return false }
        guard let length = request.headers[.contentLength].flatMap(Int.init) else { return true }
        return length > 4 << 20
    }

    static func response(_ error: APIError, closing: Bool = false) -> Response {
        let data = (try? JSONEncoder.chatAPI().encode(ErrorBody(reason: error.reason))) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if closing { headers[.connection] = "close" }
        if let seconds = error.retryAfter { headers[.retryAfter] = String(seconds) }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    static func defaultReason(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No such route or resource."
        case .contentTooLarge: "The request body is too large."
        case .methodNotAllowed: "That method is not allowed here."
        default: status.reasonPhrase
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : " at `\(keys)`"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing `\(key.stringValue)`\(path(context))."
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))."
        case .valueNotFound(let type, let context): return "expected \(type)\(path(context))."
        case .dataCorrupted(let context): return "not valid JSON\(path(context))."
        @unknown default: return "invalid."
        }
    }
}
