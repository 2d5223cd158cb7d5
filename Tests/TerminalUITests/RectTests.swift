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
