import ChatAPI
import TerminalUI

/// Each person's colour: stable (derived from the user id, so it is the same on every run and
/// every machine), from the theme's palette, never yours or the error colour.
enum PersonColors {
    static func style(for user: UserID, me: UserID, theme: Theme) -> CellStyle {
        if user == me { return theme.me }
        let palette = theme.people.filter { $0.foreground != theme.me.foreground && $0.foreground != theme.error.foreground }
        guard !palette.isEmpty else { return theme.other }
        return palette[Int(mix(UInt64(bitPattern: Int64(user))) % UInt64(palette.count))]
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
