import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP proxy in front of a real server: every request is passed on and its answer
/// passed back, except that the first `count` answers to requests whose head matches
/// `predicate` have their body replaced by `replacement` (status kept). One request per
/// connection (`Connection: close` both ways), so no HTTP framing beyond one message is needed.
public final class ManglingProxy: Sendable {
    public let port: Int
    private let listener: Int32
    private let mangled = Mutex(0)

    private let holding: Bool
    private let gate = DispatchSemaphore(value: 0)
    /// Yields each time a matching request has arrived and its answer is held (with `holding`).
    public let held: AsyncStream<Void>
    private let heldContinuation: AsyncStream<Void>.Continuation

    public var mangledCount: Int { mangled.withLock { $0 } }

    /// Lets one held answer go.
    public func release() { gate.signal() }

    /// `holding`: matching answers are not mangled but held until `release()`, so that a test
    /// can act while a request is in flight. `hangingWith`: matching requests are not passed on;
    /// the proxy answers with these bytes (a head, say) and then sends nothing until
    /// `release()` (a server that hangs a download).
    public init(to serverPort: Int, count: Int = 1, replacement: String = "{\"this is\": not json", holding: Bool = false,
                hangingWith hangingHead: String? = nil, where predicate: @escaping @Sendable (String) -> Bool) {
        self.holding = holding || hangingHead != nil
        (held, heldContinuation) = AsyncStream.makeStream(of: Void.self)
        let (listener, port) = listenLoopback(backlog: 64)
        self.listener = listener
        self.port = port
        let thread = Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return
                }
                Thread {
                    defer { close(client) }
                    guard let request = Self.readRequest(client) else { return }
                    let head = String(decoding: request.prefix(while: { $0 != 13 }), as: UTF8.self)
                    if let hangingHead, predicate(head), self.mangled.withLock({ done in
                        guard done < count else { return false }
                        done += 1
                        return true
                    }) {
                        Self.sendAll(client, Array(hangingHead.utf8))
                        self.heldContinuation.yield()
                        self.gate.wait()
                        return
                    }
                    guard let server = try? connectLoopback(port: serverPort) else { return }
                    defer { close(server) }
                    if String(decoding: request, as: UTF8.self).lowercased().contains("upgrade: websocket") {
                        // The event stream passes through untouched, both ways, until either side closes.
                        Self.sendAll(server, request)
                        let back = Thread { Self.pump(from: server, to: client) }
                        back.start()
                        Self.pump(from: client, to: server)
                        shutdown(server, Int32(SHUT_RDWR))
                        return
                    }
                    Self.sendAll(server, Self.closing(request))
                    var answer = Self.readToEnd(server)
                    let mangle = predicate(head) && self.mangled.withLock { done in
                        guard done < count else { return false }
                        done += 1
                        return true
                    }
                    if mangle, self.holding {
                        self.heldContinuation.yield()
                        self.gate.wait()
                    } else if mangle {
                        answer = Self.replacingBody(of: answer, with: replacement)
                    }
                    // The server closes after answering a `Connection: close` request but does not
                    // say so in its answer (a SHOULD in RFC 9112); say it, or the client may reuse
                    // the connection for its next request as the proxy closes it ("connection lost").
                    Self.sendAll(client, Self.closing(answer))
                }.start()
            }
        }
        thread.start()
    }

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// The request's head and its Content-Length body.
    static func readRequest(_ socket: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = headEnd(data) {
                let head = String(decoding: data[..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count >= end + 4 + length { return data }
            }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            data += buffer[0..<count]
        }
    }

    static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// The message (a request or an answer) with `Connection: close`: the server ends its
    /// answer by closing, and the client does not reuse the connection.
    static func closing(_ request: [UInt8]) -> [UInt8] {
        guard let end = headEnd(request) else { return request }
        let lines = String(decoding: request[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            .filter { !$0.lowercased().hasPrefix("connection:") }
        return Array((lines + ["Connection: close"]).joined(separator: "\r\n").utf8) + Array(request[end...])
    }

    static func readToEnd(_ socket: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return data }
            data += buffer[0..<count]
        }
    }

    static func replacingBody(of answer: [UInt8], with body: String) -> [UInt8] {
        guard let end = headEnd(answer) else { return answer }
        let lines = String(decoding: answer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            .filter { !$0.lowercased().hasPrefix("content-length:") && !$0.lowercased().hasPrefix("transfer-encoding:") }
        return Array((lines + ["Content-Length: \(body.utf8.count)"]).joined(separator: "\r\n").utf8) + Array("\r\n\r\n".utf8) + Array(body.utf8)
    }

    /// Copies bytes from one socket to the other until the first ends; then ends the second.
    static func pump(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            if count <= 0 { break }
            sendAll(target, Array(buffer[0..<count]))
        }
        shutdown(target, Int32(SHUT_WR))
    }

    static func sendAll(_ socket: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }
}
