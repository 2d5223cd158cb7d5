import Foundation

/// Chooses how pictures are drawn: the setting when it names a method, else what the
/// environment and the terminal's answers show, else half blocks (which every terminal with
/// colours draws, under tmux and over ssh too).
public enum PictureDetection {
    /// The terminal's answers, as the Terminal module reads them.
    public struct Answers: Equatable, Sendable {
        public var kitty: Bool
        public var sixel: Bool
        public var cellWidth: Int?
        public var cellHeight: Int?

        public init(kitty: Bool = false, sixel: Bool = false, cellWidth: Int? = nil, cellHeight: Int? = nil) {
            self.kitty = kitty
            self.sixel = sixel
            self.cellWidth = cellWidth
            self.cellHeight = cellHeight
        }
    }

    public static func decide(_ setting: PictureProtocol, environment: [String: String], answers: Answers) -> PictureTerminal {
        let insideTmux = !(environment["TMUX"] ?? "").isEmpty
        var method = setting
        if method == .auto {
            let term = environment["TERM"] ?? ""
            let program = (environment["TERM_PROGRAM"] ?? "").lowercased()
            if answers.kitty || environment["KITTY_WINDOW_ID"] != nil || term == "xterm-kitty" || program == "ghostty" || term == "xterm-ghostty" {
                // Inside tmux the query does not reach kitty; its variables tell. Passthrough
                // must be on (`set -g allow-passthrough on`): the README says so.
                method = .kitty
            } else if answers.sixel || term.hasPrefix("foot") || term.hasPrefix("mlterm") || term.contains("sixel") {
                method = .sixel
            } else {
                method = .blocks
            }
        }
        return PictureTerminal(method: method, cellWidth: answers.cellWidth ?? 8, cellHeight: answers.cellHeight ?? 16, insideTmux: insideTmux)
    }
}
