/// Text pasted where the terminal does not mark pastes (no bracketed paste: tmux `paste-buffer`
/// without `-p`, many terminals over ssh) arrives as keys, each line ending in Enter, and each
/// line was sent as a message. Keys that arrive in one read are faster than a person types:
/// such a burst is taken as one paste (weechat's paste detection) when text goes on after a
/// line break in it. Text and one Enter at its end stay keys: a busy machine or a slow link
/// can deliver what was typed and its Enter together, and that message is meant to go. A held
/// key is no paste, and neither is a burst with other keys (arrows, Escape) in it.
public struct PasteDetector: Sendable {
    /// A long paste arrives over several reads: what follows a paste this soon is more of it.
    public var continuation: Duration = .milliseconds(60)
    private var lastPaste: ContinuousClock.Instant?

    public init() {}

    /// The keys of one read, as typed, or as a single `.burst`.
    public mutating func classify(_ keys: [Key], at now: ContinuousClock.Instant) -> [Key] {
        var text = ""
        var characters = 0
        var textAfterABreak = false
        var sawBreak = false
        for key in keys {
            switch key {
            case .character(let character):
                text.append(character)
                characters += 1
                if sawBreak { textAfterABreak = true }
            case .enter:
                text.append("\n")
                sawBreak = true
            case .tab: text.append("\t")
            default: return keys
            }
        }
        let continues = lastPaste.map { now - $0 < continuation } ?? false
        let isPaste = !text.isEmpty && (continues || (textAfterABreak && characters >= 2))
        guard isPaste else { return keys }
        lastPaste = now
        return [.burst(text)]
    }
}
