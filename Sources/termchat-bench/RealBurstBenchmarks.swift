import ChatAPI
import ChatApp
import ChatClient
import ChatSync
import RealProcesses
import Foundation

/// The real `termchat` under tmux against the real server, timed from its own trace
/// (`TERMCHAT_TRACE`): a burst of 1,000 messages/s for 10 s into the open chat, then messages
/// typed in a second real `termchat` and seen on the first one's screen, with that chat's
/// 10,000 messages open.
struct RealBurstBenchmarks {
    let server: ServerUnderTest
    static let rate = 1_000.0
    static let burst = 10_000
    static let rows = 60

    func run(log: @Sendable (String) -> Void) async throws -> [Figure] {
        let home = NSTemporaryDirectory() + "termchat-bench-burst-\(UUID().uuidString)"
        let keep = ProcessInfo.processInfo.environment["TERMCHAT_BENCH_KEEP"] == "1"
        defer { if !keep { try? FileManager.default.removeItem(atPath: home) } }
        if keep { log("real: the homes and traces stay in \(home)") }
        let accounts = try await RealClientBenchmarks.register(["burstalice", "burstbobby"], on: server)
        let (alice, bob) = (accounts[0], accounts[1])
        let chat = try await bob.api.createChat(CreateChatRequest(title: "burst", participants: [alice.userId]))
        for index in 0..<20 {
            _ = try await bob.api.postMessage(chat.id, PostMessageRequest(localId: "\(bob.userId)+\(UUID().uuidString)", text: "hello \(index)"))
        }
        let aliceHome = home + "/alice"
        try RealClientBenchmarks.saveCredentials(alice, home: aliceHome)
        var aliceTrace = TraceFile(path: home + "/alice.trace")
        var environment = RealClientBenchmarks.environment(home: aliceHome)
        environment["TERMCHAT_TRACE"] = aliceTrace.path
        let screen = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: environment, columns: 200, rows: Self.rows)
        defer { Task { await screen.kill() } }
        try await screen.waitFor("● online", timeout: .seconds(60))
        try await screen.waitFor("hello 19", timeout: .seconds(30))  // the chat listed, with its preview
        try await screen.press("Enter")
        try await screen.waitFor("hello 18", timeout: .seconds(30))  // the chat open
        let pid = try await screen.panePID()
        try await Task.sleep(for: .seconds(2))  // the open-chat work (read marks) settles first

        log("real: \(Self.burst) messages at \(Int(Self.rate))/s into Alice's open chat")
        var figures = try await burst(from: bob, chat: chat.id, pid: pid, trace: &aliceTrace, log: log)

