import Testing
import TerminalUI

@Suite struct LinkAndColorTests {
    @Test func hyperlinksAreOSC8WithAStableIdAndNothingThatEndsTheEscape() {
        let start = Hyperlink.start("https://example.org/a?b=1")
        #expect(start.hasPrefix("\u{1B}]8;id=tc"))
        #expect(start.hasSuffix(";https://example.org/a?b=1\u{1B}\\"))
        #expect(Hyperlink.start("https://example.org/a?b=1") == start)
        #expect(Hyperlink.start("https://example.org/b") != start)
        #expect(Hyperlink.end == "\u{1B}]8;;\u{1B}\\")
        // An escape, a semicolon and non-ASCII are percent-encoded.
        let hostile = Hyperlink.start("https://x.org/\u{1B}]0;pwned\u{7}/café")
        #expect(hostile.hasSuffix(";https://x.org/%1B]0%3Bpwned%07/caf%C3%A9\u{1B}\\"))
        #expect(hostile.filter { $0 == "\u{1B}" }.count == 2)
    }

    @Test func trueColoursFallBackToTheNearestOfThe256() {
        #expect(PaletteColor.nearest(red: 0, green: 0, blue: 0) == 16)
        #expect(PaletteColor.nearest(red: 255, green: 255, blue: 255) == 231)
        #expect(PaletteColor.nearest(red: 255, green: 0, blue: 0) == 196)
        #expect(PaletteColor.nearest(red: 0, green: 95, blue: 135) == 24)
        // A grey between cube levels goes to the grey ramp.
        #expect(PaletteColor.nearest(red: 128, green: 128, blue: 128) == 244)
    }

    @Test func aFirstLineSharedWithAHeaderWrapsShortWithoutCuttingAWordThatFitsALine() {
        #expect(TextWidth.wrap("aaa bbb ccc", columns: 8, firstLineColumns: 4) == ["aaa", "bbb ccc"])
        // The word fits a whole line but not the first: the first line stays empty.
        #expect(TextWidth.wrap("abcdefg", columns: 8, firstLineColumns: 4) == ["", "abcdefg"])
        // Longer than a whole line: cut.
        #expect(TextWidth.wrap("abcdefghijk", columns: 8, firstLineColumns: 4) == ["abcd", "efghijk"])
        #expect(TextWidth.wrap("one two", columns: 8) == ["one two"])
    }
}

@Suite struct TerminalGraphicsTests {
    @Test func theTerminalsAnswersAreRead() {
        // kitty: the query image is OK, 10×21 cells, device attributes without sixel.
        let kitty = TerminalGraphics.parse("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[6;21;10t\u{1B}[?62;22c")
        #expect(kitty.answered && kitty.kitty && !kitty.sixel && kitty.cellWidth == 10 && kitty.cellHeight == 21)
        // xterm -ti vt340: sixel (attribute 4).
        let xterm = TerminalGraphics.parse("\u{1B}[?63;1;2;4;6;9;15;22c")
        #expect(xterm.answered && xterm.sixel && !xterm.kitty && xterm.cellWidth == nil)
        // tmux answers for itself: neither.
        let tmux = TerminalGraphics.parse("\u{1B}[?1;2c")
        #expect(tmux.answered && !tmux.sixel && !tmux.kitty)
        // Nothing, or nonsense sizes.
        #expect(!TerminalGraphics.parse("").answered)
        #expect(TerminalGraphics.parse("\u{1B}[6;0;99999t").cellWidth == nil)
    }
}
