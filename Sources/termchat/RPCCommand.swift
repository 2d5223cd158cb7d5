import ArgumentParser
import ChatAPI
import ChatApp
import ChatStore
import ChatSync
import ChatUI
import Foundation

/// `termchat rpc`: a JSON-RPC 2.0 session over standard input and output, one request a line
/// (as signal-cli's `jsonRpc`). Its engine runs for the whole session, so what `send` queues
/// is delivered meanwhile and `watch` notifications arrive between answers.
struct RPCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "A JSON-RPC 2.0 session on standard input and output, one request a line (send, edit, delete, markRead, chats, messages, search, watch).",
        discussion: "Ends when standard input ends. The methods and their parameters are in the README's \"Scripting\" section."
    )
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let session = try Session.open(options)
        let output = LineOutput()
        let rpc = RPCSession(session: session, output: output)
        let engine = session.engine
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            group.addTask {
                for await line in StandardInputLines.stream() {
                    if let answer = await rpc.handle(line) { await output.write(answer) }
                }
            }
            // Standard input ended: the session is over (what was queued stays queued).
            _ = await group.next()
            await rpc.stopWatching()
            await rpc.stopReadingStatus()
            group.cancelAll()
        }
    }
}

/// Standard input's lines, read on a thread of their own (a blocking read must not hold one
/// of the few threads every task shares).
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let thread = Thread {
            while let line = readLine(strippingNewline: true) { continuation.yield(line) }
            continuation.finish()
        }
        thread.start()
        return lines
    }
}

/// A JSON-RPC error: its code and the sentence the TUI would show.
struct RPCError: Error {
    var code: Int
    var message: String

    static func invalidParams(_ message: String) -> RPCError { RPCError(code: -32602, message: message) }
    /// The action failed: the same sentence as the TUI's status line.
    static func failed(_ error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        return RPCError(code: -32000, message: (error as? CLIError)?.description ?? error.userMessage)
    }
}

