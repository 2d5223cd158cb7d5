import ChatAPI
import ChatClient
import Foundation
import Synchronization

/// Load on the real `termchat-server` binary from this process, over loopback: fan-out
/// throughput and post-to-delivery latency with 100 sessions in one group, then memory with
/// 10,000 idle WebSocket sessions. Generators and server share the machine's two cores.
struct ServerBenchmarks {
    struct Member {
        let id: UserID
        let username: String
        let token: String
        let session: UUID
    }

    let server: ServerUnderTest
    static let password = "bench-password"
    /// Concurrent posters, each with its own keep-alive connection and a request in flight.
    /// Sixteen: with four, a post's round trip (three thread hops and the database) left the
    /// server idle between requests, and the figure measured latency rather than what the
    /// server can carry; a server with 100 listeners has more than four people writing.
    static let posters = Int(ProcessInfo.processInfo.environment["BENCH_POSTERS"] ?? "") ?? 16

    func run(log: @Sendable (String) -> Void) async throws -> [Figure] {
        var figures: [Figure] = []
        log("server: registering 100 users and a group of 100")
        let members = try await register(count: 100)
        let chat = try await APIClient(baseURL: server.baseURL, token: members[0].token)
            .createChat(CreateChatRequest(title: "bench", participants: members.dropFirst().map(\.id)))
        var numbering = MessageNumbering()
        // First with one session listening: what posting costs without the fan-out.
        let first = try WebSocketFleet.connect(port: server.port, session: members[0].session, token: members[0].token)
        log("server: posting with one session listening")
        let singleCPUBefore = ProcessStats.cpuSeconds(pid: server.pid)
        let single = try fanOut(members: members, chat: chat.id, sockets: [first], messages: 5_000, posters: Self.posters, perSecond: nil, numbering: &numbering)
        let singleCPU = (ProcessStats.cpuSeconds(pid: server.pid) - singleCPUBefore) / Double(single.messages) * 1000
        log("server: one listener: \(Int(Double(single.messages) / single.elapsed)) messages/s, server CPU \(String(format: "%.3f", singleCPU)) ms a post")
        let sockets = try [first] + members.dropFirst().map { try WebSocketFleet.connect(port: server.port, session: $0.session, token: $0.token) }

        // Throughput: the posters as fast as they go; done when all 100 sessions have every message.
        var rates: [Double] = []
        var serverCPU: [Double] = []
        var sample: [UInt8] = []
        for run in 1...3 {
            let cpuBefore = ProcessStats.cpuSeconds(pid: server.pid)
            let result = try fanOut(members: members, chat: chat.id, sockets: sockets, messages: 5_000, posters: Self.posters, perSecond: nil, numbering: &numbering)
            serverCPU.append((ProcessStats.cpuSeconds(pid: server.pid) - cpuBefore) / Double(result.messages) * 1000)
            rates.append(Double(result.messages) / result.elapsed)
            sample = result.sample
            log("server: fan-out run \(run): \(Int(rates.last!)) messages/s, \(result.errors) errors, server CPU \(String(format: "%.3f", serverCPU.last!)) ms a post")
        }
        // The same with four posters, for comparison with earlier runs (a figure to report).
        let fewPosters = try fanOut(members: members, chat: chat.id, sockets: sockets, messages: 5_000, posters: 4, perSecond: nil, numbering: &numbering)
        log("server: fan-out with 4 posters: \(Int(Double(fewPosters.messages) / fewPosters.elapsed)) messages/s")
        // The limit: the same frames to 100 sockets from a writer that does nothing else.
        log("server: the minimal writer's limit")
        let limits = try (0..<3).map { _ in try FanOutLimit.rate(sessions: sockets.count, messages: 10_000, payload: sample) }
        let share = median(rates) / median(limits)
        figures.append(Figure(name: "server: messages/s posted with fan-out to 100 sessions, \(Self.posters) posters (median of 3 × 5,000)", samples: rates, unit: "messages/s",
                              budget: ">= 80 % of limit",
                              limit: "a minimal writer of the same \(sample.count)-byte frames to 100 loopback sockets: \(Int(median(limits))) messages/s "
                                  + "(\(Int(limits.min() ?? 0))–\(Int(limits.max() ?? 0))); the server reaches \(String(format: "%.0f", share * 100)) % of it") { _ in share >= 0.8 })
        figures.append(Figure(name: "server: CPU time per post with fan-out to 100 sessions (median of 3)", samples: serverCPU, unit: "ms",
                              budget: "report", meets: nil))
        figures.append(Figure(name: "server: messages/s posted with fan-out to 100 sessions, 4 posters", value: Double(fewPosters.messages) / fewPosters.elapsed,
                              unit: "messages/s", budget: "report", meets: nil))
        figures.append(Figure(name: "server: messages/s posted, same group, 1 session listening", value: Double(single.messages) / single.elapsed,
                              unit: "messages/s", budget: "report", meets: nil))

        // Latency at a steady 1,000 messages/s for 5 s, measured at all 100 sessions; three runs.
        var p50s: [Double] = []
        var p99s: [Double] = []
        for _ in 0..<3 {
            let paced = try fanOut(members: members, chat: chat.id, sockets: sockets, messages: 5_000, posters: 4, perSecond: 1_000, numbering: &numbering)
            let sorted = paced.latencies.sorted()
            p50s.append(sorted.isEmpty ? .nan : sorted[sorted.count / 2] * 1000)
            p99s.append(sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000)
            log("server: paced run: \(paced.latencies.count) deliveries, achieved \(Int(Double(paced.messages) / paced.elapsed)) messages/s")
        }
        figures.append(Figure(name: "server: post-to-delivery latency at 1,000 msg/s, p50 (median of 3)", samples: p50s, unit: "ms", budget: "<= 2 ms") { $0 <= 2 })
        figures.append(Figure(name: "server: post-to-delivery latency at 1,000 msg/s, p99 (median of 3)", samples: p99s, unit: "ms", budget: "<= 10 ms") { $0 <= 10 })

        // The same at a rate the fan-out keeps up with, to show latency without queueing.
        let light = try fanOut(members: members, chat: chat.id, sockets: sockets, messages: 1_250, posters: 2, perSecond: 250, numbering: &numbering)
        let lightSorted = light.latencies.sorted()
        for (label, quantile) in [("p50", 50), ("p99", 99)] {
            let value = lightSorted.isEmpty ? .nan : lightSorted[min(lightSorted.count - 1, lightSorted.count * quantile / 100)] * 1000
            figures.append(Figure(name: "server: post-to-delivery latency at 250 msg/s, \(label)", value: value, unit: "ms", budget: "report", meets: nil))
        }

        // Memory: 10,000 idle sessions (the 100 members' and 9,900 more logins), all opened
        // afresh: the 100 above went unread while the logins ran, so the server may rightly
        // have closed them for unanswered pings.
        for socket in sockets { socket.closeSocket() }
        log("server: logging in 9,900 more sessions")
        let extra = try login(members, times: 99)
        let before = ProcessStats.residentBytes(pid: server.pid)
        log("server: opening 10,000 WebSocket connections")
        let all = try (members + extra).map { try WebSocketFleet.connect(port: server.port, session: $0.session, token: $0.token) }
        // Idle for 5 s with pings answered, then count what is still open.
        let stop = Flag()
        let reader = Thread.run { WebSocketFleet.read(all, stop: stop) { _, _ in } }
        try await Task.sleep(for: .seconds(5))
        let rss = ProcessStats.residentBytes(pid: server.pid)
        stop.set()
        let closed = reader.wait()
        log("server: \(all.count) sessions open, \(closed) closed by the server; RSS \(rss / 1_048_576) MB (\(before / 1_048_576) MB before them)")
        figures.append(Figure(name: "server: RSS with 10,000 idle WebSocket sessions (\(closed) closed by the server)", value: Double(rss) / 1_048_576, unit: "MB",
                              budget: "<= 250 MB", meets: rss <= 250 * 1_048_576 && closed == 0))
        let perSession = Double(rss - before) / Double(all.count) / 1024
        figures.append(Figure(name: "server: memory per idle WebSocket session (RSS growth over 10,000)", value: perSession, unit: "KB",
                              budget: "<= 12 KB", meets: perSession <= 12 && closed == 0))
        for socket in all { socket.closeSocket() }
        return figures
    }

