import Foundation

/// What a child process writes before its first newline (its "listening on …" line), read as
/// it arrives; throws `failure` with what came if the child closes its output first.
public func firstLine(of pipe: Pipe, failure: String) throws -> String {
    var text = ""
    while !text.contains("\n") {
        let data = pipe.fileHandleForReading.availableData
        guard !data.isEmpty else { throw TestFailure("\(failure): \(text)") }
        text += String(decoding: data, as: UTF8.self)
    }
    return text
}
