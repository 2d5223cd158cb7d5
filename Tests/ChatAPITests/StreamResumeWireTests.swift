import ChatAPI
import Foundation
import Testing

@Suite struct StreamResumeWireTests {
    @Test func resumeRequestsReadFromTheQueryAndWriteBack() throws {
        let position = StreamPosition(stream: "0F0E0D0C-0B0A-0908-0706-050403020100", seq: 42)
        #expect(try ResumeRequest.inURI("/x?resume=new") == .noPosition)
        #expect(try ResumeRequest.inURI("/x?a=1&resume=\(position.stream).42#f") == .after(position))
        #expect(try ResumeRequest.inURI("/x") == nil)
        #expect(try ResumeRequest.inURI("/x?other=1") == nil)
        #expect(ResumeRequest(queryValue: ResumeRequest.after(position).queryValue) == .after(position))
        for bad in ["/x?resume=", "/x?resume", "/x?resume=abc", "/x?resume=.3", "/x?resume=a.b", "/x?resume=a%2Fb.3", "/x?resume=a.99999999999999999999"] {
            #expect(throws: ResumeRequest.Malformed.self, "\(bad)") { try ResumeRequest.inURI(bad) }
        }
    }

    @Test func aNumberedFrameSplitsIntoItsNumberAndTheEnvelope() throws {
        let envelope = try EventEnvelope(event: .chatDeleted(UUID()), source: .user(7)).encode()
        let numbered = Data(SequencedFrame.prefix(123).utf8) + envelope.dropFirst()
        let (seq, rest) = SequencedFrame.split(numbered)
        #expect(seq == 123)
        #expect(rest == envelope)
        #expect(try EventEnvelope.decode(rest) == EventEnvelope.decode(envelope))
        // Frames without a number (the upstream's) pass as they are.
        #expect(SequencedFrame.split(envelope) == (nil, envelope))
        let unnumbered = Data(#"{"seq":x,"event":"chatDeleted"}"#.utf8)
        #expect(SequencedFrame.split(unnumbered).seq == nil)
    }

    @Test func theHelloReadsBackAndOtherFramesAreNotHellos() throws {
        let hello = StreamHello(stream: "abc-1", seq: 9, resumed: true)
        #expect(StreamHello.decode(Data(hello.frameText.utf8)) == hello)
        #expect(StreamHello.decode(try EventEnvelope(event: .chatDeleted(nil), source: .system).encode()) == nil)
        #expect(StreamHello.decode(Data(#"{"event":"stream","source":"system"}"#.utf8)) == nil)
    }
}
