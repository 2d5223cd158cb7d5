import ArgumentParser
import ChatAPI
import ChatStore
import Foundation

/// One hit in `termchat search --json`.
struct SearchEntry: Codable {
    var chat: ChatID
    var chatTitle: String
    var id: MessageID?
    var localId: String
    var author: String
    var text: String?
    var createdAt: Date
}

/// `termchat search QUERY`: the cache's full-text index, offline, for scripts.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search every cached message, offline (words, \"phrases\", prefix*, from: in: before: after: has:file)."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "What to find; quote it for the shell.") var query: [String]
    @Option(help: "Only this chat: an id, a title, or @username.") var chat: String?
    @Option(help: "How many hits, newest first.") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let session = try Session.open(options)
        let entries = try SearchEntry.find(query.joined(separator: " "), chat: chat, limit: limit, in: session)
        if json {
            print(String(decoding: try JSONEncoder.chatAPI().encode(entries), as: UTF8.self))
            return
        }
        if entries.isEmpty { print(Said.nothingFound) }
        for entry in entries {
            print("\(WireDate.format(entry.createdAt)) \(CLIText.line(entry.chatTitle)) · \(CLIText.line(entry.author)): \(CLIText.block(entry.text ?? ""))")
        }
    }
}

extension SearchEntry {
    /// The cache's hits for `query` (the search language of the TUI), newest first.
    static func find(_ query: String, chat: String?, limit: Int, in session: Session) throws -> [SearchEntry] {
        let store = session.store
        // A cache from before the index: finish the index first (it is quick, and the answer
        // must be complete).
        while try store.backfillSearchIndex(batch: 20_000) != nil {}
        var text = query
        if let chat { text += " in:" + (chat.contains(" ") ? "\"\(chat)\"" : chat) }
        let parsed: SearchQuery
        switch SearchQuery.parse(text) {
        case .success(let query): parsed = query
        case .failure(let error): throw CLIError(error.message)
        }
        let results: SearchResults
        do {
            results = try store.search(parsed, limit: max(1, limit))
        } catch let error as SearchQueryError {
            throw CLIError(error.message)
        } catch let error as SearchUnavailable {
            throw CLIError(error.message)
        }
        let chats = Dictionary(try store.chatList(archived: nil).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let hitChats = Set(results.hits.map(\.chatId)).compactMap { chats[$0] }
        let users = try store.users(results.hits.map(\.authorId) + hitChats.flatMap(\.memberIds))
        let me = session.credentials.userId
        return results.hits.map { hit in
            SearchEntry(
                chat: hit.chatId, chatTitle: chats[hit.chatId].map { $0.displayTitle(me: me) { users[$0]?.name } } ?? "",
                id: hit.serverId, localId: hit.localId, author: users[hit.authorId]?.username ?? "user \(hit.authorId)",
                text: hit.text, createdAt: hit.createdAt
            )
        }
    }
}
