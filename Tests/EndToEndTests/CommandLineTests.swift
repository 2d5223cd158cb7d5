import ChatTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The scripting commands as a shell user runs them: errors in one sentence, and a message
/// sent while the server is down delivered by the next run.
@Suite struct CommandLineTests {
    func home() -> [String: String] { TestPerson.home() }

    /// One line, `Error: ` and a sentence; no trace, no Swift error dump.
    func expectOneSentence(_ result: (status: Int32, output: String), _ sentence: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = result.output.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix("Password:") }
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(lines.count == 1, "\(result.output)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("Error: ") == true && lines.first?.contains(sentence) == true, "\(result.output)", sourceLocation: sourceLocation)
        #expect(!result.output.contains("Fatal") && !result.output.contains("ClientError"), "\(result.output)", sourceLocation: sourceLocation)
    }

    @Test func otherPeoplesEscapesAreShownNotObeyedAndStaleOutputSaysSo() async throws {
        let server = try await TestServer.start()
        let alice = home()
        let bob = home()
        let aliceName = UniqueName.make("alice")
        let bobName = UniqueName.make("bob")
        for (environment, name) in [(alice, aliceName), (bob, bobName)] {
            let registered = try await ChildProcess.run("termchat", ["register", "--server", server.baseURL, "--name", name, "--username", name],
                                                        environment: environment.merging(["TERMCHAT_PASSWORD": "password1"]) { $1 })
            #expect(registered.status == 0, "\(registered.output)")
        }
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\r\(aliceName): forged\u{1B}]52;c;aGk=\u{07}"
        #expect(try await ChildProcess.run("termchat", ["send", aliceName, hostile], environment: bob).status == 0)
        let shown = try await ChildProcess.run("termchat", ["messages", bobName], environment: alice)
        #expect(shown.status == 0, "\(shown.output)")
        #expect(!shown.output.contains("\u{1B}") && !shown.output.contains("\u{07}") && !shown.output.contains("\r"), "\(shown.output.debugDescription)")
        #expect(shown.output.contains("^[]0;pwned^G^[[2J"))
        // The carriage return cannot start a line that looks like another message.
        #expect(shown.output.contains("\n    \(aliceName): forged"))
        // JSON stays exact.
        let json = try await ChildProcess.run("termchat", ["messages", bobName, "--json"], environment: alice)
        let entries = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(entries?.last?["text"] as? String == hostile)

