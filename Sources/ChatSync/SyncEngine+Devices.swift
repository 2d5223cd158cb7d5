import ChatAPI
import ChatClient
import Foundation

/// The account's signed-in devices, for the settings pane's "Devices" and `termchat devices`.
public struct DeviceEntry: Sendable, Equatable {
    public var session: DeviceSession
    public var isThisDevice: Bool

    public var name: String { session.deviceInfo.name }
    /// The first characters of the session id: enough to tell two devices of one name apart.
    public var shortId: String { String(session.id.uuidString.prefix(8)).lowercased() }

    /// `phone (a1b2c3d4), last used 3 days ago`; "this device" for the caller's own.
    public func summary(now: Date = Date()) -> String {
        "\(name) (\(shortId)), " + use(now: now)
    }

    /// "this device", or when it was last used: "last used today", "… 3 days ago".
    public func use(now: Date = Date()) -> String {
        if isThisDevice { return "this device" }
        let used = Int(max(0, now.timeIntervalSince(session.updatedAt)) / 86_400)
        return "last used " + (used == 0 ? "today" : used == 1 ? "yesterday" : "\(used) days ago")
    }

    /// Which device `text` names: its name (any case) or the start of its session id (4+
    /// characters). Answers the entry, or the sentence that says why none is chosen.
    public static func choose(_ text: String, in entries: [DeviceEntry]) -> Result<DeviceEntry, DeviceChoiceError> {
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !wanted.isEmpty else { return .failure(.init(Said.nameADevice)) }
        var matches = entries.filter { $0.name.lowercased() == wanted }
        if matches.isEmpty, wanted.count >= 4 {
            matches = entries.filter { $0.session.id.uuidString.lowercased().hasPrefix(wanted) }
        }
        switch matches.count {
        case 0: return .failure(.init(Said.noDeviceCalled(text)))
        case 1 where matches[0].isThisDevice: return .failure(.init(Said.thatIsThisDevice))
        case 1: return .success(matches[0])
        default: return .failure(.init("\(matches.count) devices are called \(text); name one by the id in brackets."))
        }
    }
}

public struct DeviceChoiceError: Error, Sendable, Equatable, LocalizedError {
    public var sentence: String
    public init(_ sentence: String) { self.sentence = sentence }
    public var errorDescription: String? { sentence }
}

extension SyncEngine {
    /// The account's devices, this one first, then by last use.
    public func devices() async throws -> [DeviceEntry] {
        let sessionId = self.sessionId
        return try await api.sessions()
            .map { DeviceEntry(session: $0, isThisDevice: $0.id == sessionId) }
            .sorted { ($0.isThisDevice ? 1 : 0, $0.session.updatedAt) > ($1.isThisDevice ? 1 : 0, $1.session.updatedAt) }
    }

    /// Signs out the device `text` names (see `DeviceEntry.choose`); answers it.
    public func signOutDevice(_ text: String) async throws -> DeviceEntry {
        let chosen = try DeviceEntry.choose(text, in: try await devices()).get()
        try await api.endSession(chosen.session.id)
        return chosen
    }
}
