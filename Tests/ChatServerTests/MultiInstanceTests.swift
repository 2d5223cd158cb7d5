import ChatTestSupport
import ChatAPI
import ChatServer
import Foundation
import Testing

/// Two real `termchat-server` processes on one PostgreSQL database and one
/// files folder, as behind a load balancer.
@Suite(.serialized, .enabled(if: StorageBackend.postgresURL != nil, "TERMCHAT_TEST_POSTGRES_URL is not set: the PostgreSQL and multi-instance tests are skipped"))
struct MultiInstanceTests {
    /// Two instances on a new database; stopped, and the database dropped, afterwards.
    func withTwoInstances(_ body: (ServerProcess, ServerProcess) async throws -> Void) async throws {
        try await withTwoInstances { a, b, _ in try await body(a, b) }
    }

    /// The same, with the database's address.
    func withTwoInstances(_ body: (ServerProcess, ServerProcess, PostgresDatabaseURL) async throws -> Void) async throws {
        try await withTwoInstances(arguments: { a, b, url, _ in try await body(a, b, url) })
    }

    /// The same, with the arguments both were started with (to start more like them).
    func withTwoInstances(arguments body: (ServerProcess, ServerProcess, PostgresDatabaseURL, [String]) async throws -> Void) async throws {
        let database = try await StorageBackend.postgresql.makeDatabase()
        guard case let .postgresql(url) = database else { throw TestFailure("not a PostgreSQL database") }
        let shared = database.arguments + ["--files-dir", TemporaryDirectory.make() + "/files", "--idle-timeout", "5"]
        // (A short idle timeout: a request lost in the balancer as B dies is ended by A in 5 s,
        // not 30, and the client retries it, as with any load balancer.)
        let a = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: shared)
        let b = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: shared)
        do {
            try await body(a, b, url, shared)
        } catch {
            Issue.record(error)
        }
        a.kill(signal: SIGTERM)
        b.kill(signal: SIGTERM)
        if case let .postgresql(url) = database { await TestPostgres.dropDatabase(url) }
    }

    @Test func eventsCommittedThroughOneInstanceReachSessionsOfTheOtherLive() async throws {
        try await withTwoInstances { a, b in
            let alice = try await TestUser.register("Alice", at: TestServerAddress(a.baseURL))
            let bob = try await TestUser.register("Bob", at: TestServerAddress(b.baseURL))
            let carol = try await TestUser.register("Carol", at: TestServerAddress(b.baseURL))
            let chat = try await bob.createChat(with: [alice])
            let aliceOnA = try await EventListener.connect(alice, port: a.port)
            let carolOnA = try await EventListener.connect(carol, port: a.port)

            let posted = try await bob.send("hello from B", in: chat.id)
            guard case .message(let heard) = try await aliceOnA.next().event else { throw TestFailure("not a message") }
            #expect(heard.id == posted.id && heard.text == "hello from B")

            let path = APIPath.message(chat.id, posted.id)
            #expect(try await bob.http.put(path, UpdateMessageRequest(text: "edited on B")).status == 200)
            guard case .messageUpdate(let edited) = try await aliceOnA.next().event else { throw TestFailure("not an update") }
            #expect(edited.id == posted.id && edited.text == "edited on B")

            #expect(try await bob.http.delete(path).status == 200)
            guard case .messageUpdate(let deleted) = try await aliceOnA.next().event else { throw TestFailure("not an update") }
            #expect(deleted.id == posted.id && deleted.deletedAt != nil)

            // A text post's notification leaves with its commit, the new id and the recipients
            // filled in by the statement: text that looks like those marks stays text.
            let lookalike = #"\"id\":9223372036854775800 "id":9223372036854775800 [9223372036854775801] \\ ✓"#
            let tricky = try await bob.send(lookalike, in: chat.id)
            guard case .message(let heardTricky) = try await aliceOnA.next().event else { throw TestFailure("not a message") }
            #expect(heardTricky.id == tricky.id && heardTricky.text == lookalike && heardTricky.authorId == bob.id)

            // An event too large for one NOTIFY (each quote is escaped twice on the way) goes
            // by its id in eventOutbox and arrives whole.
            let quotes = String(repeating: "\"", count: 2048)
            let large = try await bob.send(quotes, in: chat.id)
            guard case .message(let heardLarge) = try await aliceOnA.next().event else { throw TestFailure("not a message") }
            #expect(heardLarge.id == large.id && heardLarge.text == quotes)
            // The same for an edit, whose notification is sent from inside its own transaction.
            let longer = String(quotes.dropLast()) + "!"
            _ = try await bob.http.put(APIPath.message(chat.id, large.id), UpdateMessageRequest(text: longer, fileExists: false, previewExists: false))
                .decode(MessageInfo.self)
            guard case .messageUpdate(let heardEdit) = try await aliceOnA.next().event else { throw TestFailure("not an update") }
            #expect(heardEdit.id == large.id && heardEdit.text == longer)

            // Only the audience: Carol, connected to A, is not in the chat and heard none of it.
            try await carolOnA.expectNothingPending()

            // A file uploaded through B is served by A (one shared folder).
            let request = PostMessageRequest(
                localId: LocalID.make(author: bob.id), text: "look", attachment: AttachmentRequest(fileType: "png", fileSize: 13)
            )
            let withFile = try await bob.http.post(APIPath.messages(chat.id), request).decode(MessageInfo.self)
            let media = try #require(withFile.attachments?.first)
            let upload = try await bob.http.request(
                "POST", APIPath.uploads, body: Data("picture bytes".utf8), headers: [APIHeader.fileName: media.id.uuidString, "Content-Type": "png"]
            )
            #expect(upload.status == 200)
            #expect(try await alice.http.get(APIPath.file(media.id.uuidString + ".png")).text == "picture bytes")
            await aliceOnA.close()
            await carolOnA.close()
        }
    }

    /// A group update tells each member their own view (their flags): to the other instances
    /// it is one notification, not one per member.
    @Test func aGroupUpdateIsOneNotificationForEveryMember() async throws {
        try await withTwoInstances { a, b, url in
            let alice = try await TestUser.register("Alice", at: TestServerAddress(a.baseURL))
            let bob = try await TestUser.register("Bob", at: TestServerAddress(b.baseURL))
            let carol = try await TestUser.register("Carol", at: TestServerAddress(b.baseURL))
            let group = try await bob.createChat(with: [alice, carol], title: "Club", isPersonal: false)
            #expect(try await carol.http.put(APIPath.chatSettings(group.id), ChatSettingsRequest(isMuted: true)).status == 200)
            let aliceOnA = try await EventListener.connect(alice, port: a.port)
            let carolOnA = try await EventListener.connect(carol, port: a.port)
            let listener = try await NotificationListener(url, channel: "termchat_cluster")  // PostgresClusterBus.channel
            var heard = listener.payloads.makeAsyncIterator()

            #expect(try await bob.http.put(APIPath.chat(group.id), UpdateChatRequest(title: "Book club")).status == 200)
            guard case .chatUpdate(let aliceSees) = try await aliceOnA.next().event,
                  case .chatUpdate(let carolSees) = try await carolOnA.next().event
            else { throw TestFailure("not chat updates") }
            #expect(aliceSees.title == "Book club" && carolSees.title == "Book club")
            #expect(!aliceSees.isMuted && carolSees.isMuted, "each member's own flags")

            // A post after it: notifications leave in commit order, so what the rename sent
            // is everything heard before the post's.
            _ = try await bob.send("after the rename", in: group.id)
            var beforeThePost: [String] = []
            while let payload = await heard.next(), !payload.contains("after the rename") { beforeThePost.append(payload) }
            #expect(beforeThePost.count == 1, "\(beforeThePost.count) notifications for one rename")
            #expect(beforeThePost.first?.contains("Book club") == true)
            await aliceOnA.close()
            await carolOnA.close()
        }
    }

    @Test func aLogoutThroughOneInstanceIsRefusedByTheOther() async throws {
        try await withTwoInstances { a, b in
            let alice = try await TestUser.register("Alice", at: TestServerAddress(a.baseURL))
            // A has the token in its cache after the first request.
            #expect(try await alice.http.get(APIPath.me).status == 200)
            #expect(try await alice.http.get(APIPath.me).status == 200)
            let streamOnA = try await EventListener.connect(alice, port: a.port)
            var aliceOnB = alice
            aliceOnB.http.baseURL = b.baseURL
            let start = ContinuousClock.now
            #expect(try await aliceOnB.http.request("POST", APIPath.logout).status == 200)
            // A closes the session's stream when it hears of the logout, after forgetting the token.
            try await streamOnA.waitUntilClosed()
            #expect(try await alice.http.get(APIPath.me).status == 401)
            print("logout through B refused by A after \(ContinuousClock.now - start)")
            await streamOnA.close()
        }
    }

    /// Bob's client posts through the balancer (to B) as the sync engine does: each message
    /// with its localId, retried with the same localId until answered. B is killed mid-load;
    /// the balancer sends new connections to A.
    @Test func killingOneInstanceMidLoadLosesNothing() async throws {
        try await withTwoInstances { a, b in
            let balancer = try TCPForwarder(to: b.port)
            let alice = try await TestUser.register("Alice", at: TestServerAddress(a.baseURL))
            var bob = try await TestUser.register("Bob", at: TestServerAddress(a.baseURL))
            bob.http.baseURL = balancer.baseURL
            var carol = try await TestUser.register("Carol", at: TestServerAddress(a.baseURL))
            carol.http.baseURL = balancer.baseURL
            let chat = try await bob.createChat(with: [alice, carol])
            let aliceOnA = try await EventListener.connect(alice, port: a.port)
            let carolOnB = try await EventListener.connect(carol, port: balancer.port)

            let total = 300
            let sender = bob
            let answered = Acknowledged()
            let posting = Task {
                for index in 0..<total {
                    let localId = LocalID.make(author: sender.id)
                    while true {
                        if let message = try? await sender.send("m\(index)", in: chat.id, localId: localId) {
                            await answered.add(message)
                            break
                        }
                        try await Task.sleep(for: .milliseconds(50))  // a client's retry back-off
                    }
                }
            }
            await answered.waitFor(100)
            try balancer.point(to: a.port)
            b.kill(signal: SIGKILL)
            // Posts answered before the kill went through B; the one in flight may have
            // committed on B; every later one goes through A.
            let answeredBeforeTheKill = await answered.messages.count
            try await posting.value

            // Every message stored exactly once, in order, as A serves them.
            var stored: [String] = []
            var before: MessageID?
            while true {
                let query = before.map { "&before=\($0)" } ?? ""
                let page = try await alice.http.get("\(APIPath.messages(chat.id))?count=100\(query)").decode([MessageInfo].self)
                stored += page.compactMap(\.text)
                guard let last = page.last, page.count == 100 else { break }
                before = last.id
            }
            #expect(stored.reversed() == (0..<total).map { "m\($0)" })

            // Carol's stream ended with B; her client reconnects through the balancer (to A)
            // and catches up over REST from the last message it heard.
            var carolHeard: [MessageID: String] = [:]
            while let envelope = try? await carolOnB.next(timeout: .seconds(20)) {
                if case .message(let message) = envelope.event { carolHeard[message.id] = message.text }
            }
            let carolAgain = try await EventListener.connect(carol, port: balancer.port)
            let since = carolHeard.keys.max()
            for message in try await carol.http.get("\(APIPath.messages(chat.id))?count=500").decode([MessageInfo].self)
            where since.map({ message.id > $0 }) ?? true {
                carolHeard[message.id] = message.text
            }
            #expect(Set(carolHeard.values) == Set((0..<total).map { "m\($0)" }))

            // Alice, on the instance that stayed up, heard every message live, once: a post's
            // notification leaves with its commit (PostgreSQL sends it), so the one in flight
            // when B died reached her too if B committed it, and its retry through A otherwise.
            var aliceHeard: [String] = []
            while let envelope = try? await aliceOnA.next(timeout: .seconds(5)) {
                if case .message(let message) = envelope.event, let text = message.text { aliceHeard.append(text) }
            }
            let missed = Set((0..<total).map { "m\($0)" }).subtracting(aliceHeard)
            #expect(missed.isEmpty, "missed \(missed.sorted()); the post in flight at the kill was m\(answeredBeforeTheKill)")
            #expect(aliceHeard.count == Set(aliceHeard).count, "heard twice: \(aliceHeard.count - Set(aliceHeard).count)")
            await carolAgain.close()
            await aliceOnA.close()
        }
    }

    /// A change's events leave with its commit. Bob edits messages and renames the group
    /// through a balancer to one instance, which is killed (SIGKILL) and replaced four times
    /// under that load; Alice listens on the other instance the whole time and hears every
    /// change that committed, in order, each once for every time it committed, with no
    /// catch-up. Each kill lands where a change has written and its event is on the way: the
    /// test holds a lock on `eventOutbox`, where a large event waits, and kills the instance
    /// once a large edit waits for it. Had the change committed before its event left (as it
    /// did before), the edit would be stored and never heard. (Posts are covered by
    /// `killingOneInstanceMidLoadLosesNothing`.)
    @Test func killingAnInstanceAgainAndAgainLosesNoEventOfAnyKind() async throws {
        try await withTwoInstances(arguments: { a, b, url, arguments in
            let database = try await TestPostgresConnection.open(url)
            try await stopping({ await database.close() }) {
                let balancer = try TCPForwarder(to: a.port)
                let alice = try await TestUser.register("Alice", at: TestServerAddress(b.baseURL))
                var bob = try await TestUser.register("Bob", at: TestServerAddress(b.baseURL))
                bob.http.baseURL = balancer.baseURL
                let chat = try await bob.createChat(with: [alice], title: "start", isPersonal: false)
                var messages: [MessageID] = []
                for index in 0..<5 { messages.append(try await bob.send("m\(index)", in: chat.id).id) }
                let large = try await bob.send("large", in: chat.id).id
                let aliceOnB = try await EventListener.connect(alice, port: b.port)

                let (rounds, perRound) = (5, 30)
                let total = rounds * perRound
                let sender = bob
                let targets = messages
                let attempts = Attempts()
                let changing = Task {
                    do {
                        for index in 0..<total {
                            // Sent through the balancer: the instance behind it may die mid-request.
                            try await Self.change(until: 200, counting: index, in: attempts) {
                                index % 3 == 2
                                    ? try await sender.http.put(APIPath.chat(chat.id), UpdateChatRequest(title: "g\(index)"))
                                    : try await sender.http.put(APIPath.message(chat.id, targets[index % targets.count]),
                                                                UpdateMessageRequest(text: "v\(index)", fileExists: false, previewExists: false))
                            }
                            await attempts.answered(index)
                        }
                    } catch {
                        await attempts.giveUp()  // the rounds below stop waiting for answers
                        throw error
                    }
                }
                // Quotes are escaped twice on the way: too large for one NOTIFY, so through eventOutbox.
                func largeText(_ round: Int) -> String { String(repeating: "\"", count: 2040) + "k\(round)" }
                var committedAtTheKill: [Int: Bool] = [:]
                var current = a
                for round in 1..<rounds {
                    guard await attempts.waitUntilAnswered(round * perRound) else { break }
                    try await database.run("BEGIN")
                    try await database.run("LOCK TABLE eventOutbox IN ACCESS EXCLUSIVE MODE")
                    let edit = UpdateMessageRequest(text: largeText(round), fileExists: false, previewExists: false)
                    let caught = Task { try? await sender.http.put(APIPath.message(chat.id, large), edit) }
                    var waiting: [String?] = []
                    try await eventually("the large edit waits for eventOutbox") {
                        waiting = try await database.texts("SELECT pid::text FROM pg_locks WHERE NOT granted AND relation = 'eventoutbox'::regclass")
                        return !waiting.isEmpty
                    }
                    let next = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: arguments)
                    try balancer.point(to: next.port)
                    current.kill(signal: SIGKILL)
                    current = next
                    try await database.run("ROLLBACK")
                    // Its database session ends when it next hears from the dead instance; then
                    // whatever it did is final.
                    let pids = waiting.compactMap { $0 }.joined(separator: ",")
                    try await eventually("the killed instance's sessions end") {
                        try await database.texts("SELECT pid::text FROM pg_stat_activity WHERE pid IN (\(pids))").isEmpty
                    }
                    let stored = try await database.texts("SELECT text FROM messages WHERE id = \(large)")
                    committedAtTheKill[round] = stored == [largeText(round)]
                    if await caught.value?.status != 200 {
                        // Its answer was lost with the instance: the client sends it again, to the new one.
                        try await Self.change(until: 200, counting: nil, in: attempts) {
                            try await sender.http.put(APIPath.message(chat.id, large), edit)
                        }
                    } else {
                        Issue.record("the edit was answered although its instance was killed before its event could leave")
                    }
                }
                try await changing.value

                var heard: [Int] = []
                var heardLarge: [Int: Int] = [:]
                while let envelope = try? await aliceOnB.next(timeout: .seconds(5)) {
                    switch envelope.event {
                    case .messageUpdate(let message) where message.id == large:
                        if let round = message.text?.split(separator: "k").last.flatMap({ Int($0) }) { heardLarge[round, default: 0] += 1 }
                    case .messageUpdate(let message): heard += message.text.flatMap { Int($0.dropFirst()) }.map { [$0] } ?? []
                    case .chatUpdate(let chat): heard += chat.title.flatMap { Int($0.dropFirst()) }.map { [$0] } ?? []
                    default: break
                    }
                }
                let missed = Set(0..<total).subtracting(heard)
                #expect(missed.isEmpty, "missed \(missed.sorted()) of \(total)")
                #expect(zip(heard, heard.dropFirst()).allSatisfy { $0 <= $1 }, "out of order: \(heard)")
                let sent = await attempts.counts
                let overheard = Dictionary(heard.map { ($0, 1) }, uniquingKeysWith: +).filter { $0.value > sent[$0.key, default: 0] }
                #expect(overheard.isEmpty, "heard more often than sent: \(overheard)")
                // Each large edit: heard once for its retry, and once more if the killed instance's
                // attempt committed (it must not have committed unheard).
                for (round, committed) in committedAtTheKill.sorted(by: { $0.key < $1.key }) {
                    #expect(heardLarge[round, default: 0] == (committed ? 2 : 1),
                            "round \(round): committed at the kill: \(committed), heard \(heardLarge[round, default: 0]) times")
                }
                #expect(committedAtTheKill.count == rounds - 1)
                await aliceOnB.close()
                current.kill(signal: SIGTERM)
                balancer.stop()
            }
        })
    }

    /// Sends a change until it is answered with `status`, as a client retries one whose answer
    /// was lost; a refusal (under 500) is a failure of the change itself, not of the instance.
    static func change(until status: Int, counting index: Int?, in attempts: Attempts,
                       _ send: () async throws -> HTTPClient.Reply) async throws {
        while true {
            if let index { await attempts.add(index) }
            let reply = try? await send()
            if reply?.status == status { return }
            if let reply, reply.status < 500 { throw TestFailure("change refused: \(reply.status) \(reply.text)") }
            try await Task.sleep(for: .milliseconds(50))  // a client's retry back-off
        }
    }
}

