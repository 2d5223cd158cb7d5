import Foundation
import Logging
import ServiceLifecycle

/// The repository a configuration names, with what must run beside it: for PostgreSQL the
/// connection pool and the listener that joins this instance to the others, and migrations
/// before the first request.
struct Storage {
    var repository: any ChatRepository
    var bus: (any ClusterBus)?
    var services: [any Service] = []
    var prepare: (@Sendable () async throws -> Void)?

    static func open(
        _ database: ChatServerConfiguration.Database, configuration: ChatServerConfiguration,
        hub: RealtimeHub, callers: CallerCache, files: StoredFiles, logger: Logger
    ) throws -> Storage {
        switch database {
        case .sqlite:
            let repository = try SQLiteRepository(path: configuration.databasePath)
            files.sweepOrphans(referenced: try repository.referencedMediaIdsNow(), logger: logger)
            return Storage(repository: repository)
        case let .postgresql(url):
            let repository = PostgresRepository(url: url, logger: logger)
            let local = EventPublisher(hub: hub, callers: callers, logger: logger)
            // Until the listener hears the others, no token is cached (a logout elsewhere
            // could not be heard); each time it starts hearing them, sessions that may have
            // missed events are closed so that their clients catch up.
            callers.suspend()
            let bus = PostgresClusterBus(
                client: repository.client, url: url, logger: logger,
                receiver: { local.receive($0) },
                listening: { isListening in
                    if isListening { callers.resume() } else { callers.suspend() }
                    hub.disconnectAll()
                }
            )
            let prepare: @Sendable () async throws -> Void = {
                try await PostgresSchema.prepare(url, client: repository.client, logger: logger)
                let snapshot = Date()
                files.sweepOrphans(referenced: try await repository.referencedMediaIds(), sharedSince: snapshot, logger: logger)
                if await !bus.waitUntilListening() {
                    logger.warning("not yet hearing the other instances; serving anyway (no token is cached until then)")
                }
            }
            return Storage(repository: repository, bus: bus, services: [repository.client, bus], prepare: prepare)
        }
    }

    struct DatabaseUnavailable: Error, CustomStringConvertible {
        var url: PostgresDatabaseURL
        var underlying: any Error
        var description: String { "could not prepare the database \(url): \(PostgresSchema.reason(underlying))" }
    }
}
