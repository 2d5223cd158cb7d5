import ChatApp
import ChatSync
import ChatUI
import Foundation
import Testing

/// The app layer maps the engine's status to the UI's own value, field by field.
@Suite struct StatusMappingTests {
    @Test func everyFieldOfTheEnginesStatusReachesTheUI() {
        var status = EngineStatus()
        let at = Date(timeIntervalSince1970: 1_000)
        status.connection = .retrying(at: at)
        status.lastError = "Cannot reach the server (connection refused)."
        status.isCaughtUp = true
        status.syncProgress = SyncProgress(done: 3, total: 7)
        status.pendingChanges = 2
        let mapped = SyncStatus(status)
        #expect(mapped.connection == .retrying(at: at))
        #expect(mapped.lastError == status.lastError)
        #expect(mapped.isCaughtUp)
        #expect(mapped.syncProgress == SyncStatus.Progress(done: 3, total: 7))
        #expect(mapped.pendingChanges == 2)
        status.connection = .signedOut
        #expect(SyncStatus(status).connection == .signedOut)
    }
}
