import ChatAPI
import ChatUI
import Foundation

/// Runs the reducer's effects. Most run in order, one at a time: what the person typed or
/// changed is in the cache before the next thing happens. Work that waits on a server runs
/// beside them, never in front: requests whose answer the person waits for (a new chat, a
/// search for people, a page of history) in a lane of their own, in order among themselves;
/// each file transfer in a task of its own, cancelled by asking for it again. One download
/// that hung on a server used to hold back every later action, a typed message included.
public actor EffectQueue {
    /// Where an effect runs.
    enum Lane: Equatable {
        case inOrder
        case network
        /// A transfer of one message's attachment.
        case transfer(ChatID, localId: String)
    }

    private let runner: EffectRunner
    private let send: @Sendable (Action) -> Void
    private var transfers: [TransferKey: (id: UUID, task: Task<Void, Never>)] = [:]
    private var networkLane: Task<Void, Never>?

    private struct TransferKey: Hashable {
        var chat: ChatID
        var localId: String
    }

    public init(runner: EffectRunner, send: @escaping @Sendable (Action) -> Void) {
        self.runner = runner
        self.send = send
    }

    /// Runs `effects` until the stream ends; returns once the last in-order effect ran (work
    /// beside may still be going: `cancelAll` stops it).
    public func run(_ effects: AsyncStream<Effect>) async {
        let (network, networkSink) = AsyncStream.makeStream(of: Effect.self)
        let runner = self.runner
        networkLane = Task {
            for await effect in network { await runner.run(effect) }
        }
        for await effect in effects {
            switch Self.lane(of: effect) {
            case .inOrder: await runner.run(effect)
            case .network: networkSink.yield(effect)
            case .transfer(let chat, let localId): await toggleTransfer(TransferKey(chat: chat, localId: localId), effect)
            }
        }
        networkSink.finish()
    }

    /// Stops the work beside the effects (leaving the program).
    public func cancelAll() {
        networkLane?.cancel()
        for transfer in transfers.values { transfer.task.cancel() }
        transfers = [:]
    }

    /// Whether a transfer of that message's attachment is going (for tests).
    public func isTransferring(_ chat: ChatID, localId: String) -> Bool {
        transfers[TransferKey(chat: chat, localId: localId)] != nil
    }

    /// A transfer asked for while the same one is going cancels it (said once it has stopped
    /// and put its attachment back: cancelling a transfer takes moments).
    private func toggleTransfer(_ key: TransferKey, _ effect: Effect) async {
        if let running = transfers.removeValue(forKey: key) {
            running.task.cancel()
            await running.task.value
            send(.effectSucceeded(.downloadCancelled))
            return
        }
        let id = UUID()
        let runner = self.runner
        let task = Task {
            await runner.run(effect)
            self.finished(key, id: id)
        }
        transfers[key] = (id, task)
    }

    private func finished(_ key: TransferKey, id: UUID) {
        if transfers[key]?.id == id { transfers[key] = nil }
    }

    static func lane(of effect: Effect) -> Lane {
        switch effect {
        case .download(let chat, let localId, _), .openAttachment(let chat, let localId):
            return .transfer(chat, localId: localId)
        case .createChat, .searchUsers, .loadBlockedUsers, .loadDevices, .refreshChat, .signOutDevice, .addUsers, .removeUsers, .blockUser, .changePassword, .loadOlder,
             .discardChange:
            return .network
        default:
            return .inOrder
        }
    }
}
