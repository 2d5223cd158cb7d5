import ChatAPI
import Foundation

extension PostgresClusterBus {
    /// An event for the other instances, `{"from":…,"message":{"event":{"frame":…,"users":[…]}}}`,
    /// written in one pass, byte for byte as `encode(_:)`'s JSONEncoder writes it: every post on
    /// PostgreSQL builds one, and JSONEncoder escaping the frame into a string was a sixteenth of
    /// the server's time a post. Nil for anything else, or for a frame holding a control
    /// character (JSONEncoder's escapes for those are left to it).
    static func eventJSON(from instance: UUID, frame: String, users: [UserID]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frame.utf8.count + 96 + users.count * 8)
        bytes.append(contentsOf: #"{"from":""#.utf8)
        bytes.append(contentsOf: instance.uuidString.utf8)
        bytes.append(contentsOf: #"","message":{"event":{"frame":""#.utf8)
        for byte in frame.utf8 {
            switch byte {
            case 0..<0x20: return nil
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            default:
                bytes.append(byte)
            }
        }
        bytes.append(contentsOf: #"","users":["#.utf8)
        for (index, user) in users.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: String(user).utf8)
        }
        bytes.append(contentsOf: "]}}}".utf8)
        return bytes
    }
}