/// Answers requests one at a time, in the order they came.
actor RPCSession {
    let session: Session
    let output: LineOutput
    var watching: Task<Void, Never>?
    /// What `watch` follows now, if anything: the engine's status goes to it.
    var feed: WatchFeed?
    /// The one reader of the engine's status for the whole session: that stream has one
    /// consumer, and a reader cancelled by `unwatch` would have ended it for the next `watch`.
    var statusReader: Task<Void, Never>?

    init(session: Session, output: LineOutput) {
        self.session = session
        self.output = output
    }

    /// The answer line for one request line (nil for a notification, which gets none).
    func handle(_ line: String) async -> String? {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else {
            return Self.error(id: NSNull(), RPCError(code: -32700, message: Said.notJSON))
        }
        guard let request = object as? [String: Any], request["jsonrpc"] as? String == "2.0", let method = request["method"] as? String else {
            return Self.error(id: NSNull(), RPCError(code: -32600, message: "A request is an object with \"jsonrpc\": \"2.0\" and a \"method\"."))
        }
        let id = request["id"]
        let params: RPCParams
        switch request["params"] {
        case nil, is NSNull: params = RPCParams([:])
        case let object as [String: Any]: params = RPCParams(object)
        default: return id.map { Self.error(id: $0, .invalidParams("params is an object of named parameters.")) }
        }
        do {
            let result = try await call(method, params)
            guard let id else { return nil }
            return Self.line(["id": Self.json(id), "result": result])
        } catch {
            return id.map { Self.error(id: $0, .failed(error)) }
        }
    }

    func stopWatching() {
        watching?.cancel()
        watching = nil
        feed = nil
    }

    func stopReadingStatus() {
        statusReader?.cancel()
        statusReader = nil
    }

    func statusChanged(_ status: EngineStatus) async {
        guard let feed else { return }
        for event in feed.events(for: status) { await output.write(Self.notification(event)) }
    }

    static func notification(_ event: WatchEvent) -> String {
        line(["method": "\"event\"", "params": event.json])
    }

    private func call(_ method: String, _ params: RPCParams) async throws -> String {
        let store = session.store
        let engine = session.engine
        switch method {
        case "chats":
            return try Self.encode(ChatListEntry.list(session, archived: try params.bool("archived") ?? false))
        case "messages":
            return try Self.encode(MessageEntry.list(session, chat: try await chat(params), count: try params.int("count") ?? 20))
        case "search":
            return try Self.encode(SearchEntry.find(try params.string("query"), chat: try params.optionalString("chat"),
                                                    limit: try params.int("limit") ?? 20, in: session))
        case "send":
            let chat = try await chat(params)
            let text = try params.optionalString("text")
            let file = try params.optionalString("file")
            if let text, text.utf8.count > ProtocolLimits.maxMessageTextBytes {
                throw RPCError.invalidParams("A message is at most \(ProtocolLimits.maxMessageTextBytes) bytes of UTF-8.")
            }
            let message: CachedMessage
            if let file {
                message = try await engine.sendFile(at: file, caption: text, to: chat)
            } else if let text, !text.isEmpty {
                message = try await engine.send(text, to: chat)
            } else {
                throw RPCError.invalidParams(Said.giveTextFileOrBoth)
            }
            return try Self.encode(Sent(chatId: chat, localId: message.localId, state: message.state.rawValue))
        case "edit", "delete":
            let chat = try await chat(params)
            let localId = try ownMessage(params, in: chat, verb: method == "edit" ? "edited" : "deleted")
            if method == "edit" {
                let text = try params.string("text")
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw RPCError.invalidParams(Said.newTextEmpty)
                }
                try await engine.editMessage(chat, localId: localId, text: text)
            } else {
                try await engine.deleteMessage(chat, localId: localId)
            }
            return try Self.encode(Sent(chatId: chat, localId: localId, state: "queued"))
        case "markRead":
            let chat = try await chat(params)
            try await engine.markChatRead(chat)
            return "{}"
        case "watch":
            let chat = try params.optionalString("chat") == nil ? nil : try await self.chat(params)
            let since = try params.int("since").map(Int64.init)
            let feed = try WatchFeed(store: store, chat: chat, since: since)
            stopWatching()
            self.feed = feed
            let output = output
            watching = Task { await feed.followJournal { await output.write(Self.notification($0)) } }
            if statusReader == nil {
                statusReader = Task { [weak self] in
                    for await status in engine.statusUpdates { await self?.statusChanged(status) }
                }
            }
            await statusChanged(await engine.currentStatus)
            return "{\"cursor\":\(feed.currentCursor)}"
        case "unwatch":
            stopWatching()
            return "{}"
        default:
            throw RPCError(code: -32601, message: Said.noMethod(method))
        }
    }

    /// The chat named by `params.chat` (an id, or the other person's username).
    private func chat(_ params: RPCParams) async throws -> ChatID {
        let name = try params.string("chat")
        do { return try await session.resolveChat(name) } catch { throw RPCError.failed(error) }
    }

    /// The localId of one's own message named by `localId` or `messageId`.
    private func ownMessage(_ params: RPCParams, in chat: ChatID, verb: String) throws -> String {
        let localId: String
        if let given = try params.optionalString("localId") {
            localId = given
        } else if let id = try params.int("messageId") {
            guard let found = try session.store.localId(chat, serverId: MessageID(id)) else {
                throw RPCError(code: -32000, message: Said.noMessageInCache("\(id)"))
            }
            localId = found
        } else {
            throw RPCError.invalidParams(Said.nameTheMessage)
        }
        guard let message = try session.store.message(chat, localId: localId) else {
            throw RPCError(code: -32000, message: Said.noMessageInCache(localId))
        }
        guard message.authorId == session.credentials.userId else {
            throw RPCError(code: -32000, message: MessageSentences.onlyYourOwn(verb))
        }
        return localId
    }

    struct Sent: Encodable {
        var chatId: ChatID
        var localId: String
        var state: String
    }

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.chatAPI().encode(value), as: UTF8.self)
    }

    static func json(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// `{"jsonrpc":"2.0", …}` from members already in JSON.
    static func line(_ members: [String: String]) -> String {
        "{\"jsonrpc\":\"2.0\"," + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    static func error(id: Any, _ error: RPCError) -> String {
        line(["id": json(id), "error": "{\"code\":\(error.code),\"message\":\(json(error.message))}"])
    }
}

/// A request's named parameters, each read with a clear sentence when it has the wrong type.
struct RPCParams {
    let values: [String: Any]
    init(_ values: [String: Any]) { self.values = values }

    func optionalString(_ name: String) throws -> String? {
        switch values[name] {
        case nil, is NSNull: return nil
        case let text as String: return text
        default: throw RPCError.invalidParams("params.\(name) is a string.")
        }
    }

    func string(_ name: String) throws -> String {
        guard let text = try optionalString(name) else { throw RPCError.invalidParams("params.\(name) is needed.") }
        return text
    }

    func int(_ name: String) throws -> Int? {
        switch values[name] {
        case nil, is NSNull: return nil
        case let number as NSNumber where number.doubleValue == number.doubleValue.rounded():
            return number.intValue
        default: throw RPCError.invalidParams("params.\(name) is a whole number.")
        }
    }

    func bool(_ name: String) throws -> Bool? {
        switch values[name] {
        case nil, is NSNull: return nil
        case let flag as Bool: return flag
        default: throw RPCError.invalidParams("params.\(name) is true or false.")
        }
    }
}
