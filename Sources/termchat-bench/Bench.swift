import ChatAPI
import ChatApp
import ChatStore
import ChatSync
import Foundation

/// Measures the client and the server against the budgets of the benchmark issue and prints a
/// table and JSON. Build everything in release first (the real binaries are measured too):
/// `bash .ci/build-release && .build/release/termchat-bench [client|server|real|backends|idle]…`
/// (a release build with termchat's code layout; see README, Installing it).
@main
struct Bench {
    /// Every mode, with what it measures (the usage lists them; any other word is refused).
    static let modes: [(word: String, what: String)] = [
        ("client", "the cache and the UI core in process, then the real termchat on 1,000,000 cached messages (start, memory, scrolling)"),
        ("server", "the server alone: posts, fan-out to 100 sockets, logins, idle sessions"),
        ("real", "real termchat processes under tmux against the real server: a 1,000 msg/s burst, typing, long chats"),
        ("backends", "the server on SQLite, on PostgreSQL, and on two instances sharing one (needs TERMCHAT_TEST_POSTGRES_URL)"),
        ("idle", "a connected termchat idle for 60 s: CPU and memory"),
        ("rest", "one post's round trip over REST: the client's AsyncHTTPClient against URLSession, alternating"),
        ("burst", "the 1,000 msg/s burst into an open chat alone (to profile it)"),
        ("search-quick", "the search index's cost on ingest and the chat switcher alone, about 30 s"),
        ("profile-frames", "no figures: renders and types for 20 s, for a profiler to watch"),
        ("profile-ingest", "no figures: ingests 300,000 messages, for a profiler to watch"),
        ("profile-store", "no figures: live messages into a cached chat and its window read back, 20 s, for a profiler"),
    ]

    static var usage: String {
        let width = modes.map(\.word.count).max() ?? 0
        return """
            usage: termchat-bench [mode …]   (no mode: client, server, real, backends and idle; under 10 minutes)
            Build everything in release first: bash .ci/build-release

            """ + modes.map { "  " + $0.word.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.what }.joined(separator: "\n")
    }

