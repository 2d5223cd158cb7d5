import Foundation

/// How the engine makes a picture's preview (a JPEG fitted to 300×200, uploaded beside the
/// picture so that others draw it without fetching the whole file). The app gives it, so the
/// engine links no image codecs; without one no file gets a preview.
public struct PicturePreviews: Sendable {
    /// The file types (extensions, lower case) it can read.
    public var fileTypes: Set<String>
    /// The preview's JPEG bytes for the picture at a path; nil when it cannot make one.
    public var make: @Sendable (_ path: String) -> Data?

    public init(fileTypes: Set<String>, make: @escaping @Sendable (_ path: String) -> Data?) {
        self.fileTypes = fileTypes
        self.make = make
    }

    public static let none = PicturePreviews(fileTypes: []) { _ in nil }
}
