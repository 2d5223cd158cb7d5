import Foundation

/// An uploaded file: attachment, chat image or user photo.
public struct MediaInfo: Codable, Hashable, Sendable {
    public var id: MediaID
    /// The file's extension, e.g. `png`.
    public var fileType: String
    /// Size in bytes.
    public var fileSize: Int
    public var previewWidth: Int?
    public var previewHeight: Int?
    public var createdAt: Date?
    /// [ours] whether the file has been uploaded.
    public var fileExists: Bool?
    /// [ours] whether the preview has been uploaded.
    public var previewExists: Bool?
    /// [ours] the sender's name for the file (at most 255 bytes, no `/` or NUL). A server that
    /// drops it leaves it nil: fall back to the caption, then to `storedFileName`.
    public var fileName: String?

    public init(
        id: MediaID, fileType: String, fileSize: Int, previewWidth: Int? = nil, previewHeight: Int? = nil,
        createdAt: Date? = nil, fileExists: Bool? = nil, previewExists: Bool? = nil, fileName: String? = nil
    ) {
        self.id = id
        self.fileType = fileType
        self.fileSize = fileSize
        self.previewWidth = previewWidth
        self.previewHeight = previewHeight
        self.createdAt = createdAt
        self.fileExists = fileExists
        self.previewExists = previewExists
        self.fileName = fileName
    }

    /// The stored file name, `<id>.<fileType>`, as used by `POST /uploads` and `GET /files/...`.
    public var storedFileName: String { "\(id.uuidString).\(fileType)" }
    /// The preview's stored file name, `<id>-preview.<fileType>`.
    public var previewFileName: String { "\(id.uuidString)-preview.\(fileType)" }
}
