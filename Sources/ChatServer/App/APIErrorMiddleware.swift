import ChatAPI
import Foundation
import Hummingbird
import NIOFoundationCompat

/// The one place where errors become answers: `{"error": true, "reason": "..."}` with the
/// right status. Anything unexpected is logged and answered 500 without internals.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error)
        } catch let error as HTTPError {
            let reason = error.body ?? Self.defaultReason(error.status)
            return Self.response(APIError(status: error.status, reason: reason))
        } catch let error as DecodingError {
            return Self.response(.badRequest("The JSON body does not fit: \(Self.describe(error))"))
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Self.response(APIError(status: .internalServerError, reason: "The server failed; please try again."))
        }
    }

    static func response(_ error: APIError) -> Response {
        let data = (try? JSONEncoder.chatAPI().encode(ErrorBody(reason: error.reason))) ?? Data()
        return Response(
            status: error.status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(data: data))
        )
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
