import AsyncHTTPClient
import ChatAPI
import Foundation
import NIOCore
import NIOFileSystem
import Synchronization

/// Progress of a transfer: bytes done and bytes expected (0 if unknown).
public typealias TransferProgress = @Sendable (_ done: Int64, _ total: Int64) -> Void

/// Streamed uploads from disk and downloads to disk, with progress (PROTOCOL.md section 5).
/// The file is read and written by NIO's file system on its own threads: a slow disk holds up
/// only its transfer.
extension APIClient {
    /// Uploads the file at `path` under `name` (a media id, optionally with `-preview`) and
    /// answers the stored file name. The body is streamed from disk, never loaded whole.
    public func upload(file path: String, name: String, fileType: String, progress: TransferProgress? = nil) async throws(ClientError) -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw .localFile("Cannot read \(path).") }
        let head = try makeRequest("POST", APIPath.uploads, headers: [APIHeader.fileName: name, "Content-Type": fileType])
        let answer = try await Transfer.run(stallTimeout: transferStallTimeout) { transfer in
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { file in
                var request = head
                let size = try await file.info().size
                let chunks = file.readChunks(in: 0..<size, chunkLength: .kibibytes(64)).map { chunk in
                    progress?(transfer.moved(chunk.readableBytes), size)
                    return chunk
                }
                request.body = .stream(chunks, length: .known(size))
                let response = try await HTTPTransport.client.execute(request, timeout: .seconds(600))
                return try await HTTPTransport.read(response, limit: 1 << 20)
            }
        }
        try Self.check(answer)
        return String(decoding: answer.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Downloads a stored file to `destination`. Our server serves `/files/<name>`; the
    /// upstream serves `/<name>`, so a 404 on the first is retried on the second.
    public func download(_ name: String, to destination: String, progress: TransferProgress? = nil) async throws(ClientError) {
        do {
            try await download(path: APIPath.file(name), to: destination, progress: progress)
        } catch .server(status: 404, _) {
            try await download(path: APIPath.rootFile(name), to: destination, progress: progress)
        }
    }

    /// The body goes to a file beside `destination`, which replaces it once all of it arrived:
    /// a failed download leaves no part of a file where the whole one is expected.
    private func download(path: String, to destination: String, progress: TransferProgress?) async throws(ClientError) {
        let request = try makeRequest("GET", path)
        let partial = destination + ".part-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let failure = try await Transfer.run(stallTimeout: transferStallTimeout) { transfer -> HTTPTransport.Answer? in
            let response = try await HTTPTransport.client.execute(request, timeout: .seconds(600))
            let status = Int(response.status.code)
            if (100..<200).contains(status) {
                throw ClientError.server(status: status, reason: "The server answered \(status) instead of the file.")
            }
            guard (200..<300).contains(status) else { return try await HTTPTransport.read(response, limit: 1 << 20) }
            let total = response.headers.first(name: "Content-Length").flatMap(Int64.init) ?? 0
            do {
                try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(partial), options: .newFile(replaceExisting: true)) { file in
                    var writer = file.bufferedWriter()
                    for try await chunk in response.body {
                        try await writer.write(contentsOf: chunk)
                        progress?(transfer.moved(chunk.readableBytes), total)
                    }
                    try await writer.flush()
                }
                try? FileManager.default.removeItem(atPath: destination)
                try FileManager.default.moveItem(atPath: partial, toPath: destination)
            } catch let error as FileSystemError {
                throw ClientError.localFile("Cannot save to \(destination): \(error.message).")
            }
            return nil
        }
        if let failure { try Self.check(failure) }
    }
}

/// One transfer's watch: bytes moved so far and when one last moved; a transfer with nothing
/// moved for its stall timeout is stopped (its total may be long: a large file on a slow link).
final class Transfer: Sendable {
    private struct Moved {
        var bytes: Int64 = 0
        var at = ContinuousClock.now
    }

    private let state = Mutex(Moved())

    /// Counts `count` more bytes moved and answers the total.
    func moved(_ count: Int) -> Int64 {
        state.withLock {
            $0.bytes += Int64(count)
            $0.at = .now
            return $0.bytes
        }
    }

    private var idle: Duration { ContinuousClock.now - state.withLock { $0.at } }

    /// Runs `body`, stopped when nothing moved for `stallTimeout` (checked once a second).
    static func run<T: Sendable>(stallTimeout: Duration, _ body: @escaping @Sendable (Transfer) async throws -> T) async throws(ClientError) -> T {
        let transfer = Transfer()
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body(transfer) }
                group.addTask {
                    while transfer.idle < stallTimeout { try await Task.sleep(for: .seconds(1)) }
                    throw ClientError.unreachable("Nothing arrived for \(Int(stallTimeout.components.seconds)) s; the transfer was stopped.")
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let result { return result }
                }
                throw CancellationError()
            }
        } catch let error as ClientError {
            throw error
        } catch let error as FileSystemError where error.code == .notFound || error.code == .permissionDenied {
            throw .localFile("Cannot read or write the file: \(error.message).")
        } catch {
            throw HTTPTransport.failure(error)
        }
    }
}
