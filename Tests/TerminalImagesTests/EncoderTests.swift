import Foundation
import ImageCodecs
import Testing
import TerminalImages
import TerminalUI

/// A known 4×4 picture through each encoder, compared with the escapes expected.
@Suite struct EncoderTests {
    /// Red over green on the left, blue on the right with a transparent corner:
    ///   R R B B
    ///   R R B B
    ///   G G B B
    ///   G G B .
    static let fourByFour = RGBAImage(rows: [
        [0xFF0000FF, 0xFF0000FF, 0x0000FFFF, 0x0000FFFF],
        [0xFF0000FF, 0xFF0000FF, 0x0000FFFF, 0x0000FFFF],
        [0x00FF00FF, 0x00FF00FF, 0x0000FFFF, 0x0000FFFF],
        [0x00FF00FF, 0x00FF00FF, 0x0000FFFF, 0x00000000],
    ])

    @Test func halfBlocksPutTwoPixelsInACell() {
        let cells = HalfBlocks.cells(Self.fourByFour, columns: 4, rows: 2)
        #expect(cells.count == 2 && cells.allSatisfy { $0.count == 4 })
        let red = "\u{1B}[0;38;2;255;0;0;48;2;255;0;0m"
        let blue = "\u{1B}[0;38;2;0;0;255;48;2;0;0;255m"
        let green = "\u{1B}[0;38;2;0;255;0;48;2;0;255;0m"
        let blueTop = "\u{1B}[0;38;2;0;0;255m"
        #expect(HalfBlocks.escapes(cells, trueColor: true) == red + "▀▀" + blue + "▀▀\u{1B}[0m\n" + green + "▀▀" + blue + "▀" + blueTop + "▀\u{1B}[0m")
        // 256 colours: the nearest palette entries (196 red, 46 green, 21 blue).
        #expect(HalfBlocks.escapes(cells, trueColor: false) == "\u{1B}[0;38;5;196;48;5;196m▀▀\u{1B}[0;38;5;21;48;5;21m▀▀\u{1B}[0m\n"
            + "\u{1B}[0;38;5;46;48;5;46m▀▀\u{1B}[0;38;5;21;48;5;21m▀\u{1B}[0;38;5;21m▀\u{1B}[0m")
        // Shrunk to one row of two cells: each cell averages what it covers.
        let small = HalfBlocks.cells(Self.fourByFour, columns: 2, rows: 1)
        #expect(small[0][0].style == CellStyle(foreground: .rgb(255, 0, 0), background: .rgb(0, 255, 0)))
        #expect(small[0][1].style == CellStyle(foreground: .rgb(0, 0, 255), background: .rgb(0, 0, 255)))
    }

    @Test func sixelHasTheRasterThePaletteAndOneBandOfColourPasses() {
        // Palette in first-seen order: 0 red, 1 blue, 2 green. One band (rows 0–3):
        // red is rows 0–1 of columns 0–1 (bits 0b000011 → "B"), blue rows 0–3 of column 2
        // ("N") and rows 0–2 of column 3 ("F"), green rows 2–3 of columns 0–1 (0b001100 → "K").
        let expected = "\u{1B}P0;1;0q\"1;1;4;4#0;2;100;0;0#1;2;0;0;100#2;2;0;100;0"
            + "#0BB$#1??NF$#2KK-\u{1B}\\"
        #expect(Sixel.encode(Self.fourByFour) == expected)
        // Runs of four or more are compressed.
        let wide = RGBAImage(rows: [[UInt32]](repeating: [UInt32](repeating: 0xFFFFFFFF, count: 10), count: 1))
        #expect(Sixel.encode(wide) == "\u{1B}P0;1;0q\"1;1;10;1#0;2;100;100;100#0!10@-\u{1B}\\")
    }

    @Test func kittySendsTheImageOnceAndPlaceholdersShowIt() {
        let escapes = KittyGraphics.transmit(Self.fourByFour, id: 0x0A0B0C, columns: 4, rows: 2)
        let payload = Data(Self.fourByFour.pixels).base64EncodedString()
        #expect(escapes == ["\u{1B}_Ga=T,U=1,f=32,s=4,v=4,i=658188,c=4,r=2,q=2,m=0;\(payload)\u{1B}\\"])
        // A payload over 4096 bytes goes in chunks, all but the last with m=1.
        let big = RGBAImage(width: 40, height: 40, pixels: [UInt8](repeating: 7, count: 40 * 40 * 4))
        let chunks = KittyGraphics.transmit(big, id: 1, columns: 10, rows: 5)
        #expect(chunks.count == 3)
        #expect(chunks[0].hasPrefix("\u{1B}_Ga=T,U=1,f=32,s=40,v=40,i=1,c=10,r=5,q=2,m=1;"))
        #expect(chunks[1].hasPrefix("\u{1B}_Gm=1;") && chunks[2].hasPrefix("\u{1B}_Gm=0;"))
        #expect(chunks.map { $0.count - 4 }.max()! <= 4096 + 60)
        // Placeholders: U+10EEEE, the row's diacritic, the column's; the id as the colour.
        let cells = KittyGraphics.placeholders(id: 0x0A0B0C, columns: 4, rows: 2)
        #expect(cells.count == 2 && cells[0].count == 4)
        #expect(cells[0][0].character == "\u{10EEEE}\u{0305}\u{0305}")
        #expect(cells[0][1].character == "\u{10EEEE}\u{0305}\u{030D}")
        #expect(cells[1][3].character == "\u{10EEEE}\u{030D}\u{0310}")
        #expect(cells[1][3].style.foreground == .rgb(0x0A, 0x0B, 0x0C))
        #expect(HalfBlocks.escapes(cells, trueColor: true).hasPrefix("\u{1B}[0;38;2;10;11;12m\u{10EEEE}\u{0305}\u{0305}"))
        // Through tmux: wrapped, every ESC doubled.
        #expect(KittyGraphics.passedThroughTmux("\u{1B}_Ga=d\u{1B}\\") == "\u{1B}Ptmux;\u{1B}\u{1B}_Ga=d\u{1B}\u{1B}\\\u{1B}\\")
    }

    @Test func picturesFitCellsKeepingTheirProportions() {
        // 300×200 pixels in 8×16 cells: 37.5×12.5 natural; at most 40×8 → 24×8.
        #expect(CellFit.fit(width: 300, height: 200, maxColumns: 40, maxRows: 8) == CellFit(columns: 24, rows: 8))
        #expect(CellFit.fit(width: 1000, height: 100, maxColumns: 40, maxRows: 8) == CellFit(columns: 40, rows: 2))
        #expect(CellFit.fit(width: 4, height: 4, maxColumns: 40, maxRows: 8) == CellFit(columns: 1, rows: 1))
    }
}
