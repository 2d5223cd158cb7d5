import ChatTestSupport
import Foundation
import Testing

/// Scripting, with the real binaries: `termchat watch --json`, beside the same person's
/// running client, reports a second client's send, edit, delete, typing and a rename in order
/// and once; `--since` across a kill -9 loses
/// and repeats nothing; `termchat rpc` sends and reads back.
@Suite struct ScriptingEndToEndTests {
    /// The lines of `types` (connection lines left out), parsed.
    static func events(_ process: LineProcess, from index: Int = 0) -> [[String: Any]] {
        LineProcess.objects(Array(process.lines.dropFirst(index))).filter { $0["type"] as? String != "connection" }
    }

    static func isEvent(_ line: String, _ type: String, text: String? = nil) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
        return object["type"] as? String == type && (text == nil || object["text"] as? String == text || object["title"] as? String == text)
    }

    @Test func watchReportsAnotherClientsChangesInOrderAndOnce() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let watch = try LineProcess("termchat", ["watch", "--json"], environment: alice.environment)
        let rpc = try LineProcess("termchat", ["rpc"], environment: bob.environment)
        var b: TmuxSession?
        // Alice's client runs beside her watch: both engines write the journal; each event is one line.
        let a = try await TmuxSession.client(for: alice)
        let stopAll = {
            await a.kill()
            await b?.kill()
            watch.signal(SIGKILL)
            rpc.signal(SIGKILL)
            await server.stop()
        }
        try await stopping(stopAll) {
            try await watch.waitForLine("watch is online") { $0.contains("\"state\":\"online\"") }
            try rpc.send(#"{"jsonrpc":"2.0","id":1,"method":"watch"}"#)
            try await rpc.waitForLine("the watch answer") { LineProcess.objects([$0]).first?["id"] as? Int == 1 }
            try rpc.send(#"{"jsonrpc":"2.0","id":2,"method":"send","params":{"chat":"\#(alice.username)","text":"one"}}"#)
            let sent = try await rpc.waitForLine("the send answer") { LineProcess.objects([$0]).first?["id"] as? Int == 2 }.line
            let result = try #require(LineProcess.objects([sent]).first?["result"] as? [String: Any], "\(sent)")
            let chat = try #require(result["chatId"] as? String), localId = try #require(result["localId"] as? String)
            // Delivered (the server has it) before it is edited: else the edit changes the queued post.
            try await rpc.waitForLine("bob's own message delivered") { $0.contains("\"method\":\"event\"") && $0.contains("\"type\":\"message\"") }
            try await watch.waitForLine("alice sees the message") { Self.isEvent($0, "message", text: "one") }
            try rpc.send(#"{"jsonrpc":"2.0","id":3,"method":"edit","params":{"chat":"\#(chat)","localId":"\#(localId)","text":"one, edited"}}"#)
            try await watch.waitForLine("alice sees the edit") { Self.isEvent($0, "edit", text: "one, edited") }
            try rpc.send(#"{"jsonrpc":"2.0","id":4,"method":"delete","params":{"chat":"\#(chat)","localId":"\#(localId)"}}"#)
            try await watch.waitForLine("alice sees the delete") { Self.isEvent($0, "delete") }

            let bobScreen = try await TmuxSession.client(for: bob)
            b = bobScreen
            try await bobScreen.waitFor("● online")
            try await bobScreen.press("Enter")
            try await bobScreen.type("typing")
            try await watch.waitForLine("alice sees bob typing") { $0.contains("\"type\":\"typing\"") && $0.contains("\"typing\":true") }
            try await bobScreen.press("C-u")
            try await bobScreen.type("/group Team @\(alice.username)")
            try await bobScreen.press("Enter")
            try await bobScreen.waitFor("Group Team created.")
            try await bobScreen.type("/rename Crew")
            try await bobScreen.press("Enter")
            try await watch.waitForLine("alice sees the rename") { Self.isEvent($0, "chat_renamed", text: "Crew") }

            let events = Self.events(watch).filter { $0["type"] as? String != "typing" }
            #expect(events.map { $0["type"] as? String ?? "" } == ["chat_created", "message", "edit", "delete", "chat_created", "chat_renamed"],
                    "\(watch.lines.joined(separator: "\n"))")
            #expect(events[1]["text"] as? String == "one" && (events[1]["user"] as? [String: Any])?["username"] as? String == bob.username)
            #expect(events[1]["chatId"] as? String == chat && events[1]["localId"] as? String == localId)
            #expect(events[4]["title"] as? String == "Team" && events[5]["title"] as? String == "Crew")
            let cursors = events.compactMap { $0["cursor"] as? Int }
            #expect(cursors == cursors.sorted() && Set(cursors).count == cursors.count, "each event has a cursor of its own, rising")
            let typing = Self.events(watch).filter { $0["type"] as? String == "typing" }
            #expect((typing.first?["user"] as? [String: Any])?["username"] as? String == bob.username)
        }
    }

    @Test func sinceResumesAfterAKillNineWithNothingLostOrRepeated() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        func send(_ text: String) async throws {
            let sent = try await ChildProcess.run("termchat", ["send", alice.username, text], environment: bob.environment)
            #expect(sent.status == 0, "\(sent.output)")
        }
        var watch = try LineProcess("termchat", ["watch", "--json"], environment: alice.environment)
        try await stopping({ watch.signal(SIGKILL); await server.stop() }) {
            try await watch.waitForLine("watch is online") { $0.contains("\"state\":\"online\"") }
            try await send("before 1")
            let seen = try await watch.waitForLine("the first message") { Self.isEvent($0, "message", text: "before 1") }.line
            let cursor = try #require(LineProcess.objects([seen]).first?["cursor"] as? Int)
            watch.signal(SIGKILL)
            for text in ["while down 2", "while down 3"] { try await send(text) }
            watch = try LineProcess("termchat", ["watch", "--json", "--since", "\(cursor)"], environment: alice.environment)
            try await watch.waitForLine("the last message") { Self.isEvent($0, "message", text: "while down 3") }
            try await send("after 4")
            try await watch.waitForLine("a message after the restart") { Self.isEvent($0, "message", text: "after 4") }
            let texts = Self.events(watch).filter { $0["type"] as? String == "message" }.map { $0["text"] as? String ?? "" }
            #expect(texts == ["while down 2", "while down 3", "after 4"], "\(watch.lines.joined(separator: "\n"))")
            #expect(Self.events(watch).allSatisfy { ($0["cursor"] as? Int ?? 0) > cursor })
        }
    }

    @Test func anRPCSessionSendsReadsBackAndAnswersMistakesWithTheTUIsSentences() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let sent = try await ChildProcess.run("termchat", ["send", bob.username, "from alice"], environment: alice.environment)
        #expect(sent.status == 0, "\(sent.output)")
        let rpc = try LineProcess("termchat", ["rpc"], environment: bob.environment)
        func call(_ id: Int, _ body: String) async throws -> [String: Any] {
            try rpc.send(#"{"jsonrpc":"2.0","id":\#(id),\#(body)}"#)
            let line = try await rpc.waitForLine("answer \(id)") { LineProcess.objects([$0]).first?["id"] as? Int == id }.line
            return try #require(LineProcess.objects([line]).first, "\(line)")
        }
        try await stopping({ rpc.signal(SIGKILL); await server.stop() }) {
            let reply = try await call(1, #""method":"send","params":{"chat":"\#(alice.username)","text":"über 🙂 \"quoted\""}"#)
            #expect((reply["result"] as? [String: Any])?["localId"] is String, "\(reply)")
            let read = try await call(2, #""method":"messages","params":{"chat":"\#(alice.username)","count":5}"#)
            let texts = (read["result"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
            #expect(texts == ["from alice", "über 🙂 \"quoted\""], "\(read)")
            let chats = try await call(3, #""method":"chats""#)
            #expect((chats["result"] as? [[String: Any]])?.count == 1, "\(chats)")
            let found = try await call(4, #""method":"search","params":{"query":"über"}"#)
            #expect((found["result"] as? [[String: Any]])?.count == 1, "\(found)")
            let marked = try await call(5, #""method":"markRead","params":{"chat":"\#(alice.username)"}"#)
            #expect(marked["result"] != nil, "\(marked)")

            let theirs = try #require((read["result"] as? [[String: Any]])?.first?["localId"] as? String)
            let refused = try await call(6, #""method":"edit","params":{"chat":"\#(alice.username)","localId":"\#(theirs)","text":"x"}"#)
            #expect((refused["error"] as? [String: Any])?["message"] as? String == "Only your own messages can be edited.", "\(refused)")
            let unknown = try await call(7, #""method":"fly""#)
            #expect((unknown["error"] as? [String: Any])?["code"] as? Int == -32601, "\(unknown)")
            let missing = try await call(8, #""method":"send","params":{"text":"no chat"}"#)
            #expect((missing["error"] as? [String: Any])?["code"] as? Int == -32602, "\(missing)")
            // Wrong types, a text over the limit, params that are not an object, a NUL: a sentence each.
            let wrongType = try await call(12, #""method":"messages","params":{"chat":"\#(alice.username)","count":"many"}"#)
            #expect((wrongType["error"] as? [String: Any])?["message"] as? String == "params.count is a whole number.", "\(wrongType)")
            let huge = String(repeating: "x", count: 70_000)
            let tooLong = try await call(13, #""method":"send","params":{"chat":"\#(alice.username)","text":"\#(huge)"}"#)
            #expect(((tooLong["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("A message is at most") == true, "\(tooLong)")
            let positional = try await call(14, #""method":"chats","params":[1,2]"#)
            #expect((positional["error"] as? [String: Any])?["code"] as? Int == -32602, "\(positional)")
            let nul = try await call(15, #""method":"search","params":{"query":"a\u0000b"}"#)
            // Answered (hits, or a sentence), and the session goes on answering below.
            #expect(nul["result"] is [Any] || (((nul["error"] as? [String: Any])?["message"] as? String)?.isEmpty == false), "\(nul)")
            // watch, unwatch and watch again: each watch starts by saying the connection.
            for id in [9, 11] {
                let before = rpc.lines.count
                _ = try await call(id, #""method":"watch""#)
                try await rpc.waitForLine("the connection said to watch \(id)", from: before) { $0.contains("\"method\":\"event\"") && $0.contains("\"state\":\"online\"") }
                if id == 9 { #expect(try await call(10, #""method":"unwatch""#)["result"] != nil) }
            }
            try rpc.send("not json")
            let parse = try await rpc.waitForLine("the parse error") { $0.contains("-32700") }.line
            #expect(parse.contains("\"id\":null"))
            // The session ends with its input; what it sent was delivered meanwhile.
            try rpc.closeInput()
            rpc.process.waitUntilExit()
            #expect(rpc.process.terminationStatus == 0)
            let shown = try await ChildProcess.run("termchat", ["messages", bob.username, "--json"], environment: alice.environment)
            #expect(shown.output.contains("über 🙂"), "\(shown.output)")
        }
    }
}
