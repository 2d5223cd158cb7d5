import ChatAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Progress of a transfer: bytes done and bytes expected (0 if unknown).
public typealias TransferProgress = @Sendable (_ done: Int64, _ total: Int64) -> Void

/// Streamed uploads from disk and downloads to disk, with progress (PROTOCOL.md section 5).
extension APIClient {
    /// Uploads the file at `path` under `name` (a media id, optionally with `-preview`) and
    /// answers the stored file name. The body is streamed from disk, never loaded whole.
    public func upload(file path: String, name: String, fileType: String, progress: TransferProgress? = nil) async throws(ClientError) -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw .localFile("Cannot read \(path).") }
        var request = try makeRequest("POST", APIPath.uploads, headers: [APIHeader.fileName: name, "Content-Type": fileType])
        request.timeoutInterval = 600
        let (data, response) = try await TransferDelegate.run(progress: progress, stallTimeout: transferStallTimeout) { session in
            session.uploadTask(with: request, fromFile: URL(fileURLWithPath: path))
        }
        try Self.check(response, data)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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

    private func download(path: String, to destination: String, progress: TransferProgress?) async throws(ClientError) {
        var request = try makeRequest("GET", path)
        request.timeoutInterval = 600
        let (data, response) = try await TransferDelegate.run(progress: progress, destination: destination, stallTimeout: transferStallTimeout) { session in
            session.downloadTask(with: request)
        }
        try Self.check(response, data)
    }
}

/// Bridges one URLSession transfer to async/await and reports progress.
///
/// `@unchecked Sendable`: URLSession calls the delegate on its own queue while `run` reads the
/// result; every mutable field is only touched with `lock` held.
final class TransferDelegate: NSObject, URLSessionDataDelegate, URLSessionDownloadDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var received = Data()
    private var continuation: CheckedContinuation<(Data, URLResponse?), any Error>?
    private var moveError: (any Error)?
    /// When a byte last moved (or the transfer began).
    private var lastActivity = ContinuousClock.now
    private let progress: TransferProgress?
    private let destination: String?

    private init(progress: TransferProgress?, destination: String?) {
        self.progress = progress
        self.destination = destination
    }

    static func run(progress: TransferProgress?, destination: String? = nil, stallTimeout: Duration = .seconds(30),
                    makeTask: (URLSession) -> URLSessionTask) async throws(ClientError) -> (Data, URLResponse?) {
        let delegate = TransferDelegate(progress: progress, destination: destination)
        let session = URLSession(configuration: APIClient.sessionConfiguration(), delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = makeTask(session)
        let watchdog = Task { await delegate.watch(task, stallTimeout: stallTimeout) }
        defer { watchdog.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    delegate.lock.withLock { delegate.continuation = continuation }
                    task.resume()
                }
            } onCancel: {
                task.cancel()
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw APIClient.failure(error)
        }
    }

    /// Once a second: a transfer answered with an informational status (a `101 Switching
    /// Protocols` to a GET, which then sends nothing) fails at once; one with no byte moved for
    /// `stallTimeout` fails then. Either way the task is cancelled.
    private func watch(_ task: URLSessionTask, stallTimeout: Duration) async {
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            if let status = (task.response as? HTTPURLResponse)?.statusCode, (100..<200).contains(status) {
                return fail(task, .server(status: status, reason: "The server answered \(status) instead of the file."))
            }
            let idle = ContinuousClock.now - lock.withLock { lastActivity }
            if idle >= stallTimeout {
                return fail(task, .unreachable("Nothing arrived for \(Int(stallTimeout.components.seconds)) s; the transfer was stopped."))
            }
        }
    }

    private func fail(_ task: URLSessionTask, _ error: ClientError) {
        let continuation = lock.withLock {
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume(throwing: error)
        task.cancel()
    }

    private func touched() {
        lock.withLock { lastActivity = .now }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64, totalBytesSent: Int64, totalBytesExpectedToSend: Int64) {
        touched()
        progress?(totalBytesSent, max(totalBytesExpectedToSend, 0))
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock {
            received.append(data)
            lastActivity = .now
        }
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didWriteData bytesWritten: Int64, totalBytesWritten: Int64, totalBytesExpectedToWrite: Int64) {
        touched()
        progress?(totalBytesWritten, max(totalBytesExpectedToWrite, 0))
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        // The temporary file is removed when this returns: move it now, or keep an error body.
        let status = (downloadTask.response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status), let destination else {
            let body = (try? Data(contentsOf: location)) ?? Data()
            lock.withLock { received = body }
            return
        }
        do {
            let target = URL(fileURLWithPath: destination)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(at: location, to: target)
        } catch {
            lock.withLock { moveError = ClientError.localFile("Cannot save to \(destination): \(error.localizedDescription)") }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, data, moveError) = lock.withLock {
            defer { self.continuation = nil }
            return (self.continuation, received, self.moveError)
        }
        if let error {
            continuation?.resume(throwing: error)
        } else if let moveError {
            continuation?.resume(throwing: moveError)
        } else {
            continuation?.resume(returning: (data, task.response))
        }
    }
}
