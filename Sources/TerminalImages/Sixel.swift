/// A picture as a DEC sixel image (xterm -ti vt340, foot, mlterm, WezTerm, Windows Terminal):
/// bands of six pixel rows, one pass per colour, runs compressed with `!`.
public enum Sixel {
    /// The escape that draws `image` at the cursor. Up to 256 colours are kept exactly; more
    /// are reduced to the 6×6×6 cube. Transparent pixels are left undrawn (`P2 = 1`).
    public static func encode(_ image: RGBAImage) -> String {
        let (palette, indices) = quantize(image)
        var out = "\u{1B}P0;1;0q\"1;1;\(image.width);\(image.height)"
        for (number, color) in palette.enumerated() {
            out += "#\(number);2;\(percent(color.red));\(percent(color.green));\(percent(color.blue))"
        }
        for band in stride(from: 0, to: image.height, by: 6) {
            let bandRows = min(6, image.height - band)
            // The colours in this band, in palette order.
            var used = Set<Int>()
            for y in band..<(band + bandRows) {
                for x in 0..<image.width where indices[y * image.width + x] >= 0 { used.insert(indices[y * image.width + x]) }
            }
            for (pass, color) in used.sorted().enumerated() {
                if pass > 0 { out += "$" }
                out += "#\(color)"
                var line: [UInt8] = []
                line.reserveCapacity(image.width)
                for x in 0..<image.width {
                    var bits: UInt8 = 0
                    for k in 0..<bandRows where indices[(band + k) * image.width + x] == color { bits |= 1 << k }
                    line.append(63 + bits)
                }
                while line.last == 63 { line.removeLast() }  // nothing to draw at the end of the pass
                out += runLengthEncoded(line)
            }
            out += "-"
        }
        return out + "\u{1B}\\"
    }

    /// `!n` before a character repeated four times or more.
    static func runLengthEncoded(_ line: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < line.count {
            var run = 1
            while index + run < line.count, line[index + run] == line[index] { run += 1 }
            let character = Character(Unicode.Scalar(line[index]))
            if run >= 4 { out += "!\(run)\(character)" } else { out += String(repeating: character, count: run) }
            index += run
        }
        return out
    }

    /// The palette and each pixel's entry in it (-1: transparent).
    static func quantize(_ image: RGBAImage) -> ([RGBAImage.Pixel], [Int]) {
        var palette: [RGBAImage.Pixel] = []
        var lookup: [RGBAImage.Pixel: Int] = [:]
        var indices = [Int](repeating: -1, count: image.width * image.height)
        func opaque(_ x: Int, _ y: Int) -> RGBAImage.Pixel? {
            let pixel = image[x, y]
            return pixel.isOpaque ? RGBAImage.Pixel(pixel.red, pixel.green, pixel.blue) : nil
        }
        var exact = true
        outer: for y in 0..<image.height {
            for x in 0..<image.width {
                guard let pixel = opaque(x, y) else { continue }
                if lookup[pixel] == nil {
                    if palette.count == 256 { exact = false; break outer }
                    lookup[pixel] = palette.count
                    palette.append(pixel)
                }
            }
        }
        if !exact {
            palette = []
            lookup = [:]
        }
        let levels: [UInt8] = [0, 51, 102, 153, 204, 255]
        for y in 0..<image.height {
            for x in 0..<image.width {
                guard var pixel = opaque(x, y) else { continue }
                if !exact {
                    pixel = RGBAImage.Pixel(levels[(Int(pixel.red) + 25) / 51], levels[(Int(pixel.green) + 25) / 51], levels[(Int(pixel.blue) + 25) / 51])
                    if lookup[pixel] == nil {
                        lookup[pixel] = palette.count
                        palette.append(pixel)
                    }
                }
                indices[y * image.width + x] = lookup[pixel]!
            }
        }
        return (palette, indices)
    }

    static func percent(_ value: UInt8) -> Int { (Int(value) * 100 + 127) / 255 }
}
