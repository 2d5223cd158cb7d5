import Testing
@testable import ChatServer

/// Stored hashes must stay readable: the hash is SHA-256 in lower-case hex, as it always was.
@Suite struct TokenCodecTests {
    @Test func theHashIsLowerCaseHexOfSHA256() {
        #expect(TokenCodec.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenCodec.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
