/// FNV-1a over UTF-8: a hash that stays the same across runs and processes (Swift's Hasher
/// is seeded per process), for ids the terminal keeps (hyperlink and picture ids).
public enum StableHash {
    public static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}
