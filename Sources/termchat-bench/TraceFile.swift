import Foundation

/// The lines `termchat` writes with `TERMCHAT_TRACE` (see `LatencyTrace`): times in ns of
/// CLOCK_REALTIME, so they compare across processes and with `date +%s%N`.
struct TraceFile {
    struct Line {
        let time: Int64
        let kind: Substring
        let detail: [Substring]
    }

    let path: String
    private var read: [Line] = []
    private var offset: UInt64 = 0
    private var partial = Data()

    init(path: String) { self.path = path }

    /// Every line so far; reads only what was appended since the last call.
    mutating func lines() -> [Line] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return read }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = handle.readDataToEndOfFile()
        offset += UInt64(data.count)
        partial.append(data)
        guard let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) else { return read }
        let complete = partial[partial.startIndex...lastNewline]
        for line in String(decoding: complete, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let time = Int64(fields[0]) else { continue }
            read.append(Line(time: time, kind: fields[1], detail: Array(fields.dropFirst(2))))
        }
        partial = Data(partial[(lastNewline + 1)...])
        return read
    }

    /// Polls the file until `found` answers a value for the lines from index `from` on, or
    /// `timeout` passes. A benchmark's poll: the times come from the file, not from the poll.
    mutating func wait<T>(from: Int = 0, timeout: Double, every interval: Double = 0.002, _ found: (ArraySlice<Line>) -> T?) throws -> T {
        let deadline = monotonicSeconds() + timeout
        while true {
            let all = lines()
            if let value = found(all[min(from, all.count)...]) { return value }
            guard monotonicSeconds() < deadline else { throw BenchError("\(path): what was waited for did not appear within \(Int(timeout)) s") }
            Thread.sleep(forTimeInterval: interval)
        }
    }
}

func realtimeNanoseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}

extension Substring {
    /// The message number at the end of a localId made with `MessageNumbering`, if it is one.
    var messageNumber: Int? {
        guard let range = range(of: "-4000-8000-") else { return nil }
        return Int(self[range.upperBound...], radix: 16)
    }
}
