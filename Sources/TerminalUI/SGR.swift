/// Select Graphic Rendition: the parameters of `ESC [ … m` that give a cell its look.
public enum SGR {
    /// From a reset (`0`): bold, dim, underline, reverse, then the colours. A true colour is
    /// sent as itself (`38;2;r;g;b`) where the terminal takes it, else as the nearest of 256.
    public static func parameters(_ style: CellStyle, trueColor: Bool) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        if let code = code(style.foreground, base: 30, trueColor: trueColor) { codes.append(code) }
        if let code = code(style.background, base: 40, trueColor: trueColor) { codes.append(code) }
        return codes.joined(separator: ";")
    }

    static func code(_ color: TerminalColor, base: Int, trueColor: Bool) -> String? {
        switch color {
        case .default: return nil
        case .palette(let value):
            switch value {
            case 0..<8: return String(base + Int(value))
            case 8..<16: return String(base + 60 + Int(value) - 8)
            default: return "\(base + 8);5;\(value)"
            }
        case .rgb(let r, let g, let b):
            return trueColor ? "\(base + 8);2;\(r);\(g);\(b)" : "\(base + 8);5;\(PaletteColor.nearest(red: r, green: g, blue: b))"
        }
    }
}
