import ChatAPI
import Foundation
import NIOCore
import _NIOFileSystem

#if canImport(Glibc)
import Glibc
#endif

/// Uploads and downloads under `<data-dir>/files`. A file is streamed to a temporary name and
/// renamed into place only when complete, so a reader never sees half a file.
struct FileService: Sendable {
    let repository: any ChatRepository
    let files: StoredFiles
    /// Bytes one user's stored uploads may take; nil: no limit.
    var quota: Int?
    let now: @Sendable () -> Date

    /// A stored file's name: `<UUID>[-preview].<fileType>`, always with the upper-case UUID.
    struct StoredName: Hashable, Sendable {
        var mediaId: MediaID
        var isPreview: Bool
        var fileType: String

        var fileName: String { "\(mediaId.uuidString)\(isPreview ? "-preview" : "").\(fileType)" }
    }

    /// Parses the `File-Name` header: a UUID, or a UUID followed by `-preview`. Anything else,
    /// `../../x` included, is refused before any path is built.
    static func parseUploadName(_ raw: String) throws(APIError) -> (mediaId: MediaID, isPreview: Bool) {
        let isPreview = raw.hasSuffix("-preview")
        let base = isPreview ? String(raw.dropLast("-preview".count)) : raw
        guard base.count == 36, let id = UUID(uuidString: base) else {
            throw .badRequest("File-Name must be a media id (a UUID), optionally followed by -preview.")
        }
        return (id, isPreview)
    }

    /// Parses a download name `<UUID>[-preview].<type>`.
    static func parseStoredName(_ raw: String) throws(APIError) -> StoredName {
        guard let dot = raw.lastIndex(of: ".") else { throw .notFound("No such file.") }
        let fileType = String(raw[raw.index(after: dot)...]).lowercased()
        guard (try? Validation.fileType(fileType)) != nil,
              let (id, isPreview) = try? parseUploadName(String(raw[..<dot]))
        else { throw .notFound("No such file.") }
        return StoredName(mediaId: id, isPreview: isPreview, fileType: fileType)
    }

    /// `Content-Type` to a file extension: `image/jpeg` → `jpg` (as the upstream maps it); a
    /// bare extension stays as it is (`jpeg` → `jpeg`: a client's `<id>-preview.jpeg`).
    static func fileType(fromContentType raw: String?) throws(APIError) -> String {
        guard var type = raw?.split(separator: ";").first.map(String.init)?.trimmingCharacters(in: .whitespaces).lowercased(),
              !type.isEmpty
        else { throw .badRequest("Say the file's type in Content-Type, e.g. png or image/png.") }
        if let slash = type.firstIndex(of: "/") {
            type = String(type[type.index(after: slash)...])
            let aliases = ["jpeg": "jpg", "svg+xml": "svg", "plain": "txt", "octet-stream": "bin", "quicktime": "mov", "mpeg": "mp3"]
            type = aliases[type] ?? type
        }
        try Validation.fileType(type)
        return type
    }

    func path(of name: StoredName) -> String { files.path(of: name.fileName) }

    /// Who may write files under `mediaId`: the author of its message, or else whoever claimed
    /// it first. The claim is made before a byte is written, in one transaction, so of two
    /// racing first uploads one owns the name and the other is refused.
    func authorizeUpload(_ caller: Caller, mediaId: MediaID) async throws {
        if let author = try await repository.attachmentAuthor(mediaId: mediaId), author != caller.userId {
            throw APIError.forbidden("Only the message's author may upload its files.")
        }
        let owner = try await repository.claimUpload(mediaId: mediaId, uploaderId: caller.userId, now: now())
        guard owner == caller.userId else { throw APIError.forbidden("Someone else already uploaded under this id.") }
    }

    /// The path of a stored file `caller` may read; 404 for everyone else, so that a stranger
    /// cannot even learn that it exists.
    func pathForReading(_ caller: Caller, _ name: StoredName) async throws -> String {
        guard try await repository.mayReadFile(mediaId: name.mediaId, userId: caller.userId) else {
            throw APIError.notFound("No such file.")
        }
        return path(of: name)
    }

