import Foundation

/// What a child process writes before its first newline (its "listening on …" line), read as
/// it arrives; throws `failure` with what came if the child closes its output first. With
/// `containing`, the first whole line holding that text (a profiler wrapping the child may
/// print lines of its own first).
public func firstLine(of pipe: Pipe, containing marker: String? = nil, failure: String) throws -> String {
    var text = ""
    while true {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        if let line = lines.first(where: { marker == nil || $0.contains(marker!) }) { return String(line) + "\n" }
        let data = pipe.fileHandleForReading.availableData
        guard !data.isEmpty else { throw TestFailure("\(failure): \(text)") }
        text += String(decoding: data, as: UTF8.self)
    }
}
