import ChatAPI
import TerminalUI

/// Each person's colour: stable (derived from the user id, so it is the same on every run and
/// every machine), from the theme's palette, never yours or the error colour.
struct PersonColors {
    let me: UserID
    let mine: CellStyle
    let fallback: CellStyle
    let palette: [CellStyle]

    /// The palette for one layout (filtered once, not per message).
    init(theme: Theme, me: UserID) {
        self.me = me
        mine = theme.me
        fallback = theme.other
        palette = theme.people.filter { $0.foreground != theme.me.foreground && $0.foreground != theme.error.foreground }
    }

    func style(for user: UserID) -> CellStyle {
        if user == me { return mine }
        guard !palette.isEmpty else { return fallback }
        return palette[Int(Self.mix(UInt64(bitPattern: Int64(user))) % UInt64(palette.count))]
    }

    static func style(for user: UserID, me: UserID, theme: Theme) -> CellStyle {
        PersonColors(theme: theme, me: me).style(for: user)
    }

    /// SplitMix64's finaliser: neighbouring ids get unrelated colours (Swift's Hasher is seeded
    /// per process, so it would not be stable).
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
