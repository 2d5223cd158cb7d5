import ChatAPI
import Foundation

/// Field rules of the protocol, as pure checks that throw the sentence to show.
enum Validation {
    static func username(_ value: String) throws(APIError) {
        let scalars = Array(value.unicodeScalars)
        guard ProtocolLimits.usernameLength.contains(scalars.count),
              let first = scalars.first, first.isASCIILetter,
              scalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit })
        else {
            throw .badRequest("A username is 5 to 25 letters or digits and starts with a letter.")
        }
    }

    static func password(_ value: String) throws(APIError) {
        if let problem = ProtocolLimits.passwordProblem(value) { throw .badRequest(problem) }
        guard !value.unicodeScalars.contains("\0") else { throw .badRequest("A password cannot contain a NUL character.") }
    }

    /// A device as a session stores it: every field bounded (1,000,000-character fields were
    /// stored, and twenty logins made `GET /users/me` 18 MB).
    static func device(_ device: DeviceInfo) throws(APIError) {
        let limits: [(String, String, Int)] = [
            ("name", device.name, 64), ("model", device.model, 64), ("token", device.token, 4096), ("transport", device.transport, 32),
        ]
        for (field, value, limit) in limits where value.utf8.count > limit {
            throw .badRequest("The device's \(field) is at most \(limit) bytes.")
        }
    }

    static func displayName(_ value: String) throws(APIError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(trimmed.count) else { throw .badRequest("A name is 1 to 64 characters long.") }
        return trimmed
    }

    static func about(_ value: String) throws(APIError) -> String {
        guard value.count <= 500 else { throw .badRequest("About is at most 500 characters long.") }
        return value
    }

    static func chatTitle(_ value: String) throws(APIError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...128).contains(trimmed.count) else { throw .badRequest("A chat title is 1 to 128 characters long.") }
        return trimmed
    }

    static func messageText(_ value: String) throws(APIError) {
        guard value.utf8.count <= ProtocolLimits.maxMessageTextBytes else {
            throw .badRequest("A message is at most \(ProtocolLimits.maxMessageTextBytes) bytes of UTF-8 (this one is \(value.utf8.count)).")
        }
    }

    static func localId(_ value: String) throws(APIError) {
        guard value.count >= LocalID.minimumLength, value.count <= 128 else {
            throw .badRequest("localId must be \"<UserID>+<UUID>\" (36 to 128 characters).")
        }
    }

    /// A file type is an extension: 1 to 10 letters or digits.
    static func fileType(_ value: String) throws(APIError) {
        guard (1...10).contains(value.count), value.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit }) else {
            throw .badRequest("A file type is an extension of 1 to 10 letters or digits, like png.")
        }
    }

    /// [ours] the sender's name for an attachment: 1 to 255 bytes, no `/`, NUL or other control.
    static func attachmentFileName(_ value: String) throws(APIError) -> String {
        guard (1...255).contains(value.utf8.count),
              !value.unicodeScalars.contains(where: { $0 == "/" || $0.properties.generalCategory == .control }),
              value != ".", value != ".."
        else {
            throw .badRequest("fileName is the file's name: 1 to 255 bytes, without / or control characters.")
        }
        return value
    }

    static func fileSize(_ value: Int) throws(APIError) {
        guard value >= 0 else { throw .badRequest("A file size cannot be negative.") }
        guard value <= ProtocolLimits.maxUploadBytes else {
            throw .tooLarge("Files are limited to \(ProtocolLimits.maxUploadBytes / 1_048_576) MB.")
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
