import ChatAPI
import Foundation
import NIOCore

/// The protocol's error body as bytes, for the connection handlers that answer below the router.
enum ErrorBytes {
    static func body(_ reason: String) -> ByteBuffer {
        let data = (try? JSONEncoder.chatAPI().encode(ErrorBody(reason: reason))) ?? Data()
        return ByteBuffer(bytes: data)
    }

    /// A whole HTTP/1.1 response that closes the connection, for answers written straight onto
    /// the socket (before any HTTP decoding happened).
    static func rawResponse(status: Int, phrase: String, reason: String) -> ByteBuffer {
        let body = body(reason)
        var buffer = ByteBuffer(string: """
            HTTP/1.1 \(status) \(phrase)\r
            Content-Type: application/json; charset=utf-8\r
            Content-Length: \(body.readableBytes)\r
            Connection: close\r
            \r

            """)
        var copy = body
        buffer.writeBuffer(&copy)
        return buffer
    }
}
