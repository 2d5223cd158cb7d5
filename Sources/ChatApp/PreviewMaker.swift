import ChatAPI
import ChatUI
import Foundation
import TerminalImages
import TerminalUI

/// What the terminal can draw pictures with, found at start.
public struct PictureTerminal: Equatable, Sendable {
    /// Never `.auto`: already decided.
    public var method: PictureProtocol
    public var cellWidth: Int
    public var cellHeight: Int
    /// Kitty escapes must be wrapped to pass through tmux.
    public var insideTmux: Bool

    public init(method: PictureProtocol, cellWidth: Int = 8, cellHeight: Int = 16, insideTmux: Bool = false) {
        self.method = method
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        self.insideTmux = insideTmux
    }
}

/// A decoded picture made into what the conversation draws: its size in cells, a small copy
/// and its half blocks, and the sixel or kitty escapes for terminals that have them.
enum PreviewMaker {
    static func make(_ image: RGBAImage, media: MediaID, terminal: PictureTerminal) -> PicturePreview {
        let fit = CellFit.fit(width: image.width, height: image.height, maxColumns: Pictures.maxColumns, maxRows: Pictures.maxRows,
                              cellWidth: terminal.cellWidth, cellHeight: terminal.cellHeight)
        let bitmap = image.scaled(width: fit.columns, height: fit.rows * 2)
        let blocks = HalfBlocks.cells(bitmap, columns: fit.columns, rows: fit.rows)
        let id = kittyId(media)
        // The picture at the pixels its cells cover, never enlarged.
        let pixels = image.fittingSize(maxWidth: fit.columns * terminal.cellWidth, maxHeight: fit.rows * terminal.cellHeight)
        let escape: PicturePreview.Escape
        switch terminal.method {
        case .kitty:
            let transmit = KittyGraphics.transmit(image.scaled(width: pixels.width, height: pixels.height), id: id, columns: fit.columns, rows: fit.rows)
            escape = .kitty(transmit: terminal.insideTmux ? transmit.map(KittyGraphics.passedThroughTmux) : transmit)
        case .sixel:
            escape = .sixel(Sixel.encode(image.scaled(width: pixels.width, height: pixels.height)))
        case .auto, .blocks, .off:
            escape = .none
        }
        return PicturePreview(id: id, fit: fit, bitmap: bitmap, blocks: blocks, escape: escape)
    }

    /// A 24-bit id from the media id (FNV-1a of its bytes), never 0: the same picture keeps
    /// its id across redraws and restarts.
    static func kittyId(_ media: MediaID) -> UInt32 {
        let hash = StableHash.fnv1a(media.uuidString)
        let id = hash & 0xFF_FFFF
        return id == 0 ? 1 : id
    }
}
