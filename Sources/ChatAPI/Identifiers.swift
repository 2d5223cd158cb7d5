import Foundation

/// A user's id: an integer assigned by the server.
public typealias UserID = Int
/// A message's id: an integer that grows with time within a server.
public typealias MessageID = Int
/// A chat's id. UUIDs decode case-insensitively (the upstream prints them upper-case).
public typealias ChatID = UUID
/// The id of an uploaded file (attachment, chat image, user photo).
public typealias MediaID = UUID

/// Builds and checks `localId`s, which the spec defines as `"<UserID>+<UUID>"`.
public enum LocalID {
    /// A fresh local id for a message written by `author`.
    public static func make(author: UserID, uuid: UUID = UUID()) -> String {
        "\(author)+\(uuid.uuidString)"
    }

    /// The upstream only checks the length; a well-formed id is at least 36 characters.
    public static let minimumLength = 36
}
