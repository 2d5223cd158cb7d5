import ChatAPI
import ChatStore
import ChatSync
import ChatUI
import Foundation
import ImageCodecs

/// Makes picture previews in the background, one at a time, so that neither a download nor
/// decoding holds up the effects behind it. Sources, best first: the file on this device, the
/// server's `<id>-preview.jpeg`, the file itself when it is within the download limit.
public actor PreviewLoader {
    public struct Job: Equatable, Sendable {
        var chat: ChatID
        var localId: String
        var position: Int
    }

    let engine: SyncEngine
    let store: ChatStore
    let terminal: PictureTerminal
    let maxDownload: Int
    /// Downloaded previews and pictures, kept so that they are fetched once.
    let directory: String
    let send: @Sendable (Action) -> Void
    private var queue: [Job] = []
    private var running = false

    public init(engine: SyncEngine, store: ChatStore, terminal: PictureTerminal, maxDownload: Int, directory: String,
                send: @escaping @Sendable (Action) -> Void) {
        self.engine = engine
        self.store = store
        self.terminal = terminal
        self.maxDownload = maxDownload
        self.directory = directory
        self.send = send
    }

    public func enqueue(_ chat: ChatID, localId: String, position: Int) {
        queue.append(Job(chat: chat, localId: localId, position: position))
        guard !running else { return }
        running = true
        Task { await drain() }
    }

    private func drain() async {
        while !queue.isEmpty {
            let job = queue.removeFirst()
            if let (media, state) = await make(job) { send(.previewLoaded(media, state)) }
        }
        running = false
    }

    private func make(_ job: Job) async -> (MediaID, PreviewState)? {
        guard let message = try? store.message(job.chat, localId: job.localId),
              let attachment = message.attachments.first(where: { $0.position == job.position }),
              let media = attachment.mediaId else { return nil }
        do {
            let data = try await bytes(of: attachment, media: media)
            let image = try ImageCodec.decode(data)
            return (media, .ready(PreviewMaker.make(image, media: media, terminal: terminal)))
        } catch let failure as ImageCodec.Failure {
            return (media, .unavailable(failure.description))
        } catch let unavailable as Unavailable {
            return (media, .unavailable(unavailable.description))
        } catch {
            return (media, .unavailable("could not be fetched (\(error.userMessage))"))
        }
    }

    /// Why there is no preview to make (too large, not uploaded yet), said under the picture.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    private func bytes(of attachment: CachedAttachment, media: MediaID) async throws -> Data {
        if let path = attachment.localPath, let data = readIfSmall(path, limit: 50 * 1024 * 1024) { return data }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if attachment.previewExists {
            // Ours (and this client) store `<id>-preview.jpeg`; others name it after the file's type.
            // (`jpg` from a client that sent `image/jpeg`, which servers map to `jpg`).
            for name in ["jpeg", "jpg", attachment.fileType].map({ "\(media.uuidString)-preview.\($0)" }) {
                if let data = try? await fetched(name) { return data }
            }
        }
        guard attachment.fileSize <= maxDownload else {
            throw Unavailable(description: "\(ConversationLayout.formatSize(attachment.fileSize)), over the \(maxDownload / 1024 / 1024) MB preview limit ([images] max_download_mb)")
        }
        guard let name = attachment.remoteFileName else { throw Unavailable(description: "not on the server yet") }
        return try await fetched(name)
    }

    private func fetched(_ name: String) async throws -> Data {
        let path = directory + "/" + name
        if let data = readIfSmall(path, limit: max(maxDownload, 50 * 1024 * 1024)) { return data }
        let partial = path + ".part"
        try await engine.fetchFile(name, to: partial)
        // Whole or not at all: a download cut short never passes for the file.
        guard rename(partial, path) == 0 else { throw Unavailable(description: "could not be stored in \(directory)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw Unavailable(description: "could not be read back") }
        return data
    }

    private func readIfSmall(_ path: String, limit: Int) -> Data? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size <= limit else { return nil }
        return FileManager.default.contents(atPath: path)
    }
}
