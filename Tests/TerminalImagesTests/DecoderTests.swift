import CImageLibraries
import Foundation
import ImageCodecs
import Testing
import TerminalImages

/// PNG and JPEG made here by the system libraries, read back.
@Suite struct DecoderTests {
    /// A 16×8 picture: left half orange, right half a vertical blue gradient.
    static let picture: RGBAImage = {
        var rows: [[UInt32]] = []
        for y in 0..<8 {
            rows.append((0..<16).map { x in x < 8 ? 0xFF8000FF : 0x0000FFFF | (UInt32(y * 32) << 16) })
        }
        return RGBAImage(rows: rows)
    }()

    @Test func aPNGComesBackPixelForPixel() throws {
        let data = try ImageCodec.png(Self.picture)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(try ImageCodec.decode(data) == Self.picture)
    }

    @Test func aJPEGComesBackCloseToTheOriginal() throws {
        let data = try ImageCodec.jpeg(Self.picture, quality: 95)
        #expect(data.prefix(3) == Data([0xFF, 0xD8, 0xFF]))
        let decoded = try ImageCodec.decode(data)
        #expect(decoded.width == 16 && decoded.height == 8)
        // Lossy: each channel within a few steps of the original, far from the other half.
        let orange = decoded[2, 4]
        #expect(abs(Int(orange.red) - 255) < 16 && abs(Int(orange.green) - 128) < 16 && Int(orange.blue) < 16)
        #expect(decoded[12, 4].blue > 200 && decoded[12, 4].red < 40)
    }

    @Test func aGIFsFirstFrameAndAWebPAreReadToo() throws {
        // The smallest GIF there is, written out by hand: 1×1, a two-colour palette (red,
        // black), a graphic control block, and LZW data "clear, 0, end" (0x44 0x01).
        let gif = Data([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00,
                        0x21, 0xF9, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
                        0x02, 0x02, 0x44, 0x01, 0x00, 0x3B])
        #expect(try ImageCodec.decode(gif) == RGBAImage(rows: [[0xFF0000FF]]))
        // A lossless WebP made here with libwebp's own encoder.
        var output: UnsafeMutablePointer<UInt8>?
        let size = Self.picture.pixels.withUnsafeBufferPointer { WebPEncodeLosslessRGBA($0.baseAddress, 16, 8, 16 * 4, &output) }
        let encoded = try #require(output)
        defer { WebPFree(encoded) }
        #expect(size > 0)
        #expect(try ImageCodec.decode(Data(bytes: encoded, count: size)) == Self.picture)
    }

    @Test func somethingElseIsAClearFailureNotACrash() {
        #expect(throws: ImageCodec.Failure(description: "not a PNG, JPEG, GIF or WebP image")) { try ImageCodec.decode(Data("hello".utf8)) }
        var truncated = (try? ImageCodec.png(Self.picture)) ?? Data()
        truncated = truncated.prefix(truncated.count / 2)
        #expect(throws: ImageCodec.Failure(description: "not a readable PNG")) { try ImageCodec.decode(truncated) }
        let jpeg = ((try? ImageCodec.jpeg(Self.picture)) ?? Data()).prefix(40)
        #expect(throws: ImageCodec.Failure.self) { try ImageCodec.decode(jpeg) }
        // Too many pixels is refused before they are allocated.
        let png = (try? ImageCodec.png(Self.picture)) ?? Data()
        #expect(throws: ImageCodec.Failure(description: "the image is too large to preview")) { try ImageCodec.decode(png, maxPixels: 100) }
    }

    @Test func aPreviewFitsThreeHundredByTwoHundred() throws {
        let wide = RGBAImage(width: 900, height: 300, pixels: [UInt8](repeating: 200, count: 900 * 300 * 4))
        let path = NSTemporaryDirectory() + "preview-\(UUID().uuidString).png"
        try ImageCodec.png(wide).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let preview = try #require(ImageCodec.preview(ofFileAt: path))
        #expect(preview.width == 300 && preview.height == 100)
        let decoded = try ImageCodec.decode(preview.data)
        #expect(decoded.width == 300 && decoded.height == 100)
        #expect(ImageCodec.preview(ofFileAt: "/etc/hostname") == nil)
    }
}
