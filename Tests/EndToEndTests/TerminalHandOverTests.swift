import ChatTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `termchat` under tmux where the terminal itself matters: a real vim as `$EDITOR`,
/// a bracketed paste, and quitting at any moment (or losing the terminal) always ending it.
@Suite(.serialized) struct TerminalHandOverTests {
    func messages(_ person: TestPerson, with other: TestPerson) async throws -> String {
        try await ChildProcess.run("termchat", ["messages", other.username], environment: person.environment).output
    }

    /// Whether process `pid` still runs. A zombie has ended (tmux reaps its pane a moment later).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Waits for `pid` to end; answers how long it took, or nil if it did not within `limit`
    /// (a hang: the limit only turns "forever" into a failure).
    static func waitForExit(_ pid: Int32, limit: Duration = .seconds(10)) async throws -> Duration? {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < limit {
            if !isRunning(pid) { return clock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test func aRealVimWritesTheMessageAndNothingIsSent() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server, extra: ["EDITOR": "vim -u NONE -N -i NONE", "VISUAL": ""])
            let bob = try await TestPerson.register("Bob", on: server)
            #expect(try await ChildProcess.run("termchat", ["send", bob.username, "hello"], environment: alice.environment).status == 0)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment)
            do {
                try await a.waitFor("● online")
                try await a.press("Enter")  // open the chat with Bob, compose focused
                try await a.waitFor("hello")
                try await a.press("C-e")
                // vim owns the terminal: its empty-buffer tildes show, and keys reach it.
                try await a.waitUntil("vim shows its buffer") { screen in screen.split(separator: "\n").filter { $0.hasPrefix("~") }.count > 3 }
                try await a.type("iwritten in vim")
                try await a.press("Enter")
                try await a.type("second line")
                try await a.press("Escape")
                try await a.type(":wq")
                try await a.press("Enter")
                try await a.waitFor("second line")
                try await a.waitFor("● online")
                // Nothing was sent while vim ran: Bob has only the first message.
                let before = try await messages(bob, with: alice)
                #expect(before.contains("hello"))
                #expect(!before.contains("written in vim"), "\(before)")
                // The text is in the compose box; Enter sends it as one message.
                try await a.press("Enter")
                var delivered = ""
                for _ in 0..<200 {
                    delivered = try await messages(bob, with: alice)
                    if delivered.contains("second line") { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(delivered.contains("written in vim"), "\(delivered)")
                #expect(delivered.components(separatedBy: "written in vim").count == 2)
                // termchat is still running: vim's :wq did not quit it.
                try await a.waitFor("● online")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }

    @Test func aMultiLinePasteIsOneDraftAndIsNotSent() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            #expect(try await ChildProcess.run("termchat", ["send", bob.username, "hello"], environment: alice.environment).status == 0)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment)
            do {
                try await a.waitFor("● online")
                try await a.press("Enter")
                try await a.waitFor("hello")
                let file = TemporaryDirectory.make() + "/paste.txt"
                try "pasted one\npasted two\npasted three\n".write(toFile: file, atomically: true, encoding: .utf8)
                _ = try await ChildProcess.run("/usr/bin/tmux", ["-L", a.socket, "load-buffer", file])
                _ = try await ChildProcess.run("/usr/bin/tmux", ["-L", a.socket, "paste-buffer", "-p", "-t", a.name])
                try await a.waitFor("pasted three")
                let screen = try await a.screen()
                #expect(screen.contains("pasted one") && screen.contains("pasted two"))
                let onServer = try await messages(bob, with: alice)
                #expect(!onServer.contains("pasted"), "a pasted line was sent: \(onServer)")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }

    @Test func afterTheServerEndsTheSessionSignInKeepsTheServerAndUsername() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment)
            do {
                try await a.waitFor("● online")
                #expect(try await ChildProcess.run("termchat", ["logout"], environment: alice.environment).status == 0)
                let screen = try await a.waitFor("TermChat — sign in")
                #expect(screen.contains(alice.username), "\(screen)")
                #expect(screen.contains(server.baseURL), "\(screen)")
            } catch {
                await a.kill()
                throw error
            }
            await a.kill()
        }
    }

    @Test func aReceivedFileKeepsItsNameAndIsSavedWithoutOverwriting() async throws {
        try await withServer { server in
            let downloads = TemporaryDirectory.make() + "/Downloads"
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server, extra: ["XDG_DOWNLOAD_DIR": downloads])
            let folder = TemporaryDirectory.make()
            try "meeting notes\n".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
            let sent = try await ChildProcess.run("termchat", ["send", bob.username, "--file", folder + "/notes.txt"], environment: alice.environment)
            #expect(sent.status == 0, "\(sent.output)")
            let b = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: bob.environment)
            do {
                try await b.waitFor("● online")
                try await b.press("Enter")
                try await b.waitFor("📎 notes.txt ·")  // in the conversation (the list's preview names it too)
                try await b.press("Tab")  // the conversation
                try await b.press("o")
                try await b.waitFor("Saved to ")
                _ = try await eventuallyRead(downloads + "/notes.txt")  // a download renames it into place when done
                #expect(try String(contentsOfFile: downloads + "/notes.txt", encoding: .utf8) == "meeting notes\n")
                try await b.press("o")
                _ = try await eventuallyRead(downloads + "/notes (1).txt")
                #expect(try String(contentsOfFile: downloads + "/notes.txt", encoding: .utf8) == "meeting notes\n")
                #expect(try String(contentsOfFile: downloads + "/notes (1).txt", encoding: .utf8) == "meeting notes\n")
            } catch {
                await b.kill()
                throw error
            }
            await b.kill()
        }
    }

    @Test func quittingAtAnyMomentAlwaysEndsTheProcess() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            #expect(try await ChildProcess.run("termchat", ["send", bob.username, "hello"], environment: alice.environment).status == 0)
            var times: [Duration] = []
            for attempt in 0..<30 {
                let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment)
                let pid = try await a.panePID()
                // A random moment once it has the terminal (keys typed before that are the
                // shell's): while connecting, syncing, or idle.
                try await a.waitFor("Chats (")
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...900)))
                try await a.press("q")
                let took = try await Self.waitForExit(pid)
                #expect(took != nil, "attempt \(attempt): termchat did not end after q")
                if let took { times.append(took) }
                if took == nil { kill(pid, SIGKILL) }
                await a.kill()
            }
            // The terminal vanishing (the tmux session killed) ends it too, without spinning.
            let a = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice.environment)
            try await a.waitFor("● online")
            let pid = try await a.panePID()
            await a.kill()
            let gone = try await Self.waitForExit(pid)
            #expect(gone != nil, "termchat kept running after its terminal went away")
            if gone == nil { kill(pid, SIGKILL) }
            if let gone { times.append(gone) }
            print("quit to exit, 31 runs: max \(times.max() ?? .zero), median \(times.sorted()[times.count / 2])")
        }
    }
}
