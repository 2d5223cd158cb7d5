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

    public init(
        id: MediaID, fileType: String, fileSize: Int, previewWidth: Int? = nil, previewHeight: Int? = nil,
        createdAt: Date? = nil, fileExists: Bool? = nil, previewExists: Bool? = nil
    ) {
        self.id = id
        self.fileType = fileType
        self.fileSize = fileSize
        self.previewWidth = previewWidth
        self.previewHeight = previewHeight
        self.createdAt = createdAt
        self.fileExists = fileExists
        self.previewExists = previewExists
    }

    /// The stored file name, `<id>.<fileType>`, as used by `POST /uploads` and `GET /files/...`.
    public var fileName: String { "\(id.uuidString).\(fileType)" }
    /// The preview's stored file name, `<id>-preview.<fileType>`.
    public var previewFileName: String { "\(id.uuidString)-preview.\(fileType)" }
}