    /// Streams `body` into place and answers the stored name.
    func upload<Body: AsyncSequence>(
        _ caller: Caller, fileName: String?, contentType: String?, contentLength: Int?, body: Body
    ) async throws -> StoredName where Body.Element == ByteBuffer {
        guard let fileName else { throw APIError.badRequest("Name the file in the File-Name header (its media id).") }
        let (mediaId, isPreview) = try Self.parseUploadName(fileName)
        let name = StoredName(mediaId: mediaId, isPreview: isPreview, fileType: try Self.fileType(fromContentType: contentType))
        if let contentLength, contentLength > ProtocolLimits.maxUploadBytes { throw Self.tooLarge }
        try await authorizeUpload(caller, mediaId: mediaId)
        // What the message (or chat image) said the file is: a body of another length is not
        // that file. A preview has no declared size.
        let declared = isPreview ? nil : try await repository.declaredFileSize(mediaId: mediaId)
        if let declared, let contentLength, contentLength != declared { throw Self.notTheDeclaredSize(contentLength, declared) }
        var allowance: Int?
        if let quota { allowance = quota - (try await repository.uploadedBytes(userId: caller.userId)) }
        if let allowance, (contentLength ?? 0) > allowance { throw quotaExceeded(allowance) }

        let temporary = files.path(of: StoredFiles.incomingPrefix + UUID().uuidString)
        var stored = 0
        do {
            var written = 0
            try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(temporary), options: .newFile(replaceExisting: false, permissions: [.ownerRead, .ownerWrite])) { handle in
                for try await chunk in body {
                    written += chunk.readableBytes
                    if written > ProtocolLimits.maxUploadBytes { throw Self.tooLarge }
                    if let allowance, written > allowance { throw quotaExceeded(allowance) }
                    try await handle.write(contentsOf: chunk, toAbsoluteOffset: Int64(written - chunk.readableBytes))
                }
            }
            // A body that ended before its declared length is a connection that broke: what
            // arrived is not the file (10 of 1,000,000 bytes were stored and served).
            if let contentLength, written != contentLength {
                throw APIError.badRequest("The upload ended after \(written) of its \(contentLength) bytes; nothing was stored. Send the file again.")
            }
            if let declared, written != declared { throw Self.notTheDeclaredSize(written, declared) }
            stored = written
            guard rename(temporary, path(of: name)) == 0 else {
                throw APIError(status: .internalServerError, reason: "The server could not store the file.")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try await repository.recordStoredFile(mediaId: mediaId, fileName: name.fileName, bytes: stored)
        return name
    }

    /// The picture types clients draw: served inline; anything else as an attachment.
    static let previewedTypes: Set<String> = ["png", "jpg", "jpeg", "gif", "webp"]

    static func notTheDeclaredSize(_ bytes: Int, _ declared: Int) -> APIError {
        .badRequest("The file is \(bytes) bytes, but its message says \(declared); nothing was stored.")
    }

    func quotaExceeded(_ allowance: Int) -> APIError {
        let megabytes = { (bytes: Int) in String(format: "%.1f", Double(max(0, bytes)) / 1_048_576) }
        return .tooLarge("This would pass your upload quota of \(megabytes(quota ?? 0)) MB (\(megabytes(allowance)) MB left); delete old attachments first.")
    }

    static let tooLarge = APIError.tooLarge("Files are limited to \(ProtocolLimits.maxUploadBytes / 1_048_576) MB.")

    /// A MIME type for a stored file's extension, for downloads.
    static func contentType(for fileType: String) -> String {
        let known = [
            "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
            "txt": "text/plain; charset=utf-8", "pdf": "application/pdf", "mp4": "video/mp4", "mp3": "audio/mpeg",
            "json": "application/json",
        ]
        return known[fileType] ?? "application/octet-stream"
    }
}
