import ChatAPI
import ChatStore
@testable import ChatUI
import Foundation
import Testing
import TerminalUI

/// What the chat list says before the first sync, and a file's name
/// in its preview.
@Suite struct ChatListScreenTests {
    /// A slow link: a fresh start said "No chats yet. n: new chat." for ~7 s while connecting.
    @Test func beforeTheFirstSyncAnEmptyListSaysItIsLoading() {
        var state = Fixtures.state(columns: 120)
        _ = Reducer.reduce(&state, .chatListChanged([]))
        state.engine.isCaughtUp = false
        state.engine.connection = .connecting
        #expect(Screen.render(state).text.contains("Loading chats…"))
        #expect(!Screen.render(state).text.contains("No chats yet"))
        state.engine.connection = .offline
        #expect(Screen.render(state).text.contains("Chats load when online."))
        state.engine.isCaughtUp = true
        state.engine.connection = .online
        #expect(Screen.render(state).text.contains("No chats yet. n: new chat."))
    }

    /// Chats out of view are counted: 42 chats arrived above the selected one and nothing said so.
    @Test func chatsOutOfViewAreCountedInTheHeading() {
        var state = Fixtures.state(rows: 20, columns: 120)
        let many = (0..<30).map { index in
            Fixtures.summary(UUID(), title: "Chat \(index)", personal: false, members: [1, 2],
                             last: Fixtures.message(200 + index, from: 2, "m", minutes: Double(100 - index)))
        }
        _ = Reducer.reduce(&state, .chatListChanged(many))
        var heading = Screen.render(state).lines[0]
        #expect(heading.contains("Chats (30) · ↓ "), "\(heading)")
        _ = press(&state, .end)
        heading = Screen.render(state).lines[0]
        let shown = Screen.render(state).text.components(separatedBy: "Chat ").count - 1
        #expect(heading.contains("Chats (30) · ↑ \(30 - shown) more"), "\(heading)")
        _ = press(&state, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up)
        #expect(Screen.render(state).lines[0].contains("↑") && Screen.render(state).lines[0].contains("↓"))
    }

    /// The preview of a file sent without text said "📎 png", not the file's name.
    @Test func aFilesPreviewNamesTheFile() {
        var state = Fixtures.state(columns: 100)
        var chats = Fixtures.chats
        var last = Fixtures.message(60, from: 2, "")
        last.text = nil
        last.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "png", fileSize: 10, fileExists: true, previewExists: false,
                                             localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: "holiday.png")]
        chats[0].lastMessage = last
        _ = Reducer.reduce(&state, .chatListChanged(chats))
        let text = Screen.render(state).text
        #expect(text.contains("Bob: 📎 holiday.png"), "\(text)")
    }
}

/// The "Image file:" prompt had no Tab completion.
@Suite struct ImagePromptCompletionTests {
    @Test func tabCompletesTheImagesPath() {
        var state = Fixtures.state()
        state.overlay = .prompt(PromptState(.chatImage(Fixtures.group), label: "Image file:", text: "/tmp/ph"))
        #expect(press(&state, .tab) == [.completePath("/tmp/ph")])
        _ = Reducer.reduce(&state, .pathCompletionsFound(prefix: "/tmp/ph", ["/tmp/photo1.png", "/tmp/photo2.png"]))
        guard case .prompt(let prompt)? = state.overlay else { Issue.record("the prompt closed"); return }
        #expect(prompt.input.text == "/tmp/photo")
        #expect(state.notice?.text == "photo1.png  photo2.png")
        _ = Reducer.reduce(&state, .pathCompletionsFound(prefix: "/tmp/photo", ["/tmp/photo2.png"]))
        guard case .prompt(let completed)? = state.overlay else { return }
        #expect(completed.input.text == "/tmp/photo2.png")
    }
}

/// Keys that arrive together (`Key.burst`) are a paste only where text is
/// being written; elsewhere they count key by key, as a script typing on a busy machine meant.
@Suite struct BurstTests {
    @Test func aBurstInTheListIsTakenKeyByKeyAndInTheComposeBoxAsAPaste() {
        var state = Fixtures.state()
        // Enter (opens the chat with Bob, the compose box focused), then text.
        _ = press(&state, .burst("\nhello"))
        #expect(state.openChatId == Fixtures.personal && state.focus == .compose)
        #expect(state.composer.buffer.text == "hello")
        // In the compose box: nothing is sent, the lines are kept.
        let effects = press(&state, .burst("\nsecond line\nthird"))
        #expect(!effects.contains { if case .send = $0 { true } else { false } })
        #expect(state.composer.buffer.text == "hello\nsecond line\nthird")
    }
}

/// A 2.9 MB upload said "uploading 100%" for 90 s on a slow link: every
/// byte was written, not yet taken.
@Suite struct UploadProgressTests {
    func line(done: Int64, total: Int64) -> String {
        let attachment = CachedAttachment(position: 0, mediaId: UUID(), fileType: "png", fileSize: Int(total), fileExists: false, previewExists: false,
                                          localPath: "/tmp/big.png", transferDone: done, transferTotal: total, transferState: .uploading,
                                          fileName: "big.png")
        return ConversationLayout.describe(attachment)
    }

    @Test func allBytesWrittenSaysFinishingNotAHundredPercent() {
        #expect(line(done: 1_450_000, total: 2_900_000).hasSuffix("uploading 50%"))
        #expect(line(done: 2_899_999, total: 2_900_000).hasSuffix("uploading 99%"))
        let written = line(done: 2_900_000, total: 2_900_000)
        #expect(written.hasSuffix("sent, finishing…") && !written.contains("100%"), "\(written)")
    }
}
