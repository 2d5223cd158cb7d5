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
            try await RawFrames.withEventStream(on: server) { fd in
                RawFrames.send(fd, opcode: 0x1, [0x68, 0x69, 0xFF])  // "hi" and 0xFF, never UTF-8
                let frames = try await offThePool { try RawFrames.read(fd, until: { $0.opcode == 0x8 }) }
                #expect(frames.last?.opcode == 0x8)
                #expect(frames.last?.code == 1007)
            }
        }
    }
}
