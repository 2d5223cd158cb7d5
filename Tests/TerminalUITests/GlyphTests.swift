import Testing
@testable import TerminalUI

/// Cells hold their character and link as plain numbers: what goes in comes out, and equal
/// characters (one scalar or a cluster) are equal cells.
struct GlyphTests {
    @Test(arguments: ["a", " ", "é", "日", "👍", "👍🏽", "🇫🇷", "e\u{301}", "👩‍💻"] as [Character])
    func aCharacterComesBackAsItWent(_ character: Character) {
        #expect(Glyph(character).character == character)
        var cell = Cell.blank
        cell.character = character
        #expect(cell.character == character)
    }

    @Test func equalClustersAreEqualGlyphsAndOthersAreNot() {
        #expect(Glyph("🇫🇷") == Glyph(Character("🇫" + "🇷")))
        #expect(Glyph("🇫🇷") != Glyph("🇩🇪"))
        #expect(Glyph("e\u{301}") != Glyph("e"))
        #expect(Glyph("a").isASCII && !Glyph("é").isASCII && !Glyph("🇫🇷").isASCII)
        #expect(Glyph("é").scalarValue == 0xE9)
        #expect(Glyph("🇫🇷").scalarValue == nil)
    }

    @Test func aStyleKeepsItsLinkAndComparesByIt() {
        var style = CellStyle(link: "https://example.org/a")
        #expect(style.link == "https://example.org/a" && style.hasLink)
        #expect(style == CellStyle(link: "https://example.org/a"))
        #expect(style != CellStyle(link: "https://example.org/b"))
        style.link = nil
        #expect(style == .plain && !style.hasLink)
    }

    @Test func aCanvasWritesClustersAsCells() {
        var canvas = Canvas(rows: 1, columns: 10)
        canvas.write("a🇫🇷e\u{301}", row: 0, column: 0)
        #expect(canvas.lines == ["a🇫🇷e\u{301}"])
    }
}
