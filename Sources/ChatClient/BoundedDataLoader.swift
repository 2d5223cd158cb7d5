import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Loads JSON answers with a cap on their size after decompression: a hostile or broken server
/// (a gzip bomb, a page of millions of messages) is cut off at `limit` bytes with a sentence,
/// instead of taking the client's memory. One session for every call, so connections are reused.
///
/// `@unchecked Sendable`: URLSession calls the delegate on its own queue while callers add
/// tasks; the table of tasks is only touched with `lock` held.
final class BoundedDataLoader: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    static let shared = BoundedDataLoader()
    /// Far above any answer a server of this protocol gives (a 500-message page is about 1 MB; 16 MB is a list of some 30,000 chats).
    static let defaultLimit = 16 << 20
    /// The chat list, which the protocol cannot page (a chat with two people and a last message is about 500 bytes).
    static let chatListLimit = 64 << 20

    private struct Entry {
        var continuation: CheckedContinuation<(Data, URLResponse?), any Error>
        var data = Data()
        var limit: Int
        var tooLarge = false
        var compressed = false
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]
    private var session: URLSession!

    override private init() {
        super.init()
        session = URLSession(configuration: APIClient.sessionConfiguration(), delegate: self, delegateQueue: nil)
    }

    func data(for request: URLRequest, limit: Int = defaultLimit) async throws -> (Data, URLResponse?) {
        let task = session.dataTask(with: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                lock.withLock { entries[task.taskIdentifier] = Entry(continuation: continuation, limit: limit) }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let declared = response.expectedContentLength
        // Asked for no compression (`Accept-Encoding: identity`), a server that compresses
        // anyway is refused before its body is inflated: URLSession would inflate all of it.
        let encoding = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Encoding")?.lowercased() ?? "identity"
        let cut = lock.withLock { () -> Bool in
            guard let limit = entries[dataTask.taskIdentifier]?.limit, declared > Int64(limit) || encoding != "identity" else { return false }
            entries[dataTask.taskIdentifier]?.tooLarge = true
            entries[dataTask.taskIdentifier]?.compressed = encoding != "identity"
            return true
        }
        completionHandler(cut ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cut = lock.withLock { () -> Bool in
            let id = dataTask.taskIdentifier
            // Only values are read here: a copy of the entry would share the body's buffer and
            // make the append below copy the whole body on every chunk.
            guard let tooLarge = entries[id]?.tooLarge, !tooLarge, let count = entries[id]?.data.count,
                  let limit = entries[id]?.limit else { return false }
            if count + data.count > limit {
                entries[id]?.tooLarge = true
                entries[id]?.data = Data()
                return true
            }
            entries[id]?.data.append(data)
            return false
        }
        if cut { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = lock.withLock({ entries.removeValue(forKey: task.taskIdentifier) }) else { return }
        if entry.tooLarge {
            entry.continuation.resume(throwing: ClientError.badResponse(entry.compressed
                ? "the server compressed its answer although asked not to, so it was refused"
                : "the server's answer is larger than \(entry.limit >> 20) MB, so it was refused"))
        } else if let error {
            entry.continuation.resume(throwing: error)
        } else {
            entry.continuation.resume(returning: (entry.data, task.response))
        }
    }
}
