import Testing
import TerminalUI

@Suite struct RectTests {
    @Test func splitsTakeWhatIsAskedAndNeverMore() {
        let pane = Rect(row: 2, column: 10, height: 20, width: 50)
        let (top, rest) = pane.splitTop(1)
        #expect(top == Rect(row: 2, column: 10, height: 1, width: 50))
        #expect(rest == Rect(row: 3, column: 10, height: 19, width: 50))
        let (above, bottom) = rest.splitBottom(3)
        #expect(bottom == Rect(row: 19, column: 10, height: 3, width: 50))
        #expect(above.bottom == bottom.row)
        #expect(above.insetLeft(1) == Rect(row: 3, column: 11, height: 16, width: 49))
        #expect(pane.splitTop(99).rest.height == 0)
        #expect(pane.splitLeft(-5).left.width == 0)
    }
}

@Suite struct RectLayoutTests {
    @Test func centredSlicedAndLinesStayInside() {
        let screen = Rect(row: 0, column: 0, height: 24, width: 80)
        #expect(screen.centered(height: 10, width: 60) == Rect(row: 7, column: 10, height: 10, width: 60))
        #expect(screen.centered(height: 99, width: 99) == screen)
        let list = Rect(row: 1, column: 0, height: 7, width: 30)
        #expect(list.slices(of: 2).map(\.row) == [1, 3, 5])
        #expect(list.slices(of: 2).allSatisfy { $0.height == 2 && $0.bottom <= list.bottom })
        #expect(list.line(0) == Rect(row: 1, column: 0, height: 1, width: 30))
        #expect(list.line(9).height == 0)
    }

    @Test func writingIntoARectCutsAtItsWidthAndSkipsAnEmptyOne() {
        var canvas = Canvas(rows: 2, columns: 10)
        canvas.write("abcdefghij", in: Rect(row: 0, column: 2, height: 1, width: 5))
        #expect(canvas.lines[0] == "  abcd…")
        #expect(canvas.write("x", in: Rect(row: 1, column: 0, height: 0, width: 5)) == 0)
        #expect(canvas.lines[1] == "")
    }
}
