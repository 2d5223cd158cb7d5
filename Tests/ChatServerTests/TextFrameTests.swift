import ChatAPI
import ChatTestSupport
import Foundation
import Testing
@testable import ChatServer
#if canImport(Glibc)
import Glibc
#endif

/// A text frame that is not UTF-8 closes the event stream with 1007.
@Suite struct TextFrameTests {
    @Test func theValidatorFollowsCharactersAcrossFrames() {
        var validator = TextFrameValidator()
        func accept(_ opcode: TextFrameValidator.Opcode, fin: Bool, _ bytes: [UInt8]) -> Bool {
            let accepted = validator.accept(opcode: opcode, fin: fin, bytes: bytes)
            return accepted
        }
        #expect(accept(.text, fin: true, Array("grüße".utf8)))
        #expect(!accept(.text, fin: true, [0x61, 0xFF]))
        // "ü" split between two frames is fine; a message that ends inside a character is not.
        let umlaut = Array("ü".utf8)
        #expect(accept(.text, fin: false, [0x61, umlaut[0]]))
        #expect(accept(.continuation, fin: true, [umlaut[1], 0x62]))
        #expect(accept(.text, fin: false, [umlaut[0]]))
        #expect(!accept(.continuation, fin: true, []))
        // Binary messages are not text.
        #expect(accept(.binary, fin: false, [0xFF]))
        #expect(accept(.continuation, fin: true, [0xFE]))
        // An encoded surrogate is not UTF-8.
        #expect(!accept(.text, fin: true, [0xED, 0xA0, 0x80]))
    }

    @Test func aTextFrameThatIsNotUTF8ClosesWith1007() async throws {
        try await withServer { server in
            let alice = try await TestUser.register("Alice", on: server)
            let (fd, status) = try await RawHTTP.upgrade(port: server.port, path: APIPath.events(alice.sessionId), token: alice.token)
            defer { close(fd) }
            #expect(status == 101)
            // A masked text frame holding 0xFF (never UTF-8).
            let mask: [UInt8] = [1, 2, 3, 4]
            let payload: [UInt8] = [0x68, 0x69, 0xFF]
            let frame: [UInt8] = [0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $1 ^ mask[$0 % 4] }
            _ = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            let code = try await offThePool { () -> Int? in
                // What arrives until the server closes: a close frame (0x88), whose first two
                // payload bytes are the code (frames before it, if any, are skipped).
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                // A server that never closes fails the test instead of hanging it.
                var limit = timeval(tv_sec: 20, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                while true {
                    let count = recv(fd, &buffer, buffer.count, 0)
                    if count <= 0 { break }
                    received += buffer[0..<count]
                }
                var index = 0
                while index + 1 < received.count {
                    let length = Int(received[index + 1] & 0x7F)
                    if received[index] == 0x88, index + 3 < received.count { return Int(received[index + 2]) << 8 | Int(received[index + 3]) }
                    index += 2 + length
                }
                return nil
            }
            #expect(code == 1007)
        }
    }
}