        log("real: Bob types in his termchat, Alice's shows it (her chat holds \(Self.burst + 20) messages)")
        figures.append(try await typedMessages(bob: bob, home: home, aliceTrace: &aliceTrace, log: log))
        await screen.kill()
        return figures
    }

    /// Each burst message's server id, by its number.
    private func serverIds(_ chat: ChatID, api: APIClient) async throws -> [Int: MessageID] {
        var ids: [Int: MessageID] = [:]
        var before: MessageID?
        while true {
            let page = try await api.messages(chat, count: 100, before: before)
            for message in page { if let number = Substring(message.localId).messageNumber { ids[number] = message.id } }
            guard let oldest = page.map(\.id).min(), page.count == 100 else { return ids }
            before = oldest
        }
    }

    /// Posts the burst from raw keep-alive connections, paced; then reads Alice's trace.
    private func burst(from bob: Credentials, chat: ChatID, pid: Int32, trace: inout TraceFile, log: (String) -> Void) async throws -> [Figure] {
        let start = realtimeNanoseconds()
        let cpuBefore = ProcessStats.cpuSeconds(pid: pid)
        let began = monotonicSeconds()
        let port = server.port
        let author = bob.userId
        let posters = (0..<2).map { poster in
            Thread.run { () -> Int in
                guard var http = try? KeepAliveHTTP(port: port, token: bob.token) else { return Self.burst / 2 }
                var errors = 0
                var index = poster
                while index < Self.burst {
                    let wait = began + Double(index) / Self.rate - monotonicSeconds()
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    let body = Array("{\"localId\":\"\(author)+\(MessageNumbering.uuid(index + 1))\",\"text\":\"burst \(index + 1)\"}".utf8)
                    if (try? http.post("/chats/\(chat.uuidString)/messages", json: body))?.status != 200 { errors += 1 }
                    index += 2
                }
                http.socket.closeSocket()
                return errors
            }
        }
        var errors = posters.reduce(0) { $0 + $1.wait() }
        // One more after both posters: the burst's end, whichever of them finished last.
        let end = Self.burst + 1
        if var http = try? KeepAliveHTTP(port: port, token: bob.token) {
            let body = Array("{\"localId\":\"\(author)+\(MessageNumbering.uuid(end))\",\"text\":\"burst end\"}".utf8)
            if (try? http.post("/chats/\(chat.uuidString)/messages", json: body))?.status != 200 { errors += 1 }
            http.socket.closeSocket()
        }
        let posted = monotonicSeconds() - began
        // Done when the last message is on screen (or after 60 s more: then it never was).
        let last = try? trace.wait(timeout: 60, every: 0.05) { lines in
            lines.last { $0.kind == "frame" && $0.detail.last?.messageNumber == end }?.time
        }
        if last == nil {
            let tail = trace.lines().suffix(6).map { "\($0.time) \($0.kind) \($0.detail.joined(separator: " "))" }
            log("real: the burst's end never reached the screen; the trace ends with:\n" + tail.joined(separator: "\n"))
        }
        let finish = last ?? realtimeNanoseconds()
        let cpu = ProcessStats.cpuSeconds(pid: pid) - cpuBefore
        let seconds = Double(finish - start) / 1e9
        let lines = trace.lines().filter { $0.time >= start && $0.time <= finish }
        var arrived: [Int: Int64] = [:]
        for line in lines where line.kind == "event" {
            if let number = line.detail.first?.messageNumber, arrived[number] == nil { arrived[number] = line.time }
        }
        // The two posters' streams interleave at the server in whatever order it takes them (one
        // can lag the other by 30 ms), so a post's number is not its place in the chat: the
        // server's ids are. A frame whose newest message X arrived no earlier than M and has an
        // id no lower than M's shows M: M is stored (messages are stored in the order they
        // arrive) and stands at or above X.
        let ids = try await serverIds(chat, api: bob.api)
        let arrivalOrder = arrived.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        let rank = Dictionary(uniqueKeysWithValues: arrivalOrder.enumerated().map { ($1.key, $0 + 1) })
        let frames = lines.filter { $0.kind == "frame" }.map { line -> (time: Int64, newest: Int?) in
            (line.time, line.detail.last?.messageNumber.flatMap { rank[$0] == nil ? nil : $0 })
        }
        // Every message was on screen if no frame skipped more than a screenful past the last.
        var largestStep = 0
        var shownUpTo = 0
        for frame in frames {
            guard let newest = frame.newest, let place = rank[newest], place > shownUpTo else { continue }
            largestStep = max(largestStep, place - shownUpTo)
            shownUpTo = place
        }
        let screenful = Self.rows - 10
        let everyOne = last != nil && largestStep <= screenful
        // Each message's wait: from its event to the first frame showing it.
        var waits: [Double] = []
        var firstFrame = 0
        for (number, at) in arrivalOrder {
            while firstFrame < frames.count, frames[firstFrame].time < at { firstFrame += 1 }
            guard let id = ids[number] else { continue }
            let showing = frames[firstFrame...].first { frame in
                guard let newest = frame.newest, let newestAt = arrived[newest], let newestId = ids[newest] else { return false }
                return newestAt >= at && newestId >= id
            }
            guard let showing else { break }
            waits.append(Double(showing.time - at) / 1e6)
        }
        log("real: posted in \(String(format: "%.1f", posted)) s (\(errors) errors); last on screen after \(String(format: "%.1f", seconds)) s; "
            + "\(frames.count) frames; \(arrived.count) events traced; largest step \(largestStep)")
        let percent = cpu / seconds * 100
        let perSecond = Double(frames.count) / seconds
        let p99 = percentile(waits, 0.99)
        return [
            Figure(name: "real: 1,000 msg/s for 10 s into the open chat, termchat CPU (until the last is on screen, \(String(format: "%.1f", seconds)) s)",
                   value: percent, unit: "% of a core", budget: "<= 25 %", meets: percent <= 25 && last != nil),
            Figure(name: "real: the same, frames drawn per second (largest step \(largestStep) messages; every one on screen: \(everyOne ? "yes" : "no"))",
                   value: perSecond, unit: "frames/s", budget: "<= 60, all", meets: perSecond <= 60 && everyOne),
            Figure(name: "real: the same, message on screen after its event arrived, p99 of \(waits.count) (p50 \(String(format: "%.1f", percentile(waits, 0.5))) ms)",
                   value: p99, unit: "ms", budget: "<= 50 ms", meets: p99 <= 50 && waits.count == end),
        ]
    }

    /// Bob's real termchat: 100 messages typed, each waited for on Alice's screen.
    private func typedMessages(bob: Credentials, home: String, aliceTrace: inout TraceFile, log: (String) -> Void) async throws -> Figure {
        let bobHome = home + "/bob"
        try RealClientBenchmarks.saveCredentials(bob, home: bobHome)
        var bobTrace = TraceFile(path: home + "/bob.trace")
        var environment = RealClientBenchmarks.environment(home: bobHome)
        environment["TERMCHAT_TRACE"] = bobTrace.path
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: environment, columns: 120, rows: 32)
        defer { Task { await session.kill() } }
        try await session.waitFor("● online", timeout: .seconds(60))
        try await session.waitFor("burst end", timeout: .seconds(60))  // the chat listed, with its preview
        try await session.press("Enter")
        try await session.waitFor("burst 999", timeout: .seconds(60))  // the chat open at its newest
        var waits: [Double] = []
        for index in 0..<100 {
            let bobFrom = bobTrace.lines().count
            let aliceFrom = aliceTrace.lines().count
            try await session.type("ping \(index)")
            try await session.press("Enter")
            let (pressed, localId) = try bobTrace.wait(from: bobFrom, timeout: 30) { lines -> (Int64, Substring)? in
                guard let key = lines.first(where: { $0.kind == "key" }),
                      let sent = lines.first(where: { $0.kind == "send" && $0.time >= key.time }), let localId = sent.detail.first else { return nil }
                return (key.time, localId)
            }
            let seen = try aliceTrace.wait(from: aliceFrom, timeout: 30) { lines in
                lines.first { $0.kind == "frame" && $0.detail.last == localId }?.time
            }
            waits.append(Double(seen - pressed) / 1e6)
        }
        await session.kill()
        let p99 = percentile(waits, 0.99)
        log("real: typed → other screen p50 \(String(format: "%.1f", percentile(waits, 0.5))) ms, p99 \(String(format: "%.1f", p99)) ms")
        return Figure(name: "real: Enter in A → on B's screen, B with a 10,000-message chat open, p99 of 100 (p50 \(String(format: "%.1f", percentile(waits, 0.5))) ms)",
                      value: p99, unit: "ms", budget: "<= 20 ms", meets: p99 <= 20)
    }
}