    // MARK: Setup

    func register(count: Int) async throws -> [Member] {
        let api = APIClient(baseURL: server.baseURL)
        return try await withThrowingTaskGroup(of: Member.self) { group in
            for index in 0..<count {
                group.addTask {
                    let device = DeviceInfo(id: UUID(), name: "bench", model: "bench", token: "", transport: "none")
                    let username = String(format: "bench%05d", index)
                    let info = try await api.register(RegisterRequest(name: "Bench \(index)", username: username, password: Self.password, deviceInfo: device))
                    guard let session = info.session(for: device.id), let token = session.accessToken else { throw BenchError("no session") }
                    return Member(id: info.info.id, username: username, token: token, session: session.id)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.id < $1.id }
        }
    }

    /// `times` more sessions of each member, over two keep-alive connections.
    func login(_ members: [Member], times: Int) throws -> [Member] {
        let port = server.port
        let halves = [Array(members.prefix(members.count / 2)), Array(members.dropFirst(members.count / 2))]
        let threads = halves.map { half in
            Thread.run { () -> Result<[Member], any Error> in
                Result {
                    var http = try KeepAliveHTTP(port: port)
                    var sessions: [Member] = []
                    for member in half {
                        let basic = Data("\(member.username):\(Self.password)".utf8).base64EncodedString()
                        for _ in 0..<times {
                            let device = DeviceInfo(id: UUID(), name: "bench", model: "bench", token: "", transport: "none")
                            let answer = try http.request("POST", "/users/login", headers: ["Authorization": "Basic \(basic)"],
                                                          body: Array(try JSONEncoder.chatAPI().encode(device)))
                            guard answer.status == 200 else { throw BenchError("login answered \(answer.status)") }
                            let info = try JSONDecoder.chatAPI().decode(PrivateUserInfo.self, from: Data(answer.body))
                            guard let session = info.session(for: device.id), let token = session.accessToken else { throw BenchError("no session") }
                            sessions.append(Member(id: member.id, username: member.username, token: token, session: session.id))
                        }
                    }
                    http.socket.closeSocket()
                    return sessions
                }
            }
        }
        return try threads.flatMap { try $0.wait().get() }
    }

    // MARK: Fan-out

    struct FanOutResult {
        var messages: Int
        var elapsed: Double
        var latencies: [Double]
        var errors: Int
        /// One event as the server sent it (for the minimal writer's frames).
        var sample: [UInt8]
    }

    /// Posts `messages` into the group from `posters` threads (paced to `perSecond` in all, or
    /// as fast as they go) and reads every session until each has them all.
    /// Posters take turns over `postPorts` (several instances behind one database); by default
    /// they all post to `server`.
    func fanOut(members: [Member], chat: ChatID, sockets: [LoopbackSocket], messages: Int, posters: Int, perSecond: Double?,
                numbering: inout MessageNumbering, postPorts: [Int]? = nil) throws -> FanOutResult {
        let first = numbering.take(messages)
        let sendTimes = SendTimes(count: messages)
        let expected = messages * sockets.count
        let stop = Flag()
        let start = monotonicSeconds()
        let reader = Thread.run { () -> (Double, [Double], Int, [UInt8]) in
            var delivered = 0
            var sample: [UInt8] = []
            var last = start
            var latencies: [Double] = []
            latencies.reserveCapacity(expected)
            _ = WebSocketFleet.read(sockets, stop: stop) { _, payload in
                guard let number = payload.hexNumber(after: MessageNumbering.marker), number >= first, number < first + messages else { return }
                let now = monotonicSeconds()
                latencies.append(now - sendTimes.get(number - first))
                if delivered == 0 { sample = Array(payload) }
                delivered += 1
                last = now
                if delivered == expected { stop.set() }
            }
            return (last, latencies, delivered, sample)
        }
        let ports = postPorts ?? [server.port]
        let posterThreads = (0..<posters).map { poster in
            let author = members[poster]
            let port = ports[poster % ports.count]
            return Thread.run { () -> Int in
                var errors = 0
                guard var http = try? KeepAliveHTTP(port: port, token: author.token) else { return messages / posters }
                var index = poster
                while index < messages {
                    if let perSecond {
                        let due = start + Double(index) / perSecond
                        let wait = due - monotonicSeconds()
                        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    }
                    let localId = "\(author.id)+" + MessageNumbering.uuid(first + index)
                    let body = Array("{\"localId\":\"\(localId)\",\"text\":\"bench message \(index)\"}".utf8)
                    sendTimes.set(index, monotonicSeconds())
                    if (try? http.post("/chats/\(chat.uuidString)/messages", json: body))?.status != 200 { errors += 1 }
                    index += posters
                }
                http.socket.closeSocket()
                return errors
            }
        }
        let errors = posterThreads.reduce(0) { $0 + $1.wait() }
        // A run that loses deliveries ends after 60 s instead of hanging.
        let watchdog = Thread.run {
            let deadline = monotonicSeconds() + 60
            while !stop.isSet, monotonicSeconds() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            stop.set()
        }
        let (last, latencies, delivered, sample) = reader.wait()
        watchdog.wait()
        guard delivered == expected else { throw BenchError("only \(delivered) of \(expected) deliveries arrived within 60 s (\(errors) posts failed)") }
        return FanOutResult(messages: messages, elapsed: last - start, latencies: latencies, errors: errors, sample: sample)
    }
}

/// Message numbers carried in localIds, unique across runs so late frames are not counted twice.
struct MessageNumbering {
    static let marker = Array("+00000000-0000-4000-8000-".utf8)
    private var next = 1

