import ChatAPI
import ChatStore
import ChatUI
import Foundation
import Testing
import TerminalUI

/// Attachments in the conversation: named, and any of them saved without asking for a path.
@Suite struct AttachmentActionTests {
    @Test func attachmentsShowTheirNameAndSaveWithoutAskingForAPath() {
        var state = Fixtures.state(columns: 140)
        _ = press(&state, .enter)
        var named = Fixtures.message(20, from: 2, "the notes", minutes: 10)
        named.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "txt", fileSize: 17, fileExists: true, previewExists: false,
                                              localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: "notes.txt")]
        var upstream = Fixtures.message(21, from: 2, "", minutes: 11)
        upstream.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "png", fileSize: 2048, fileExists: false, previewExists: false,
                                                 localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: nil, fileExistsKnown: false)]
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [named, upstream]))
        let screen = screenText(state)
        #expect(screen.contains("📎 notes.txt · 17 B · o to save"), "\(screen)")
        // A server that does not say whether the file is there: "maybe", and saving is offered.
        #expect(screen.contains("· on the server, maybe: o to save"), "\(screen)")
        state.focus = .conversation
        #expect(press(&state, .character("o")) == [.download(Fixtures.personal, localId: upstream.localId, to: nil)])
        // Without a name, the caption names the file, then the id.
        #expect(named.attachments[0].displayName(caption: "ignored") == "notes.txt")
        var unnamed = named.attachments[0]
        unnamed.fileName = nil
        #expect(unnamed.displayName(caption: "meeting notes") == "meeting notes.txt")
        #expect(unnamed.displayName(caption: nil) == unnamed.remoteFileName)
        #expect(SafeFileName.make("../../.bashrc\u{1B}") == "bashrc")
    }

    @Test func anyAttachmentCanBeSavedNotOnlyTheNewest() {
        var state = Fixtures.state()
        _ = press(&state, .enter)
        func file(_ id: Int, _ name: String) -> CachedMessage {
            var message = Fixtures.message(id, from: 2, "", minutes: Double(id))
            message.attachments = [CachedAttachment(position: 0, mediaId: UUID(), fileType: "txt", fileSize: 3, fileExists: true, previewExists: false,
                                                    localPath: nil, transferDone: 0, transferTotal: 0, transferState: .none, fileName: name)]
            return message
        }
        let older = file(40, "older.txt")
        let newer = file(41, "newer.txt")
        _ = Reducer.reduce(&state, .conversationChanged(Fixtures.personal, [older, newer]))
        func run(_ line: String) -> [Effect] {
            _ = type(&state, line)
            return press(&state, .enter).filter { if case .saveDraft = $0 { false } else { true } }
        }
        #expect(run("/save") == [.download(Fixtures.personal, localId: newer.localId, to: nil)])
        #expect(run("/save 2") == [.download(Fixtures.personal, localId: older.localId, to: nil)])
        #expect(run("/save 2 /tmp/x.txt") == [.download(Fixtures.personal, localId: older.localId, to: "/tmp/x.txt")])
        #expect(run("/save 3").isEmpty)
        #expect(state.notice?.text == "There are only 2 attachments here.")
    }
}
