import CImageCodecs
// Imported for its link directives: the C target's calls into the libraries resolve through it.
import CImageLibraries
import Foundation
import TerminalImages

/// Pictures to and from bytes with the system's libpng, libjpeg-turbo, giflib and libwebp.
public enum ImageCodec {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Pictures larger than this (in pixels) are not decoded: a 20,000×20,000 PNG must not
    /// take 1.6 GB to preview.
    public static let maxPixels = 40_000_000

    /// PNG, JPEG, GIF (its first frame) or WebP, told apart by their first bytes.
    public static func decode(_ data: Data, maxPixels: Int = maxPixels) throws(Failure) -> RGBAImage {
        var image = ic_image()
        var message = [CChar](repeating: 0, count: 200)
        let status = data.withUnsafeBytes { bytes in
            ic_decode(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, maxPixels, &image, &message, message.count)
        }
        guard status == 0, let pixels = image.pixels else {
            throw Failure(description: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { ic_free(pixels) }
        let count = Int(image.width) * Int(image.height) * 4
        return RGBAImage(width: Int(image.width), height: Int(image.height), pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }

    public static func jpeg(_ image: RGBAImage, quality: Int = 85) throws(Failure) -> Data {
        try encode { out, size in
            image.pixels.withUnsafeBufferPointer { ic_encode_jpeg($0.baseAddress, Int32(image.width), Int32(image.height), Int32(quality), &out, &size) }
        }
    }

    public static func png(_ image: RGBAImage) throws(Failure) -> Data {
        try encode { out, size in
            image.pixels.withUnsafeBufferPointer { ic_encode_png($0.baseAddress, Int32(image.width), Int32(image.height), &out, &size) }
        }
    }

    private static func encode(_ body: (inout UnsafeMutablePointer<UInt8>?, inout Int) -> Int32) throws(Failure) -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard body(&out, &size) == 0, let out else { throw Failure(description: "the picture could not be encoded") }
        defer { ic_free(out) }
        return Data(bytes: out, count: size)
    }

    /// The file types previews are made for and drawn from.
    public static let fileTypes: Set<String> = ["png", "jpg", "jpeg", "gif", "webp"]

    /// A JPEG preview of a picture file, scaled to fit 300×200 (never enlarged), as the
    /// protocol's `<id>-preview.jpeg`; nil when the file is not a picture this can read.
    public static func preview(ofFileAt path: String, maxBytes: Int = 50 * 1024 * 1024) -> (data: Data, width: Int, height: Int)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size <= maxBytes,
              let data = FileManager.default.contents(atPath: path),
              let image = try? decode(data) else { return nil }
        let fitted = image.fittingSize(maxWidth: 300, maxHeight: 200)
        guard let jpeg = try? jpeg(image.scaled(width: fitted.width, height: fitted.height)) else { return nil }
        return (jpeg, fitted.width, fitted.height)
    }
}
