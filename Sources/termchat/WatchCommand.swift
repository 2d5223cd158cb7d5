import ArgumentParser
import ChatAPI
import ChatApp
import ChatSync
import Foundation

/// `termchat watch`: what happens on the account, one line per event, as it happens. It runs
/// its own engine (syncs, catches up, writes the cache), so it works alone or beside a TUI.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print what happens as it happens (messages, edits, deletes, reads, typing, chat changes, the connection), until stopped.",
        discussion: """
            Each line carries a cursor; --since CURSOR resumes after it with nothing lost or said twice (what is kept: the \
            newest 50,000 events). The JSON fields are listed in the README's "Scripting" section.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Flag(help: "One JSON object a line.") var json = false
    @Option(help: "Only this chat: an id, or the username of the other person of a personal chat.") var chat: String?
    @Option(help: "Resume after this cursor (from an earlier line) instead of starting from now.") var since: Int64?

    func run() async throws {
        let session = try Session.open(options)
        var chatId: ChatID?
        if let chat {
            do { chatId = try await session.resolveChat(chat) } catch { throw CLIError(error.userMessage) }
        }
        let feed = try WatchFeed(store: session.store, chat: chatId, since: since)
        if feed.startsOver {
            FileHandle.standardError.write(Data("Note: cursor \(since ?? 0) is not in this cache's journal (the cache was made anew); going on from its start.\n".utf8))
        } else if let since, try feed.missed(since: since) {
            FileHandle.standardError.write(Data("Note: events just after cursor \(since) are no longer kept; going on from the oldest kept.\n".utf8))
        }
        let json = json
        let output = LineOutput()
        let write: @Sendable (WatchEvent) async -> Void = { event in
            await output.write(json ? event.json : CLIText.line(event.readable()))
        }
        let engine = session.engine
        let signedOut: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask { await engine.run(); return nil }
            group.addTask { await feed.followJournal(write); return nil }
            group.addTask {
                for await status in engine.statusUpdates {
                    for event in feed.events(for: status) { await write(event) }
                    if status.connection == .signedOut { return status.lastError ?? Said.serverSignedThisDeviceOut }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let signedOut { throw CLIError(Said.signedOutBy(signedOut)) }
    }
}

/// Standard output one whole line at a time, written at once (a pipe would otherwise hold
/// lines in a buffer until it filled). When the reader has gone (`termchat watch | head -3`)
/// the program ends quietly: nothing is lost, what it saw is in the cache's journal.
actor LineOutput {
    func write(_ line: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            exit(0)
        }
    }
}
