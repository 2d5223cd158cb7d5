import ChatAPI
import Foundation
import Hummingbird
import NIOFoundationCompat

/// Per-request context: who is calling (set by `AuthMiddleware`) and the peer's address.
struct ChatRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var caller: Caller?
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// JSON bodies are small; uploads stream and do not go through the decoder.
    var maxUploadSize: Int { 1 << 20 }
    var requestDecoder: ChatRequestDecoder { ChatRequestDecoder() }

    /// The caller; routes behind `AuthMiddleware` always have one.
    func requireCaller() throws -> Caller {
        guard let caller else { throw APIError.unauthorized() }
        return caller
    }
}

/// Decodes JSON bodies with the protocol's date rules.
struct ChatRequestDecoder: RequestDecoder {
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        // A declared length past the limit is refused before a byte of the body is read.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > context.maxUploadSize {
            throw APIError.tooLarge("The request body is too large: JSON bodies are limited to 1 MB.")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("The request needs a JSON body.") }
        return try JSONDecoder.chatAPI().decode(T.self, from: buffer)
    }
}

/// A JSON answer encoded with the protocol's date rules.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // A posted message, the commonest answer, is written by hand when it can be.
        let data = if let message = value as? MessageInfo, let bytes = MessageJSON.encode(message) { Data(bytes) } else {
            try JSONEncoder.chatAPI().encode(value)
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }
}

extension Response {
    /// `200 OK` with an empty body, for the routes whose answer is just "OK".
    static var ok: Response { Response(status: .ok) }
}
