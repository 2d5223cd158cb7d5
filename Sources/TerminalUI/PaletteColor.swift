/// The xterm 256-colour palette's nearest entry to a true colour, for terminals without true
/// colour: the 6×6×6 cube (16–231) or the grey ramp (232–255), whichever is closer.
public enum PaletteColor {
    private static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    public static func nearest(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        let (r, g, b) = (Int(red), Int(green), Int(blue))
        func level(_ value: Int) -> Int {
            value < 48 ? 0 : value < 115 ? 1 : (value - 35) / 40
        }
        let (cr, cg, cb) = (level(r), level(g), level(b))
        let cube = 16 + 36 * cr + 6 * cg + cb
        let cubeDistance = distance((r, g, b), (cubeLevels[cr], cubeLevels[cg], cubeLevels[cb]))
        let average = (r + g + b) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + 10 * greyIndex
        let greyDistance = distance((r, g, b), (grey, grey, grey))
        return UInt8(greyDistance < cubeDistance ? 232 + greyIndex : cube)
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }
}
