import ChatTestSupport
import Foundation
import Testing

/// Running `bash .ci/install` puts termchat and termchat-server on a PATH with man
/// pages and shell completions, and the example systemd unit is one systemd accepts. The test
/// installs the debug build (the release build is the same script with a longer compile).
@Suite(.serialized) struct InstallTests {
    static let root = SetupScriptTests.root

    static func shell(_ command: String, environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run("/bin/bash", ["-c", command], environment: environment)
    }

    @Test func theInstallCommandPutsBinariesManPagesAndCompletionsUnderAPrefix() async throws {
        let prefix = NSTemporaryDirectory() + "termchat-install-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let installed = try await ChildProcess.run("/bin/bash", [Self.root + "/.ci/install", "--configuration", "debug", "--ignore-swiftpm-lock", "--prefix", prefix])
        #expect(installed.status == 0, "\(installed.output)")
        #expect(installed.output.contains("installed into \(prefix)"), "\(installed.output)")

        let help = try await ChildProcess.run(prefix + "/bin/termchat", ["--help"])
        #expect(help.status == 0 && help.output.contains("A chat client for the terminal."), "\(help.output)")
        let serverHelp = try await ChildProcess.run(prefix + "/bin/termchat-server", ["--help"])
        #expect(serverHelp.status == 0 && serverHelp.output.contains("The TermChat chat server"), "\(serverHelp.output)")

        for (page, says) in [("termchat", "termchat — A chat client for the terminal."), ("termchat-server", "--data-dir")] {
            let man = try await Self.shell("man -l '\(prefix)/share/man/man1/\(page).1'", environment: ["MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"])
            #expect(man.status == 0, "\(man.output)")
            #expect(man.output.contains(says), "\(man.output)")
        }

        let completion = try await Self.shell("source '\(prefix)/share/bash-completion/completions/termchat' && complete -p termchat")
        #expect(completion.status == 0 && completion.output.contains("-F _termchat termchat"), "\(completion.output)")
        // The completion offers the subcommands.
        let offered = try await Self.shell("""
            source '\(prefix)/share/bash-completion/completions/termchat'
            COMP_WORDS=(termchat se); COMP_CWORD=1; COMP_LINE='termchat se'; COMP_POINT=${#COMP_LINE}
            _termchat termchat se termchat; printf '%s\\n' "${COMPREPLY[@]}"
            """)
        #expect(offered.output.split(separator: "\n").contains("send") && offered.output.contains("search"), "\(offered.output)")
        for file in ["zsh/site-functions/_termchat", "fish/vendor_completions.d/termchat.fish", "zsh/site-functions/_termchat-server"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: prefix + "/share/" + file)[.size] as? Int) ?? 0
            #expect(size > 100, "\(file): \(size) bytes")
        }
    }

    @Test func aBadOptionIsRefusedWithTheUsage() async throws {
        let refused = try await ChildProcess.run("/bin/bash", [Self.root + "/.ci/install", "--prefx", "/tmp/x"])
        #expect(refused.status == 2)
        #expect(refused.output.contains("unknown option '--prefx'"), "\(refused.output)")
    }

    /// The example unit passes `systemd-analyze verify` (with its ExecStart pointed at the
    /// built server), and a broken copy does not: the check can fail.
    @Test func theSystemdUnitIsOneSystemdAccepts() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else {
            Issue.record("systemd-analyze is missing: bash .ci/setup test installs it")
            return
        }
        let unit = try String(contentsOfFile: Self.root + "/Resources/systemd/termchat-server.service", encoding: .utf8)
        #expect(unit.contains("DynamicUser=yes") && unit.contains("ProtectSystem=strict") && unit.contains("StateDirectory=termchat-server"))
        let server = try BuiltProduct.url("termchat-server").path
        let directory = NSTemporaryDirectory() + "unit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try unit.replacingOccurrences(of: "/usr/local/bin/termchat-server", with: server)
            .write(toFile: directory + "/termchat-server.service", atomically: true, encoding: .utf8)
        let verified = try await ChildProcess.run("/usr/bin/systemd-analyze", ["verify", "--man=no", directory + "/termchat-server.service"])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.isEmpty, "\(verified.output)")

        try unit.replacingOccurrences(of: "ProtectSystem=strict", with: "ProtectSystem=everything")
            .write(toFile: directory + "/broken.service", atomically: true, encoding: .utf8)
        let broken = try await ChildProcess.run("/usr/bin/systemd-analyze", ["verify", "--man=no", directory + "/broken.service"])
        #expect(broken.output.contains("Failed to parse protect system value"), "\(broken.output)")
    }
}