        // With the server gone, the output is the cache's, it says so, and the exit is non-zero.
        await server.stop()
        let stale = try await ChildProcess.run("termchat", ["chats"], environment: alice)
        #expect(stale.status != 0)
        #expect(stale.output.contains("Shown from the local cache"), "\(stale.output)")
        #expect(stale.output.contains(bobName), "\(stale.output)")
        let staleMessages = try await ChildProcess.run("termchat", ["messages", bobName], environment: alice)
        #expect(staleMessages.status != 0)
        #expect(staleMessages.output.contains("forged"))
    }

    @Test func sendToAServerThatNeverAnswersQueuesAtOnceAndExitsZero() async throws {
        let server = try await TestServer.start()
        let alice = try await TestPerson.register("Alice", on: server)
        let bob = try await TestPerson.register("Bob", on: server)
        let environment = alice.environment
        #expect(try await ChildProcess.run("termchat", ["send", bob.username, "first"], environment: environment).status == 0)
        let listed = try await ChildProcess.run("termchat", ["chats", "--json"], environment: environment)
        let chatId = try #require((try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])?.first?["id"] as? String)
        await server.stop()

        // A server that accepts connections and never says a word; the account points at it.
        let (blackHole, port) = listenLoopback()
        defer { close(blackHole) }
        try alice.repoint(from: server.port, to: port)

        let clock = ContinuousClock()
        let started = clock.now
        let sent = try await ChildProcess.run("termchat", ["send", chatId, "into the void", "--wait", "2"], environment: environment)
        let took = clock.now - started
        #expect(sent.status == 0, "\(sent.output)")
        #expect(sent.output.hasPrefix("Queued."), "\(sent.output)")
        #expect(sent.output.contains("it will be delivered by the next"), "\(sent.output)")
        // 60 s before; a hang detector, not a speed goal (the wait was 2 s).
        #expect(took < .seconds(30), "send took \(took)")
    }

    /// A server behind TLS whose certificate this machine does not trust: the message is
    /// queued and the command says why it was not delivered, in words.
    @Test func sendThroughAnUntrustedCertificateSaysWhyItIsStillQueued() async throws {
        try await withServer { server in
            let alice = try await TestPerson.register("Alice", on: server)
            let bob = try await TestPerson.register("Bob", on: server)
            #expect(try await ChildProcess.run("termchat", ["send", bob.username, "first"], environment: alice.environment).status == 0)
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let certificates = try TestCertificates.make(in: directory)
            let front = try await TLSFront.start(forwardingTo: server.port, certificateFile: certificates.selfSignedCertificateFile,
                                                 keyFile: certificates.selfSignedKeyFile)
            try alice.repoint(from: server.port, to: front.port, overTLS: true)
            let sent = try await ChildProcess.run("termchat", ["send", bob.username, "over untrusted TLS", "--wait", "1"], environment: alice.environment)
            await front.stop()
            #expect(sent.status == 0, "\(sent.output)")
            #expect(sent.output.contains("Not delivered yet: The server's certificate is not trusted: no authority this system trusts signed it"), "\(sent.output)")
        }
    }

    @Test func theClientsFilesAreItsOwnersAlone() async throws {
        try await withServer { server in
            let environment = home()
            let home = environment["HOME"]!
            // What an older client left: world-readable folders and a world-readable file.
            for folder in [home + "/config/termchat", home + "/data/termchat"] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            }
            FileManager.default.createFile(atPath: home + "/config/termchat/config.toml", contents: Data(), attributes: [.posixPermissions: 0o644])
            let username = UniqueName.make("alice")
            let registered = try await ChildProcess.run(
                "termchat", ["register", "--server", server.baseURL, "--name", "Alice", "--username", username],
                environment: environment.merging(["TERMCHAT_PASSWORD": "password1"]) { $1 }
            )
            #expect(registered.status == 0, "\(registered.output)")
            let synced = try await ChildProcess.run("termchat", ["sync"], environment: environment)
            #expect(synced.status == 0, "\(synced.output)")
            func mode(_ path: String) -> Int {
                (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
            }
            #expect(mode(home + "/config/termchat") == 0o700)
            #expect(mode(home + "/config/termchat/config.toml") == 0o600)
            #expect(mode(home + "/data/termchat") == 0o700)
            // One folder per server.
            let hosts = try FileManager.default.contentsOfDirectory(atPath: home + "/data/termchat")
            #expect(!hosts.isEmpty)
            for host in hosts {
                let folder = home + "/data/termchat/" + host
                #expect(mode(folder) == 0o700, "\(folder)")
                for file in try FileManager.default.contentsOfDirectory(atPath: folder) {
                    #expect(mode(folder + "/" + file) == 0o600, "\(file)")
                }
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: home + "/config/termchat") {
                #expect(mode(home + "/config/termchat/" + file) == 0o600, "\(file)")
            }
            // Nothing outside its own folders: FoundationNetworking's cookie store, when
            // TermChat was on URLSession, made `$XDG_DATA_HOME/debug`, world-readable.
            #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/data") == ["termchat"])
        }
    }

    @Test func signInMistakesAreOneClearSentence() async throws {
        try await withServer { server in
            let environment = home()
            let username = UniqueName.make("alice")
            let password = environment.merging(["TERMCHAT_PASSWORD": "password1"]) { $1 }
            let registered = try await ChildProcess.run("termchat", ["register", "--server", server.baseURL, "--name", "Alice", "--username", username],
                                                        environment: password)
            #expect(registered.status == 0, "\(registered.output)")
            _ = try await ChildProcess.run("termchat", ["logout"], environment: environment)

            expectOneSentence(try await ChildProcess.run("termchat", ["login", "--server", "ftp://example", "--username", username], environment: password),
                              "\"ftp://example\" is not a server address; use e.g. http://127.0.0.1:8080.")
            expectOneSentence(try await ChildProcess.run("termchat", ["login", "--server", "http://127.0.0.1:1", "--username", username], environment: password),
                              "Cannot reach the server")
            expectOneSentence(try await ChildProcess.run("termchat", ["login", "--server", server.baseURL, "--username", username],
                                                         environment: environment, input: "wrong-password\n"),
                              "Wrong username or password.")
            expectOneSentence(try await ChildProcess.run("termchat", ["register", "--server", server.baseURL, "--name", "Again", "--username", username],
                                                         environment: password),
                              "taken")
            expectOneSentence(try await ChildProcess.run("termchat", ["chats"], environment: environment), "Not signed in")

            // The password on standard input signs in.
            let login = try await ChildProcess.run("termchat", ["login", "--server", server.baseURL, "--username", username],
                                                   environment: environment, input: "password1\n")
            #expect(login.status == 0 && login.output.contains("Signed in as \(username)"), "\(login.output)")
        }
    }

    @Test func aMessageSentWhileTheServerIsDownIsDeliveredByTheNextRun() async throws {
        var server = try await TestServer.startRestartable()
        let alice = home()
        let bob = home()
        let aliceName = UniqueName.make("alice")
        let bobName = UniqueName.make("bobby")
        for (environment, name, username) in [(alice, "Alice", aliceName), (bob, "Bob", bobName)] {
            let registered = try await ChildProcess.run("termchat", ["register", "--server", server.baseURL, "--name", name, "--username", username],
                                                        environment: environment.merging(["TERMCHAT_PASSWORD": "password1"]) { $1 })
            #expect(registered.status == 0, "\(registered.output)")
        }
        let first = try await ChildProcess.run("termchat", ["send", bobName, "before the outage"], environment: alice)
        #expect(first.status == 0 && first.output.contains("Sent."), "\(first.output)")

        await server.stop()
        let queued = try await ChildProcess.run("termchat", ["send", bobName, "sent while the server was down", "--wait", "1"], environment: alice)
        #expect(queued.status == 0, "queued is success: \(queued.output)")
        #expect(queued.output.contains("Queued; it will be delivered by the next `termchat sync` or `termchat` run."), "\(queued.output)")
        let stillDown = try await ChildProcess.run("termchat", ["sync"], environment: alice)
        #expect(stillDown.status != 0 && stillDown.output.contains("still queued 1"), "\(stillDown.output)")

        server = try await TestServer.restart(server)
        // The next interactive run delivers it: the status line's queue empties.
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path], environment: alice)
        do {
            try await session.waitUntil("the queue is delivered") { $0.contains("● online") && !$0.contains("queued") }
        } catch {
            await session.kill()
            await server.stop()
            throw error
        }
        await session.kill()
        let received = try await ChildProcess.run("termchat", ["messages", aliceName, "--json"], environment: bob)
        #expect(received.status == 0, "\(received.output)")
        let texts = try JSONSerialization.jsonObject(with: Data(received.output.utf8)) as? [[String: Any]]
        #expect(texts?.compactMap { $0["text"] as? String } == ["before the outage", "sent while the server was down"], "\(received.output)")
        await server.stop()
    }
}
