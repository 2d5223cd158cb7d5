/// A decoded picture: 8-bit RGBA, row after row. Pure: scaled and encoded for the terminal
/// without any I/O.
public struct RGBAImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 4, "RGBA size mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image from rows of 0xRRGGBBAA values (for tests and small fixtures).
    public init(rows: [[UInt32]]) {
        let width = rows.first?.count ?? 0
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * rows.count * 4)
        for row in rows {
            precondition(row.count == width, "ragged rows")
            for value in row { pixels += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
        }
        self.init(width: width, height: rows.count, pixels: pixels)
    }

    public struct Pixel: Equatable, Hashable, Sendable {
        public var red: UInt8
        public var green: UInt8
        public var blue: UInt8
        public var alpha: UInt8

        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8, _ alpha: UInt8 = 255) {
            (self.red, self.green, self.blue, self.alpha) = (red, green, blue, alpha)
        }

        /// Most of a pixel's cover: drawn; less: the background shows.
        public var isOpaque: Bool { alpha >= 128 }
    }

    public subscript(x: Int, y: Int) -> Pixel {
        let index = (y * width + x) * 4
        return Pixel(pixels[index], pixels[index + 1], pixels[index + 2], pixels[index + 3])
    }

    /// The image at `width`×`height`, each new pixel the average of the old ones it covers
    /// (colours weighted by their alpha), so that shrinking keeps thin lines and averages noise.
    public func scaled(width newWidth: Int, height newHeight: Int) -> RGBAImage {
        guard newWidth > 0, newHeight > 0, width > 0, height > 0 else { return RGBAImage(width: 0, height: 0, pixels: []) }
        if newWidth == width, newHeight == height { return self }
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * 4)
        for y in 0..<newHeight {
            let y0 = y * height / newHeight
            let y1 = max(y0 + 1, (y + 1) * height / newHeight)
            for x in 0..<newWidth {
                let x0 = x * width / newWidth
                let x1 = max(x0 + 1, (x + 1) * width / newWidth)
                var (r, g, b, a, count) = (0, 0, 0, 0, 0)
                for sy in y0..<min(y1, height) {
                    var index = (sy * width + x0) * 4
                    for _ in x0..<min(x1, width) {
                        let alpha = Int(pixels[index + 3])
                        r += Int(pixels[index]) * alpha
                        g += Int(pixels[index + 1]) * alpha
                        b += Int(pixels[index + 2]) * alpha
                        a += alpha
                        count += 1
                        index += 4
                    }
                }
                let target = (y * newWidth + x) * 4
                if a > 0 {
                    out[target] = UInt8(r / a)
                    out[target + 1] = UInt8(g / a)
                    out[target + 2] = UInt8(b / a)
                }
                out[target + 3] = UInt8(a / max(1, count))
            }
        }
        return RGBAImage(width: newWidth, height: newHeight, pixels: out)
    }

    /// The largest size with this image's proportions inside `maxWidth`×`maxHeight`, never
    /// larger than the image itself.
    public func fittingSize(maxWidth: Int, maxHeight: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0, maxWidth > 0, maxHeight > 0 else { return (0, 0) }
        let scale = min(1, min(Double(maxWidth) / Double(width), Double(maxHeight) / Double(height)))
        return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
    }
}