/// An instance that loses PostgreSQL: it answers 503 with a reason meanwhile, closes its
/// sessions (they may miss events), and serves again once the database is back.
@Suite(.enabled(if: StorageBackend.postgresURL != nil, "TERMCHAT_TEST_POSTGRES_URL is not set: the PostgreSQL and multi-instance tests are skipped"))
struct DatabaseOutageTests {
    @Test func anInstanceThatLosesPostgreSQLSays503ClosesItsSessionsAndRecovers() async throws {
        guard case let .postgresql(direct) = try await StorageBackend.postgresql.makeDatabase() else { return }
        // The server reaches PostgreSQL only through a forwarder the test can cut.
        var link = try TCPForwarder(to: direct.port)
        var throughLink = direct
        throughLink.port = link.port
        let server = try await ServerProcess(dataDirectory: TemporaryDirectory.make(), arguments: ["--database", throughLink.addressForArguments])
        defer { server.kill(signal: SIGTERM) }
        let address = try await TestServerAddress(server.baseURL)
        let alice = try await TestUser.register("Alice", at: address)
        let chat: ChatInfo = try await alice.http.post(APIPath.chats, CreateChatRequest(title: "notes", participants: [], isPersonal: false)).decode()
        let stream = try await EventListener.connect(alice, port: server.port)

        link.stop()
        try await stream.waitUntilClosed()
        let health = try await HTTPClient(baseURL: server.baseURL).get("/health")
        #expect(health.status == 503)
        let post = try await alice.http.post(APIPath.messages(chat.id), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "offline"))
        #expect(post.status == 503, "\(post.text)")
        #expect(try post.errorReason().contains("database"))

