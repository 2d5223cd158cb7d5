/// How far the index covers what the cache held before it existed.
public struct SearchIndexProgress: Equatable, Sendable {
    public var done: Int
    public var total: Int
    public var isComplete: Bool { done >= total }

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }
}

/// A search's answer: the hits, newest first, and whether the index covers the whole cache yet.
public struct SearchResults: Sendable, Equatable {
    public var hits: [CachedMessage]
    public var indexProgress: SearchIndexProgress?
    /// Chats whose cache does not reach back to their start: older messages there are not found.
    public var partlyCachedChats = 0

    public init(hits: [CachedMessage], indexProgress: SearchIndexProgress? = nil, partlyCachedChats: Int = 0) {
        self.hits = hits
        self.indexProgress = indexProgress
        self.partlyCachedChats = partlyCachedChats
    }
}
