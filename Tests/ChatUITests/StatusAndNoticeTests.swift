import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// The status line, the bell and notices: one ring per burst, counts, notices that go when they no longer hold.
@Suite struct StatusAndNoticeTests {
    @Test func aBurstRingsOnceAndEndsInOneSummary() {
        var coalescer = NotificationCoalescer(window: 10)
        let start = Fixtures.base
        var alerts: [NotificationCoalescer.Alert] = []
        for index in 0..<2000 {
            let chat = index % 3 == 0 ? Fixtures.group : Fixtures.personal
            if let alert = coalescer.arrived(chat, title: "Bob", body: "message \(index)", count: 1, at: start.addingTimeInterval(Double(index) * 0.005)) {
                alerts.append(alert)
            }
        }
        #expect(alerts.count == 1)
        #expect(coalescer.flush(at: start.addingTimeInterval(5)) == nil)  // not before the window ends
        let summary = coalescer.flush(at: start.addingTimeInterval(10))
        #expect(summary?.body == "1999 new messages in 2 chats")
        #expect(coalescer.flush(at: start.addingTimeInterval(30)) == nil)
    }

    @Test func unreadMessagesInArchivedChatsShowInTheListTitle() {
        var state = Fixtures.state()
        var chats = Fixtures.chats
        chats[2].unreadCount = 1
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        #expect(screenText(state).contains("Chats (2) · 1 in archive"))
        _ = press(&state, .character("A"))
        #expect(screenText(state).contains("Archive (1) · 1 unread"))
    }

    @Test func logoutInTheDemoSaysThatTheDemoEnds() {
        var state = Fixtures.state()
        state.logoutEndsTheProgram = true
        _ = press(&state, .character("/"))
        _ = type(&state, "logout")
        _ = press(&state, .enter)
        guard case .confirm(let confirmation)? = state.overlay else { Issue.record("no confirmation"); return }
        #expect(confirmation.question.contains("termchat demo ends"))
    }

    /// A first sync over many chats counts them in the status line.
    @Test func theStatusLineCountsALargeFirstSync() {
        var state = Fixtures.state(columns: 100)
        var syncing = state.engine
        syncing.isCaughtUp = false
        syncing.syncProgress = SyncProgress(done: 1200, total: 100_000)
        _ = Reducer.reduce(&state, .engineStatusChanged(syncing))
        #expect(screenText(state).contains("● syncing chats 1,200 of 100,000"))
        syncing.syncProgress = nil
        syncing.isCaughtUp = true
        _ = Reducer.reduce(&state, .engineStatusChanged(syncing))
        #expect(screenText(state).contains("● online"))
        #expect(!screenText(state).contains("syncing"))
    }

    @Test func noticesGoAwayWhenTheyNoLongerHold() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        // A lost connection: shown, then gone once the engine is online again.
        var offline = state.engine
        offline.connection = .offline
        offline.lastError = "Cannot reach the server (connection refused)."
        _ = Reducer.reduce(&state, .engineStatusChanged(offline))
        #expect(state.notice?.text == offline.lastError)
        var online = offline
        online.connection = .online
        online.lastError = nil
        _ = Reducer.reduce(&state, .engineStatusChanged(online))
        #expect(state.notice == nil)
        // An upload: "Sending…" while it uploads, "Sent." once it has.
        _ = Reducer.reduce(&state, .uploadStarted("plan.png"))
        var uploading = Fixtures.message(30, from: 1, "", minutes: 30)
        uploading.attachments = [CachedAttachment(position: 0, mediaId: nil, fileType: "png", fileSize: 10, fileExists: false, previewExists: false,
                                                  localPath: "/tmp/plan.png", transferDone: 0, transferTotal: 10, transferState: .uploading)]
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [uploading]))
        #expect(state.notice?.text == "Sending plan.png…")
        uploading.attachments[0].transferState = .uploaded
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [uploading]))
        #expect(state.notice?.text == "Sent.")
    }
}