    mutating func take(_ count: Int) -> Int {
        defer { next += count }
        return next
    }

    static func uuid(_ number: Int) -> String { "00000000-0000-4000-8000-" + String(format: "%012x", number) }
}

/// When each message was posted, written by the posters and read by the reader.
final class SendTimes: Sendable {
    private let times: Mutex<[Double]>
    init(count: Int) { times = Mutex([Double](repeating: 0, count: count)) }
    func set(_ index: Int, _ value: Double) { times.withLock { $0[index] = value } }
    func get(_ index: Int) -> Double { times.withLock { $0[index] } }
}

final class Flag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// A thread whose result can be waited for: the load generators block on sockets, which
/// Swift's cooperative pool must not do.
final class ThreadResult<T>: @unchecked Sendable {
    // Safe: `value` is written once by the thread before `done.signal()` and read only after
    // `done.wait()`, which orders the two.
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    fileprivate func finish(_ result: T) {
        value = result
        done.signal()
    }

    func wait() -> T {
        done.wait()
        return value!
    }
}

extension Thread {
    static func run<T>(_ body: @escaping @Sendable () -> T) -> ThreadResult<T> {
        let result = ThreadResult<T>()
        let thread = Thread { result.finish(body()) }
        thread.stackSize = 1 << 20
        thread.start()
        return result
    }
}
