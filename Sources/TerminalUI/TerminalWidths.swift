import Synchronization

/// How many columns this terminal gives the emoji sequences terminals disagree on: flags,
/// ZWJ sequences (👨‍👩‍👧), skin-tone modifiers (👍🏽) and emoji variation selectors (❤️).
/// One terminal joins a sequence into two columns, another draws its parts side by side; a
/// layout that guesses wrong shifts everything after it and leaves stray characters behind.
/// The terminal adapter measures the terminal once at start (`measure`) and `use`s the answer;
/// unmeasured kinds keep the common answer, two columns.
public struct TerminalWidths: Sendable, Equatable {
    public enum Kind: Int, CaseIterable, Sendable {
        case flag, zwjSequence, modifier, variation

        /// What is measured for this kind.
        public var sample: String {
            switch self {
            case .flag: return "\u{1F1EF}\u{1F1F5}"
            case .zwjSequence: return "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"
            case .modifier: return "\u{1F44D}\u{1F3FD}"
            case .variation: return "\u{2764}\u{FE0F}"
            }
        }

        /// The kind of a cluster of several scalars, nil for plain text with combining marks.
        static func of(_ scalars: Character.UnicodeScalarView) -> Kind? {
            guard let first = scalars.first, first.properties.isEmoji else { return nil }
            var variation = false
            for scalar in scalars {
                switch scalar.value {
                case 0x200D: return .zwjSequence
                case 0x1F3FB...0x1F3FF: return .modifier
                case 0xFE0F: variation = true
                default: break
                }
            }
            if (0x1F1E6...0x1F1FF).contains(first.value) { return .flag }
            return variation ? .variation : nil
        }
    }

    /// Measured columns per kind; a kind not in it was not measured.
    public var measured: [Kind: Int]

    public init(measured: [Kind: Int] = [:]) {
        self.measured = measured.filter { (1...8).contains($0.value) }
    }

    // MARK: The widths in use

    /// 4 bits per kind: 0 not measured, else the width.
    private static let packed = Atomic<UInt32>(0)

    /// Makes `widths` the answer of `TextWidth` from now on (set once, before the first frame).
    public static func use(_ widths: TerminalWidths) {
        var value: UInt32 = 0
        for (kind, width) in widths.measured { value |= UInt32(width) << (4 * UInt32(kind.rawValue)) }
        packed.store(value, ordering: .relaxed)
    }

    public static var inUse: TerminalWidths {
        let value = packed.load(ordering: .relaxed)
        var measured: [Kind: Int] = [:]
        for kind in Kind.allCases {
            let width = Int((value >> (4 * UInt32(kind.rawValue))) & 0xF)
            if width > 0 { measured[kind] = width }
        }
        return TerminalWidths(measured: measured)
    }

    static func measuredWidth(_ kind: Kind) -> Int? {
        let width = Int((packed.load(ordering: .relaxed) >> (4 * UInt32(kind.rawValue))) & 0xF)
        return width > 0 ? width : nil
    }

    // MARK: Clusters

    /// How a cluster of several scalars is drawn: as one cell of `joined` columns, or, when the
    /// terminal draws its parts side by side, as its `pieces` (each a spacing scalar with the
    /// zero-width scalars after it).
    enum Drawing {
        case joined(Int)
        case pieces
    }

    static func drawing(of character: Character) -> Drawing? {
        let scalars = character.unicodeScalars
        guard let kind = Kind.of(scalars) else { return nil }
        guard let width = measuredWidth(kind) else { return .joined(2) }
        if width <= 2 { return .joined(width) }
        return .pieces
    }

    /// The cluster's pieces: each spacing scalar starts one, zero-width scalars join the one before.
    static func pieces(of character: Character) -> [Character] {
        var pieces: [String] = []
        for scalar in character.unicodeScalars {
            if TextWidth.of(scalar) > 0 || pieces.isEmpty {
                pieces.append(String(scalar))
            } else {
                pieces[pieces.count - 1].unicodeScalars.append(scalar)
            }
        }
        return pieces.map { Character($0) }
    }
}
