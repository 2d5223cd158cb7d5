/// OSC 8 hyperlinks: text between `start` and `end` is a link a terminal opens on a click.
public enum Hyperlink {
    /// The start of a link to `address`, with an id made from it so that the pieces of one
    /// link written apart (cell runs, or an address cut over lines) are one link to the
    /// terminal. Bytes outside printable ASCII, and `;` (the escape's own separator), are
    /// percent-encoded, so nothing in an address can end the escape early.
    public static func start(_ address: String) -> String {
        var clean = ""
        for byte in address.utf8 {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: ";") {
                clean.append(Character(Unicode.Scalar(byte)))
            } else {
                clean += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        let hash = StableHash.fnv1a(clean)
        return "\u{1B}]8;id=tc\(hash);\(clean)\u{1B}\\"
    }

    public static let end = "\u{1B}]8;;\u{1B}\\"
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
