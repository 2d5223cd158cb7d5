import ChatAPI
import ChatModel
import TerminalImages
import TerminalUI

/// A picture attachment made ready to draw: small enough to keep in the state, with what
/// the terminal's protocol needs made once (not per frame).
public struct PicturePreview: Equatable, Sendable {
    /// The kitty image id (24 bits, never 0), also a stable key for the terminal.
    public var id: UInt32
    /// The cells the picture takes at the most.
    public var fit: CellFit
    /// A copy about the size of `fit` in half-block pixels, for narrower panes.
    public var bitmap: RGBAImage
    /// The half blocks at `fit`.
    public var blocks: [[Cell]]
    public var escape: Escape

    public enum Escape: Equatable, Sendable {
        /// Half blocks only.
        case none
        case sixel(String)
        case kitty(transmit: [String])
    }

    public init(id: UInt32, fit: CellFit, bitmap: RGBAImage, blocks: [[Cell]], escape: Escape) {
        self.id = id
        self.fit = fit
        self.bitmap = bitmap
        self.blocks = blocks
        self.escape = escape
    }
}

/// Where a picture attachment's preview stands.
public enum PreviewState: Equatable, Sendable {
    case loading
    case ready(PicturePreview)
    /// No preview, and why (too large, not readable): said under the attachment.
    case unavailable(String)
}

/// Which attachments get a preview, and the lines it is drawn on.
public enum Pictures {
    /// The file types a preview is made for.
    static let fileTypes: Set<String> = ["png", "jpg", "jpeg", "gif", "webp"]
    /// The most lines a preview takes in the conversation.
    public static let maxRows = 8
    public static let maxColumns = 40

    static func isPicture(_ attachment: CachedAttachment) -> Bool {
        attachment.mediaId != nil && fileTypes.contains(attachment.fileType.lowercased())
    }

    /// Asks for the previews of pictures in `messages` not asked for yet, as soon as there is
    /// something to make one from: the file on this device, or on the server.
    static func requests(_ state: inout AppState, _ chat: ChatID, _ messages: [CachedMessage]) -> [Effect] {
        guard state.showsPictures else { return [] }
        var effects: [Effect] = []
        for message in messages where !message.isDeleted {
            for attachment in message.attachments where isPicture(attachment) {
                guard let media = attachment.mediaId, state.previews[media] == nil,
                      attachment.localPath != nil || attachment.previewExists || attachment.mayBeOnServer else { continue }
                state.previews[media] = .loading
                effects.append(.loadPreview(chat, localId: message.localId, position: attachment.position))
            }
        }
        return effects
    }

    /// The lines of a message's picture previews, `width` columns wide after `indent`.
    static func lines(_ message: CachedMessage, _ context: LayoutContext, width: Int, indent: String, theme: Theme) -> [StyledLine] {
        guard !message.isDeleted, !context.previews.isEmpty else { return [] }
        var lines: [StyledLine] = []
        let available = max(0, width - indent.count)
        for attachment in message.attachments where isPicture(attachment) {
            guard let media = attachment.mediaId, let preview = context.previews[media] else { continue }
            switch preview {
            case .loading:
                continue
            case .unavailable(let reason):
                lines.append([Span(indent), Span("no preview: " + reason, theme.dim)])
            case .ready(let picture):
                lines += pictureLines(picture, available: available, indent: indent)
            }
        }
        return lines
    }

    static func pictureLines(_ picture: PicturePreview, available: Int, indent: String) -> [StyledLine] {
        guard available > 0, picture.fit.columns > 0 else { return [] }
        let fits = picture.fit.columns <= available
        var cells: [[Cell]]
        var kind: PlacedPicture.Kind?
        switch picture.escape {
        case .kitty(let transmit) where fits:
            cells = KittyGraphics.placeholders(id: picture.id, columns: picture.fit.columns, rows: picture.fit.rows)
            kind = .kitty(id: picture.id, transmit: transmit)
        case .sixel(let escape) where fits:
            cells = [[Cell]](repeating: [Cell](repeating: .blank, count: picture.fit.columns), count: picture.fit.rows)
            kind = .sixel(escape)
        default:
            if fits {
                cells = picture.blocks
            } else {
                // A narrower pane: the same proportions in fewer cells.
                let rows = max(1, (picture.fit.rows * available + picture.fit.columns / 2) / picture.fit.columns)
                cells = HalfBlocks.cells(picture.bitmap, columns: available, rows: rows)
            }
        }
        return cells.enumerated().map { index, row in
            var first = Span(indent)
            if index == 0, let kind { first.picture = (kind, cells.count) }
            return [first] + row.map { Span(String($0.character), $0.style) }
        }
    }
}