    static func main() async throws {
        let arguments = Set(CommandLine.arguments.dropFirst())
        let unknown = arguments.subtracting(Self.modes.map(\.word))
        if !unknown.isEmpty {
            // `--help` included: nothing runs, and the modes are listed.
            let asked = unknown.subtracting(["--help", "-h", "help"])
            if !asked.isEmpty { FileHandle.standardError.write(Data("termchat-bench: no mode \(asked.sorted().joined(separator: ", "))\n\n".utf8)) }
            print(Self.usage)
            exit(asked.isEmpty ? 0 : 2)
        }
        let all = arguments.isEmpty
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("[\(Date().formatted(date: .omitted, time: .standard))] \($0)\n".utf8)) }
        var figures: [Figure] = []
        let started = monotonicSeconds()

        if arguments.contains("profile-frames") {
            // Not a figure: renders and types for 20 s, for a profiler to watch.
            try ClientBenchmarks.profileFrames(seconds: 20)
            return
        }
        if arguments.contains("profile-ingest") {
            try ClientBenchmarks.profileIngest(messages: 300_000)
            return
        }
        if arguments.contains("search-quick") {
            Report.print(try ClientBenchmarks.quickSearchFigures(log: log))
            return
        }
        if arguments.contains("profile-store") {
            try ClientBenchmarks.profileStore(seconds: 20)
            return
        }
        if all || arguments.contains("client") {
            // The cache sits where the real client looks for it, with credentials that point
            // at a closed port: the real binary then opens exactly this cache, offline.
            let home = NSTemporaryDirectory() + "termchat-bench-\(UUID().uuidString)"
            // TERMCHAT_BENCH_KEEP=1 keeps the 1,000,000-message cache (its path is logged), to look into.
            let keep = ProcessInfo.processInfo.environment["TERMCHAT_BENCH_KEEP"] == "1"
            defer { if !keep { try? FileManager.default.removeItem(atPath: home) } }
            if keep { log("client: the cache stays in \(home)") }
            let server = URL(string: "http://127.0.0.1:1")!
            let benchmarks = ClientBenchmarks(cachePath: RealClientBenchmarks.cachePath(home: home, server: server, username: "user1"))
            figures += try benchmarks.run(log: log)
            try RealClientBenchmarks.saveCredentials(
                Credentials(server: server, userId: benchmarks.me.id, username: "user1", name: benchmarks.me.name, token: "none",
                            sessionId: UUID(), deviceId: UUID()),
                home: home
            )
            log("client: the real termchat on the 1,000,000-message cache")
            do {
                let starts = try await RealClientBenchmarks.startToFirstFrame(home: home, chats: 1000, runs: 7, log: log)
                figures.append(Figure(name: "real: process start to first full frame (exec included), 1,000,000 cached messages (median of 7)",
                                      samples: starts, unit: "ms", budget: "<= 100 ms") { $0 <= 100 })
            } catch {
                // A start that never shows the list is a figure too: missed, with what was on screen.
                log("real: start to first frame failed: \(error)")
                figures.append(Figure(name: "real: process start to first full frame, 1,000,000 cached messages: no full frame within 120 s",
                                      value: .infinity, unit: "ms", budget: "<= 100 ms", meets: false))
            }
            let memory = try await RealClientBenchmarks.residentMemory(home: home, chats: 1000)
            figures.append(Figure(name: "termchat RSS, 1,000,000 cached messages (chat list + open chat)", value: Double(memory.rss) / 1_048_576,
                                  unit: "MB", budget: "<= 40 MB", meets: memory.rss <= 40 * 1_048_576))
            figures.append(Figure(name: "termchat peak RSS (VmHWM) on the same run", value: Double(memory.peak) / 1_048_576, unit: "MB",
                                  budget: "report", meets: nil))
            figures.append(Figure(name: "termchat anonymous RSS (heap, stacks) on the same run", value: Double(memory.anonymous) / 1_048_576,
                                  unit: "MB", budget: "report", meets: nil))
            // The chat it opened, paged from its newest message to its first and back.
            let store = try ChatStore(path: benchmarks.cachePath, me: benchmarks.me.id)
            guard let long = try store.chatList().first?.id, let first = try store.window(long, at: .oldest).messages.first?.text else {
                throw BenchError("the long chat has no messages")
            }
            let growth = try await RealLongChatBenchmarks.scrollMemory(home: home, chats: 1000, firstText: first, log: log)
            figures.append(Figure(name: "real: RSS growth after scrolling 100,000 messages to the first and back", value: growth, unit: "MB",
                                  budget: "<= 10 MB", meets: growth <= 10))
        }
        if all || arguments.contains("server") {
            let server = try ServerUnderTest()
            defer { server.stop() }
            figures += try await ServerBenchmarks(server: server).run(log: log)
        }
        if all || arguments.contains("real") {
            let server = try ServerUnderTest()
            defer { server.stop() }
            figures += try await RealBurstBenchmarks(server: server).run(log: log)
            figures += try await RealLongChatBenchmarks.run(server: server, log: log)
        }
        if arguments.contains("rest") {
            let server = try ServerUnderTest()
            defer { server.stop() }
            figures += try await RESTRoundTrip.run(server: server, log: log)
        }
        if arguments.contains("burst") {
            // The burst alone, to profile it (`perf record -p` on the termchat it starts).
            let server = try ServerUnderTest()
            defer { server.stop() }
            figures += try await RealBurstBenchmarks(server: server).run(log: log)
        }
        if all || arguments.contains("backends") {
            figures += try await BackendBenchmarks().run(log: log)
        }
        if all || arguments.contains("idle") {
            let server = try ServerUnderTest()
            defer { server.stop() }
            log("idle: a connected termchat, idle for 60 s")
            let idle = try await RealClientBenchmarks.idleCPU(server: server, seconds: 60)
            figures.append(Figure(name: "idle termchat CPU over 60 s with an open socket", value: idle.percent, unit: "% of a core",
                                  budget: "<= 0.1 %", meets: idle.percent <= 0.1))
            figures.append(Figure(name: "idle termchat RSS (small cache)", value: Double(idle.rss) / 1_048_576, unit: "MB", budget: "report", meets: nil))
            figures.append(Figure(name: "idle termchat anonymous RSS (small cache)", value: Double(idle.anonymous) / 1_048_576, unit: "MB",
                                  budget: "report", meets: nil))
        }
        log("done in \(Int(monotonicSeconds() - started)) s")
        Report.print(figures)
    }
}
