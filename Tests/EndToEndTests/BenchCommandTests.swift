import ChatTestSupport
import Testing

/// The benchmark command, `termchat-bench`, says what it can do instead of running nothing.
@Suite struct BenchCommandTests {
    @Test func helpListsTheModesAndAnUnknownWordIsRefused() async throws {
        let help = try await ChildProcess.run("termchat-bench", ["--help"])
        #expect(help.status == 0, "\(help.output)")
        for mode in ["client", "server", "real", "backends", "idle", "burst", "search-quick"] {
            #expect(help.output.contains("\n  \(mode) "), "\(mode) in:\n\(help.output)")
        }
        #expect(!help.output.contains("MISSED") && !help.output.contains("budget"), "nothing was measured:\n\(help.output)")
        let unknown = try await ChildProcess.run("termchat-bench", ["clinet"])
        #expect(unknown.status == 2, "\(unknown.output)")
        #expect(unknown.output.contains("no mode clinet") && unknown.output.contains("usage:"), "\(unknown.output)")
    }
}