        link = try TCPForwarder(to: direct.port, port: throughLink.port)
        // Nothing announces that the pool reconnected: ask /health until it says so.
        var healthy = false
        for _ in 0..<200 where !healthy {
            healthy = try await HTTPClient(baseURL: server.baseURL).get("/health").status == 200
            if !healthy { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(healthy)
        let again = try await EventListener.connect(alice, port: server.port)
        let sent = try await alice.send("back", in: chat.id)
        guard case .message(let heard) = try await again.next().event else { throw TestFailure("not a message") }
        #expect(heard.id == sent.id)
        await again.close()
        link.stop()
        await TestPostgres.dropDatabase(direct)
    }
}

/// How often each change was sent, and how many were answered.
actor Attempts {
    private(set) var counts: [Int: Int] = [:]
    private var answeredCount = 0
    private var waiters: [(Int, CheckedContinuation<Bool, Never>)] = []
    private var gaveUp = false

    func add(_ index: Int) { counts[index, default: 0] += 1 }

    func answered(_ index: Int) {
        answeredCount += 1
        let ready = waiters.filter { answeredCount >= $0.0 }
        waiters.removeAll { answeredCount >= $0.0 }
        for (_, waiter) in ready { waiter.resume(returning: true) }
    }

    /// The sender stopped: nobody waits for answers that will not come.
    func giveUp() {
        gaveUp = true
        for (_, waiter) in waiters { waiter.resume(returning: false) }
        waiters = []
    }

    /// Whether `count` changes were answered (false: the sender gave up first).
    func waitUntilAnswered(_ count: Int) async -> Bool {
        if answeredCount >= count { return true }
        if gaveUp { return false }
        return await withCheckedContinuation { waiters.append((count, $0)) }
    }
}
