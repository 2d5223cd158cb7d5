import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalImages
import TerminalUI

/// A picture attachment's preview, asked for once and drawn in half blocks under it,
/// at the size it was made for and smaller in a narrow pane.
@Suite struct PictureScreenTests {
    static let media = UUID(uuidString: "00000000-0000-0000-0000-0000000000F1")!

    /// Left half red, right half blue on top; green below.
    static let picture = RGBAImage(rows: (0..<16).map { y in (0..<40).map { x in y >= 8 ? 0x00FF00FF : x < 20 ? 0xFF0000FF : 0x0000FFFF } })

    static func photoMessage(localPath: String? = nil, fileExists: Bool = true) -> CachedMessage {
        var photo = Fixtures.message(40, from: 2, "", minutes: 6)
        photo.attachments = [CachedAttachment(position: 0, mediaId: media, fileType: "png", fileSize: 20_480, fileExists: fileExists,
                                              previewExists: false, localPath: localPath, transferDone: 0, transferTotal: 0,
                                              transferState: .none, fileName: "sunset.png")]
        return photo
    }

    static func preview() -> PicturePreview {
        let fit = CellFit(columns: 40, rows: 8)
        let bitmap = picture.scaled(width: 40, height: 16)
        return PicturePreview(id: 7, fit: fit, bitmap: bitmap, blocks: HalfBlocks.cells(bitmap, columns: 40, rows: 8), escape: .none)
    }

    func opened(columns: Int, rows: Int = 24) -> AppState {
        var state = Fixtures.state(rows: rows, columns: columns)
        _ = press(&state, .enter)
        return state
    }

    @Test func aPictureIsAskedForOnceAndOnlyWhenThereIsSomethingToShow() {
        // The picture effects of a window (the chat's unread line may ask for more history too).
        func previews(_ state: inout AppState, _ message: CachedMessage) -> [Effect] {
            Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [message])).filter {
                if case .loadPreview = $0 { return true }
                return false
            }
        }
        var state = opened(columns: 100)
        // On the server (or maybe: the upstream does not say): asked for.
        #expect(previews(&state, Self.photoMessage()) == [.loadPreview(Fixtures.personal, localId: "2+40", position: 0)])
        #expect(state.previews[Self.media] == .loading)
        #expect(previews(&state, Self.photoMessage()).isEmpty)
        // Not uploaded yet, and not here: nothing to ask for.
        var other = opened(columns: 100)
        #expect(previews(&other, Self.photoMessage(fileExists: false)).isEmpty)
        // Pictures off: never.
        var off = opened(columns: 100)
        off.showsPictures = false
        #expect(previews(&off, Self.photoMessage()).isEmpty)
    }

    /// The rows of half blocks on screen: their row numbers and the column of the first.
    func blockRows(_ canvas: Canvas) -> [(row: Int, first: Int, count: Int)] {
        (0..<canvas.rows).compactMap { row in
            let columns = (0..<canvas.columns).filter { canvas[row, $0].character == "▀" }
            return columns.isEmpty ? nil : (row, columns[0], columns.count)
        }
    }

    @Test func theHalfBlockPreviewIsDrawnUnderTheAttachmentAtTwoWidths() throws {
        // Wide: 40×8 cells as made, under "📎 sunset.png", indented like the text.
        var wide = opened(columns: 110)
        _ = Reducer.reduce(&wide, .conversationChanged(Fixtures.personal, [Self.photoMessage()]))
        _ = Reducer.reduce(&wide, .previewLoaded(Self.media, .ready(Self.preview())))
        var canvas = Screen.render(wide)
        var rows = blockRows(canvas)
        #expect(rows.count == 8)
        #expect(rows.allSatisfy { $0.count == 40 })
        let caption = try #require(canvas.lines.firstIndex { $0.contains("📎 sunset.png · 20 KB") })
        #expect(rows.first?.row == caption + 1)
        let left = rows[0].first
        #expect(canvas[rows[0].row, left].style == CellStyle(foreground: .rgb(255, 0, 0), background: .rgb(255, 0, 0)))
        #expect(canvas[rows[0].row, left + 39].style == CellStyle(foreground: .rgb(0, 0, 255), background: .rgb(0, 0, 255)))
        #expect(canvas[rows[7].row, left].style == CellStyle(foreground: .rgb(0, 255, 0), background: .rgb(0, 255, 0)))
        let indent = canvas.lines[caption].distance(from: canvas.lines[caption].startIndex, to: canvas.lines[caption].range(of: "10:06")!.lowerBound) + 6
        #expect(left == indent)

        // Narrow (one pane, 40 columns): fewer cells, the same proportions and colours.
        var narrow = opened(columns: 40)
        _ = Reducer.reduce(&narrow, .conversationChanged(Fixtures.personal, [Self.photoMessage()]))
        _ = Reducer.reduce(&narrow, .previewLoaded(Self.media, .ready(Self.preview())))
        canvas = Screen.render(narrow)
        rows = blockRows(canvas)
        #expect(rows.count == 7, "\(canvas.text)")
        #expect(rows.allSatisfy { $0.count == 33 })
        #expect(canvas[rows[0].row, rows[0].first].style.foreground == .rgb(255, 0, 0))
        #expect(canvas[rows[6].row, rows[6].first].style.background == .rgb(0, 255, 0))
        #expect(canvas.lines.allSatisfy { TextWidth.of($0) <= 40 })
    }

    @Test func aPictureThatCannotBeShownSaysWhy() {
        var state = opened(columns: 100)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Self.photoMessage()]))
        _ = Reducer.reduce(&state, .previewLoaded(Self.media, .unavailable("not a readable PNG")))
        #expect(Screen.render(state).text.contains("no preview: not a readable PNG"))
    }

    @Test func kittyAndSixelPicturesArePlacedWhenWhollyOnScreen() {
        var state = opened(columns: 110)
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [Self.photoMessage()]))
        var kitty = Self.preview()
        kitty.escape = .kitty(transmit: ["\u{1B}_Ga=T;AAAA\u{1B}\\"])
        _ = Reducer.reduce(&state, .previewLoaded(Self.media, .ready(kitty)))
        var canvas = Screen.render(state)
        #expect(canvas.pictures.count == 1)
        guard case .kitty(7, _)? = canvas.pictures.first?.kind else { Issue.record("no kitty picture"); return }
        let placeholders = canvas.cells.filter { $0.character.unicodeScalars.first?.value == 0x10EEEE }
        #expect(placeholders.count == 40 * 8)
        #expect(placeholders.allSatisfy { $0.style.foreground == .rgb(0, 0, 7) })
        var sixel = Self.preview()
        sixel.escape = .sixel("\u{1B}Pq#0!40~-\u{1B}\\")
        _ = Reducer.reduce(&state, .previewLoaded(Self.media, .ready(sixel)))
        canvas = Screen.render(state)
        #expect(canvas.pictures == [PlacedPicture(row: canvas.pictures.first?.row ?? -1, column: canvas.pictures.first?.column ?? -1, kind: .sixel("\u{1B}Pq#0!40~-\u{1B}\\"))])
        // Too short a screen for all eight lines: not placed (the terminal would scroll).
        var short = state
        _ = Reducer.reduce(&short, .terminalResized(rows: 10, columns: 110))
        #expect(Screen.render(short).pictures.isEmpty)
    }
}
