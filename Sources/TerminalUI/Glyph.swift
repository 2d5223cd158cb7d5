import Synchronization

/// A cell's character as a plain four-byte value: the scalar itself for a one-scalar character
/// (nearly every cell), or the number of a cluster (a flag, a ZWJ sequence, a letter with a
/// combining mark) in a table the process keeps. A frame is some 12,000 cells, made and
/// compared ~50 times a second in a burst: as `Character` each cell copy was a reference count
/// (retain, release, and a check of which representation), most of a frame's cost.
public struct Glyph: Hashable, Sendable {
    @usableFromInline let raw: UInt32
    /// Set on numbers of clusters; scalars end below 0x110000.
    @usableFromInline static let clusterBit: UInt32 = 1 << 31
    private static let clusters = InternTable<Character>()

    public init(_ character: Character) {
        var scalars = character.unicodeScalars.makeIterator()
        if let first = scalars.next(), scalars.next() == nil {
            raw = first.value
        } else {
            raw = Self.clusterBit | Self.clusters.number(for: character)
        }
    }

    /// A glyph of one ASCII byte.
    public init(ascii byte: UInt8) {
        raw = UInt32(byte)
    }

    public static let space = Glyph(ascii: 0x20)

    public var character: Character {
        if let scalar = scalarValue, let unicode = Unicode.Scalar(scalar) { return Character(unicode) }
        return Self.clusters.value(raw & ~Self.clusterBit)
    }

    /// The scalar, when the character is one scalar.
    @inlinable public var scalarValue: UInt32? {
        raw & Self.clusterBit == 0 ? raw : nil
    }

    /// One byte of UTF-8: what curses always draws as it is.
    @inlinable public var isASCII: Bool { raw < 0x80 }
}

/// Values numbered in the order first seen, for the life of the process: cells carry the
/// number (a plain value) and the few that need the value look it up. What is numbered here is
/// what a screen showed (clusters, link addresses), so the table stays small.
final class InternTable<Value: Hashable & Sendable>: Sendable {
    private struct Numbers {
        var byValue: [Value: UInt32] = [:]
        var values: [Value] = []
    }

    private let numbers = Mutex(Numbers())

    func number(for value: Value) -> UInt32 {
        numbers.withLock { numbers in
            if let known = numbers.byValue[value] { return known }
            let number = UInt32(numbers.values.count)
            numbers.values.append(value)
            numbers.byValue[value] = number
            return number
        }
    }

    func value(_ number: UInt32) -> Value {
        numbers.withLock { $0.values[Int(number)] }
    }
}
