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
        let (data, response) = try await TransferDelegate.run(progress: progress) { session in
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
        let (data, response) = try await TransferDelegate.run(progress: progress, destination: destination) { session in
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
    private let progress: TransferProgress?
    private let destination: String?

    private init(progress: TransferProgress?, destination: String?) {
        self.progress = progress
        self.destination = destination
    }

    static func run(progress: TransferProgress?, destination: String? = nil,
                    makeTask: (URLSession) -> URLSessionTask) async throws(ClientError) -> (Data, URLResponse?) {
        let delegate = TransferDelegate(progress: progress, destination: destination)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = makeTask(session)
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
            throw .unreachable(APIClient.describe(error))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64, totalBytesSent: Int64, totalBytesExpectedToSend: Int64) {
        progress?(totalBytesSent, max(totalBytesExpectedToSend, 0))
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock { received.append(data) }
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didWriteData bytesWritten: Int64, totalBytesWritten: Int64, totalBytesExpectedToWrite: Int64) {
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
