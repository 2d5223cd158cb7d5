import Foundation

/// **[ours]** Where a client is in its event stream: the server's stream (one per server run,
/// and a new one after any moment the server may have missed events) and the number of the
/// last frame the client got. A client that reconnects with it gets the frames it missed and
/// needs no catch-up over REST, while the server still holds them.
public struct StreamPosition: Hashable, Sendable {
    public var stream: String
    public var seq: UInt64

    public init(stream: String, seq: UInt64) {
        self.stream = stream
        self.seq = seq
    }
}

/// **[ours]** What a client asks for with `?resume=` on the event stream's URL: `new` (it can
/// resume, and has no position yet) or `<stream>.<seq>`. A server that knows it answers with a
/// `StreamHello` first; the upstream ignores the query.
public enum ResumeRequest: Hashable, Sendable {
    case noPosition
    case after(StreamPosition)

    public static let queryName = "resume"

    public var queryValue: String {
        switch self {
        case .noPosition: "new"
        case .after(let position): "\(position.stream).\(position.seq)"
        }
    }

    public init?(queryValue value: some StringProtocol) {
        if value == "new" {
            self = .noPosition
            return
        }
        guard let dot = value.lastIndex(of: "."), let seq = UInt64(value[value.index(after: dot)...]) else { return nil }
        let stream = value[..<dot]
        guard !stream.isEmpty, stream.utf8.count <= 64,
              stream.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "-") })
        else { return nil }
        self = .after(StreamPosition(stream: String(stream), seq: seq))
    }

    /// The request in a URI's query (`/<session>?resume=…`): nil when there is none; throws
    /// when its value is neither form.
    public static func inURI(_ uri: String) throws(Malformed) -> ResumeRequest? {
        guard let question = uri.firstIndex(of: "?") else { return nil }
        let query = uri[uri.index(after: question)...].prefix { $0 != "#" }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first == Substring(queryName) else { continue }
            guard parts.count == 2, let request = ResumeRequest(queryValue: parts[1]) else { throw Malformed() }
            return request
        }
        return nil
    }

    public struct Malformed: Error, Hashable, Sendable {
        public var reason: String { "The event stream's resume position is `new` or `<stream>.<number>`, as the stream's first frame gave it." }
    }
}

/// **[ours]** The first frame of a stream whose client asked to resume:
/// `{"event":"stream","source":"system","payload":{"stream":…,"seq":…,"resumed":…}}`. `resumed`
/// says whether the frames after the client's position follow (then no catch-up is needed);
/// `seq` is the position the client is at now.
public struct StreamHello: Hashable, Sendable {
    public var stream: String
    public var seq: UInt64
    public var resumed: Bool

    public init(stream: String, seq: UInt64, resumed: Bool) {
        self.stream = stream
        self.seq = seq
        self.resumed = resumed
    }

    public static let eventName = "stream"
    private static let prefix = Array(#"{"event":"stream","#.utf8)

    public var frameText: String {
        #"{"event":"stream","source":"system","payload":{"stream":"\#(stream)","seq":\#(seq),"resumed":\#(resumed)}}"#
    }

    private struct Wire: Decodable {
        struct Payload: Decodable {
            var stream: String
            var seq: UInt64
            var resumed: Bool
        }
        var event: String
        var payload: Payload
    }

    /// The hello in `data`, or nil when `data` is another frame.
    public static func decode(_ data: Data) -> StreamHello? {
        guard data.starts(with: prefix), let wire = try? JSONDecoder().decode(Wire.self, from: data), wire.event == eventName else { return nil }
        return StreamHello(stream: wire.payload.stream, seq: wire.payload.seq, resumed: wire.payload.resumed)
    }
}

/// **[ours]** Event frames are numbered: each starts with `{"seq":N,` and goes on with the
/// envelope's keys. One number per frame sent, in the order the server sent them.
public enum SequencedFrame {
    public static func prefix(_ seq: UInt64) -> String { #"{"seq":\#(seq),"# }

    private static let seqKey = Array(#"{"seq":"#.utf8)

    /// The frame's number, and the envelope without it (`data` itself when it has none).
    public static func split(_ data: Data) -> (seq: UInt64?, envelope: Data) {
        guard data.starts(with: seqKey) else { return (nil, data) }
        var seq: UInt64 = 0
        var index = data.startIndex + seqKey.count
        var digits = 0
        while index < data.endIndex, let digit = Self.digit(data[index]) {
            let (times, overflow1) = seq.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return (nil, data) }
            seq = sum
            digits += 1
            index += 1
        }
        guard digits > 0, index < data.endIndex, data[index] == UInt8(ascii: ",") else { return (nil, data) }
        var envelope = Data(capacity: data.endIndex - index)
        envelope.append(UInt8(ascii: "{"))
        envelope.append(data[(index + 1)...])
        return (seq, envelope)
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }
}
