import Testing
import TerminalUI

@Suite struct TextWidthTests {
    @Test func widthsMatchWhatTerminalsDraw() {
        #expect(TextWidth.of("a") == 1)
        #expect(TextWidth.of("世") == 2)
        #expect(TextWidth.of("한") == 2)
        #expect(TextWidth.of("😀") == 2)
        #expect(TextWidth.of("👋") == 2)
        #expect(TextWidth.of("é") == 1)  // precomposed
        #expect(TextWidth.of("e\u{301}") == 1)  // e + combining acute: one cluster, one column
        #expect(TextWidth.of("❤️") == 2)  // text default + VS16 = emoji presentation
        #expect(TextWidth.of("Привет") == 6)
        #expect(TextWidth.of("hello 世界") == 10)
        #expect(TextWidth.of("\u{200B}") == 0)
    }

    @Test func truncateAndWrapRespectWideCharacters() {
        #expect(TextWidth.truncate("世界世界", to: 5) == "世界…")
        #expect(TextWidth.truncate("short", to: 10) == "short")
        #expect(TextWidth.wrap("the quick brown fox", columns: 10) == ["the quick", "brown fox"])
        #expect(TextWidth.wrap("世界世界世界", columns: 5) == ["世界", "世界", "世界"])
        #expect(TextWidth.wrap("a\nb", columns: 5) == ["a", "b"])
        #expect(TextWidth.wrap("supercalifragilistic", columns: 8) == ["supercal", "ifragili", "stic"])
    }
}

@Suite struct CanvasTests {
    @Test func wideCharactersTakeTwoCellsAndNeverStraddleTheEdge() {
        var canvas = Canvas(rows: 2, columns: 6)
        canvas.write("a世b", row: 0, column: 0)
        #expect(canvas.lines[0] == "a世b")
        #expect(canvas[0, 2].isContinuation)
        // Five columns left for "世世世": two fit, the third would straddle and becomes a space.
        let used = canvas.write("世世世", row: 1, column: 1)
        #expect(used == 5)
        #expect(canvas.lines[1] == " 世世")
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(rows: 1, columns: 4)
        canvas.write("世界", row: 0, column: 0)
        canvas.write("x", row: 0, column: 1)
        #expect(canvas.lines[0] == " x界")
        canvas.write("y", row: 0, column: 2)
        #expect(canvas.lines[0] == " xy")
    }

    @Test func writesClipToTheGivenWidthAndStyleIsKept() {
        var canvas = Canvas(rows: 1, columns: 10)
        let bold = CellStyle(bold: true)
        canvas.write("abcdefgh", row: 0, column: 2, width: 3, style: bold)
        #expect(canvas.lines[0] == "  abc")
        #expect(canvas[0, 2].style == bold)
        #expect(canvas[0, 5].style == .plain)
        canvas.write("out of range", row: 5, column: 0)
        canvas.write("neg", row: 0, column: -2)
        #expect(canvas.lines[0] == "g abc")
    }

    /// The renderer skips rows this calls unchanged: it must never call a changed row so.
    @Test func aRowIsUnchangedOnlyWhenItHoldsTheSameCells() {
        func frame(_ second: String, link: String? = nil) -> Canvas {
            var canvas = Canvas(rows: 3, columns: 12)
            canvas.write("alice: hi 世界", row: 0, column: 0)
            canvas.write(second, row: 1, column: 0, style: CellStyle(foreground: .cyan, link: link))
            return canvas
        }
        let before = frame("bob: yo")
        let after = frame("bob: yo!")
        #expect(after.rowIsUnchanged(0, since: before))
        #expect(!after.rowIsUnchanged(1, since: before))
        #expect(after.rowIsUnchanged(2, since: before))
        // The same text in a differently coloured cell, or with another link, is a change.
        var recoloured = frame("bob: yo")
        recoloured.write("b", row: 1, column: 0, style: CellStyle(foreground: .red))
        #expect(!recoloured.rowIsUnchanged(1, since: before))
        #expect(!frame("bob: yo", link: "https://a.example/").rowIsUnchanged(1, since: frame("bob: yo", link: "https://b.example/")))
        // Another size is never the same row.
        #expect(!Canvas(rows: 3, columns: 11).rowIsUnchanged(2, since: before))
        #expect(!before.rowIsUnchanged(3, since: before))
    }
}
