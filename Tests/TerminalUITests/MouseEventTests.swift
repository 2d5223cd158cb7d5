import Testing
import TerminalUI

@Suite struct MouseEventTests {
    @Test func sgrReportsBecomeEventsAtZeroBasedCells() {
        #expect(MouseEvent.sgr(parameters: "<0;10;5", final: "M") == MouseEvent(.press(button: 0), row: 4, column: 9))
        #expect(MouseEvent.sgr(parameters: "<0;10;5", final: "m") == MouseEvent(.release, row: 4, column: 9))
        #expect(MouseEvent.sgr(parameters: "<2;1;1", final: "M") == MouseEvent(.press(button: 2), row: 0, column: 0))
        #expect(MouseEvent.sgr(parameters: "<64;3;7", final: "M") == MouseEvent(.wheelUp, row: 6, column: 2))
        #expect(MouseEvent.sgr(parameters: "<65;3;7", final: "M") == MouseEvent(.wheelDown, row: 6, column: 2))
        #expect(MouseEvent.sgr(parameters: "<32;4;4", final: "M") == MouseEvent(.drag, row: 3, column: 3))
        // Modifiers do not change what was pressed (ctrl+left is still a left press).
        #expect(MouseEvent.sgr(parameters: "<16;2;2", final: "M") == MouseEvent(.press(button: 0), row: 1, column: 1))
    }

    @Test func malformedReportsAreNotEvents() {
        for parameters in ["0;1;1", "<0;1", "<0;0;1", "<x;1;1", "<0;1;1;1", "<66;1;1", "<0;99999;1", "<"] {
            #expect(MouseEvent.sgr(parameters: parameters, final: "M") == nil, "\(parameters)")
        }
        #expect(MouseEvent.sgr(parameters: "<0;1;1", final: "~") == nil)
    }
}
