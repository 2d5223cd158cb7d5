import TOMLKit

/// How pictures are drawn in the conversation.
public enum PictureProtocol: String, Equatable, Sendable, CaseIterable {
    /// Ask the terminal (and look at `$TERM`, `$TERM_PROGRAM`, `$KITTY_WINDOW_ID`).
    case auto
    /// The kitty graphics protocol with Unicode placeholders (kitty, Ghostty; through tmux
    /// with `allow-passthrough on`).
    case kitty
    case sixel
    /// Unicode half blocks in colour: any terminal, plain tmux and ssh.
    case blocks
    case off
}

extension AppConfig {
    /// `[images]`: `protocol` and `max_download_mb`.
    mutating func readImages(_ section: TOMLTable, _ lines: LineFinder) {
        for name in section.keys {
            let line = lines.line(ofKey: name, in: "images")
            switch name {
            case "protocol":
                guard let value = section[name]?.string.flatMap(PictureProtocol.init(rawValue:)) else {
                    problems.append(lines.problem(at: line, "protocol is one of \(PictureProtocol.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))."))
                    continue
                }
                pictureProtocol = value
            case "max_download_mb":
                guard let value = section[name]?.int, (0...1024).contains(value) else {
                    problems.append(lines.problem(at: line, "max_download_mb is a whole number of megabytes, 0 to 1024."))
                    continue
                }
                maxPictureDownload = value * 1024 * 1024
            default:
                problems.append(lines.problem(at: line, "no images setting called \(name) (protocol, max_download_mb)."))
            }
        }
    }
}
