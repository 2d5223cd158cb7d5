import ChatAPI
import Foundation
import GRDB

/// Work salvaged from a damaged cache, kept beside the fresh one until its chats are known.
struct SalvagedWork: Codable, Sendable {
    struct Message: Codable, Sendable, Equatable {
        var chatId: ChatID
        var localId: String
        var text: String?
        var isVisible: Bool
        var filePath: String?
        var fileType: String?
        var fileSize: Int?
    }

    struct Draft: Codable, Sendable, Equatable {
        var chatId: ChatID
        var text: String
    }

    struct QueuedIntent: Codable, Sendable, Equatable {
        var chatId: ChatID?
        var intent: Intent
    }

    var messages: [Message] = []
    var drafts: [Draft] = []
    var intents: [QueuedIntent] = []

    init() {}

    init(from decoder: any Decoder) throws {
        // Files written before intents were salvaged have none.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decodeIfPresent([Message].self, forKey: .messages) ?? []
        drafts = try container.decodeIfPresent([Draft].self, forKey: .drafts) ?? []
        intents = try container.decodeIfPresent([QueuedIntent].self, forKey: .intents) ?? []
    }

    var isEmpty: Bool { messages.isEmpty && drafts.isEmpty && intents.isEmpty }

    static func load(_ file: String) -> SalvagedWork? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return try? JSONDecoder().decode(SalvagedWork.self, from: data)
    }

    func save(_ file: String) throws {
        if isEmpty {
            try? FileManager.default.removeItem(atPath: file)
            return
        }
        PrivateFiles.createFile(atPath: file)
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: file))
    }

    /// Adds this to what an earlier recovery left in `file`.
    func merged(into file: String) throws {
        var all = Self.load(file) ?? SalvagedWork()
        for message in messages where !all.messages.contains(where: { $0.localId == message.localId && $0.chatId == message.chatId }) {
            all.messages.append(message)
        }
        all.drafts += drafts.filter { draft in !all.drafts.contains { $0.chatId == draft.chatId } }
        all.intents += intents.filter { !all.intents.contains($0) }
        try all.save(file)
    }
}

extension ChatStore {
    /// Queues again, under their original localIds (so a server that already has one answers
    /// it instead of storing it twice), the salvaged messages whose chats the cache knows now;
    /// restores their drafts. The rest waits for a later call. Answers how many were queued.
    @discardableResult
    public func requeueSalvagedWork() throws -> Int {
        let file = CacheRecovery.salvageFile(for: path)
        guard var work = SalvagedWork.load(file) else { return 0 }
        let known = Set(try chatIds())
        var queued = 0
        var waiting: [SalvagedWork.Message] = []
        for message in work.messages {
            guard known.contains(message.chatId) else {
                waiting.append(message)
                continue
            }
            if try self.message(message.chatId, localId: message.localId) == nil {
                let file = message.filePath.map { OutgoingFile(path: $0, fileType: message.fileType ?? "bin", fileSize: message.fileSize ?? 0) }
                try queueMessage(message.chatId, localId: message.localId, text: message.text, isVisible: message.isVisible, file: file)
                queued += 1
            }
        }
        var draftsWaiting: [SalvagedWork.Draft] = []
        for draft in work.drafts {
            guard known.contains(draft.chatId) else {
                draftsWaiting.append(draft)
                continue
            }
            if try self.draft(draft.chatId) == nil { try saveDraft(draft.chatId, text: draft.text) }
        }
        // Changes after the messages they may name, in their order; account-wide ones at once.
        var intentsWaiting: [SalvagedWork.QueuedIntent] = []
        for queuedIntent in work.intents {
            guard queuedIntent.chatId.map(known.contains) ?? true else {
                intentsWaiting.append(queuedIntent)
                continue
            }
            try queueIntent(queuedIntent.intent, chat: queuedIntent.chatId)
            queued += 1
        }
        work.messages = waiting
        work.drafts = draftsWaiting
        work.intents = intentsWaiting
        try work.save(file)
        return queued
    }
}
