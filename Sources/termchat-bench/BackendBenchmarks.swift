import ChatAPI
import ChatClient
import ChatServer
import RealProcesses
import Foundation

/// The backends row: posts/s with fan-out to 100 sessions on SQLite, on PostgreSQL with one
/// instance, and on PostgreSQL with two instances (sessions and posters split between them,
/// events crossing over LISTEN/NOTIFY), in the same run. PostgreSQL comes from
/// `TERMCHAT_TEST_POSTGRES_URL`; each configuration gets a new database.
struct BackendBenchmarks {
    /// As many as the server benchmark's fan-out runs: shorter runs (1,500) were mostly their
    /// first moments, and their spread as wide as the differences measured.
    static let messages = 5_000
    static let runs = 3

    func run(log: @Sendable (String) -> Void) async throws -> [Figure] {
        var configurations: [(name: String, database: ChatServerConfiguration.Database?, instances: Int)] = [("SQLite, 1 instance", nil, 1)]
        if StorageBackend.postgresURL != nil {
            configurations.append(("PostgreSQL, 1 instance", try await StorageBackend.postgresql.makeDatabase(), 1))
            configurations.append(("PostgreSQL, 2 instances", try await StorageBackend.postgresql.makeDatabase(), 2))
        } else {
            log("backends: TERMCHAT_TEST_POSTGRES_URL is not set; PostgreSQL rows skipped")
        }
        var figures: [Figure] = []
        var sqliteRate: Double?
        var onePostgresRate: Double?
        for configuration in configurations {
            let files = NSTemporaryDirectory() + "termchat-bench-files-\(UUID().uuidString)"
            let arguments = (configuration.database?.arguments ?? []) + (configuration.database == nil ? [] : ["--files-dir", files])
            let servers = try (0..<configuration.instances).map { _ in try ServerUnderTest(arguments: arguments) }
            defer {
                for server in servers { server.stop() }
                if case let .postgresql(url)? = configuration.database { Task { await TestPostgres.dropDatabase(url) } }
            }
            let bench = ServerBenchmarks(server: servers[0])
            let members = try await bench.register(count: 100)
            let chat = try await APIClient(baseURL: servers[0].baseURL, token: members[0].token)
                .createChat(CreateChatRequest(title: "bench", participants: members.dropFirst().map(\.id)))
            // Sessions alternate between the instances, as a balancer would spread them.
            let sockets = try members.enumerated().map { index, member in
                try WebSocketFleet.connect(port: servers[index % servers.count].port, session: member.session, token: member.token)
            }
            try await Task.sleep(for: .milliseconds(200))  // let the upgrades settle; nothing is measured yet
            var numbering = MessageNumbering()
            var rates: [Double] = []
            for run in 1...Self.runs {
                let result = try bench.fanOut(
                    members: members, chat: chat.id, sockets: sockets, messages: Self.messages, posters: ServerBenchmarks.posters,
                    perSecond: nil, numbering: &numbering, postPorts: servers.map(\.port)
                )
                rates.append(Double(result.messages) / result.elapsed)
                log("backends: \(configuration.name), run \(run): \(Int(rates.last!)) messages/s, \(result.errors) errors")
            }
            for socket in sockets { socket.closeSocket() }
            let rate = median(rates)
            let spread = "\(Int(rates.min() ?? 0))–\(Int(rates.max() ?? 0))"
            let name = "server: posts/s with fan-out to 100 sessions, \(configuration.name) (median of \(Self.runs), \(spread))"
            switch (configuration.database, configuration.instances) {
            case (nil, _):
                sqliteRate = rate
                figures.append(Figure(name: name, value: rate, unit: "messages/s", budget: "report", meets: nil))
            case (_, 1):
                onePostgresRate = rate
                let share = sqliteRate.map { rate / $0 } ?? .nan
                figures.append(Figure(name: name, value: rate, unit: "messages/s", budget: ">= 60 % of SQLite", meets: share >= 0.6,
                                      limit: String(format: "%.0f %% of SQLite's rate in the same run", share * 100)))
            default:
                let factor = onePostgresRate.map { rate / $0 } ?? .nan
                figures.append(Figure(name: name, value: rate, unit: "messages/s", budget: ">= 1.5 × 1 instance", meets: factor >= 1.5,
                                      limit: String(format: "%.2f × one instance's rate in the same run", factor)))
            }
        }
        return figures
    }
}
