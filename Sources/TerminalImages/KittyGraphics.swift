import Foundation
import TerminalUI

/// The kitty graphics protocol in its Unicode-placeholder mode: the picture is sent once
/// with a virtual placement (`U=1`), and shown by ordinary text cells holding U+10EEEE with
/// diacritics for their row and column and the image id as their foreground colour. Being
/// text, it survives tmux (with `allow-passthrough`), scrolling and redraws.
public enum KittyGraphics {
    public static let placeholder = Unicode.Scalar(0x10EEEE)!

    /// Row and column numbers as combining marks, from kitty's rowcolumn-diacritics.txt.
    static let diacritics: [UInt32] = [
        0x0305, 0x030D, 0x030E, 0x0310, 0x0312, 0x033D, 0x033E, 0x033F, 0x0346, 0x034A, 0x034B, 0x034C, 0x0350, 0x0351,
        0x0352, 0x0357, 0x035B, 0x0363, 0x0364, 0x0365, 0x0366, 0x0367, 0x0368, 0x0369, 0x036A, 0x036B, 0x036C, 0x036D,
        0x036E, 0x036F, 0x0483, 0x0484, 0x0485, 0x0486, 0x0487, 0x0592, 0x0593, 0x0594, 0x0595, 0x0597, 0x0598, 0x0599,
        0x059C, 0x059D, 0x059E, 0x059F, 0x05A0, 0x05A1, 0x05A8, 0x05A9, 0x05AB, 0x05AC, 0x05AF, 0x05C4, 0x0610, 0x0611,
        0x0612, 0x0613, 0x0614, 0x0615, 0x0616, 0x0617, 0x0657, 0x0658, 0x0659, 0x065A, 0x065B, 0x065D, 0x065E, 0x06D6,
        0x06D7, 0x06D8, 0x06D9, 0x06DA, 0x06DB, 0x06DC, 0x06DF, 0x06E0, 0x06E1, 0x06E2, 0x06E4, 0x06E7, 0x06E8, 0x06EB,
        0x06EC, 0x0730, 0x0732, 0x0733, 0x0735, 0x0736, 0x073A, 0x073D, 0x073F, 0x0740, 0x0741, 0x0743, 0x0745, 0x0747,
        0x0749, 0x074A,
    ]

    /// The most rows or columns a placement can have here.
    public static var maxCells: Int { diacritics.count }

    /// The escapes that send `image` (raw RGBA, base64 in chunks of at most 4096 bytes, as the
    /// protocol asks) and place it virtually over `columns`×`rows` cells. `q=2`: no replies.
    public static func transmit(_ image: RGBAImage, id: UInt32, columns: Int, rows: Int, chunkSize: Int = 4096) -> [String] {
        let payload = Data(image.pixels).base64EncodedString()
        var chunks: [Substring] = []
        var start = payload.startIndex
        while start < payload.endIndex {
            let end = payload.index(start, offsetBy: chunkSize, limitedBy: payload.endIndex) ?? payload.endIndex
            chunks.append(payload[start..<end])
            start = end
        }
        if chunks.isEmpty { chunks = [""] }
        return chunks.enumerated().map { index, chunk in
            let more = index < chunks.count - 1 ? 1 : 0
            let keys = index == 0 ? "a=T,U=1,f=32,s=\(image.width),v=\(image.height),i=\(id),c=\(columns),r=\(rows),q=2,m=\(more)" : "m=\(more)"
            return "\u{1B}_G\(keys);\(chunk)\u{1B}\\"
        }
    }

    /// Frees the terminal's copy of an image.
    public static func delete(id: UInt32) -> String { "\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\" }

    /// An escape passed through tmux to the terminal outside it (tmux needs
    /// `set -g allow-passthrough on`): wrapped in tmux's DCS, every ESC doubled.
    public static func passedThroughTmux(_ escape: String) -> String {
        "\u{1B}Ptmux;" + escape.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
    }

    /// The placeholder cells of image `id` over `columns`×`rows`.
    public static func placeholders(id: UInt32, columns: Int, rows: Int) -> [[Cell]] {
        let style = CellStyle(foreground: color(of: id))
        return (0..<min(rows, maxCells)).map { row in
            (0..<min(columns, maxCells)).map { column in
                var scalars = String.UnicodeScalarView()
                scalars.append(placeholder)
                scalars.append(Unicode.Scalar(diacritics[row])!)
                scalars.append(Unicode.Scalar(diacritics[column])!)
                return Cell(character: Character(String(scalars)), style: style, isContinuation: false)
            }
        }
    }

    /// A 24-bit image id as the true colour that names it.
    public static func color(of id: UInt32) -> TerminalColor {
        .rgb(UInt8((id >> 16) & 0xFF), UInt8((id >> 8) & 0xFF), UInt8(id & 0xFF))
    }
}
