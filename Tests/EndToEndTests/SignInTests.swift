import ChatTestSupport
import Foundation
import Testing

/// A first run with no stored account, under tmux: the sign-in screen, its errors in words,
/// signing out back to it, and registering from it.
@Suite struct SignInTests {
    @Test func signInScreenSignsInSignsOutAndRegisters() async throws {
        let server = try await TestServer.start()
        let home = TemporaryDirectory.make()
        let environment = [
            "HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
            "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        ]
        // An account made elsewhere (another home), to sign in to here.
        let username = UniqueName.make("alice")
        let other = TemporaryDirectory.make()
        let registered = try await ChildProcess.run(
            "termchat", ["register", "--server", server.baseURL, "--name", "Alice", "--username", username],
            environment: ["HOME": other, "XDG_CONFIG_HOME": other + "/config", "XDG_DATA_HOME": other + "/data", "TERMCHAT_PASSWORD": "password1"]
        )
        #expect(registered.status == 0, "\(registered.output)")

        // Nothing listens on port 1: the screen starts with an unreachable server.
        let termchat = try BuiltProduct.url("termchat").path
        let session = try await TmuxSession([termchat, "--server", "http://127.0.0.1:1"], environment: environment)
        try await stopping({ await session.kill(); await server.stop() }) {
            try await session.waitFor("TermChat — sign in")
            try await session.type(username)
            try await session.press("Enter")
            try await session.type("password1")
            try await session.press("Enter")
            try await session.waitFor("Cannot reach the server")

            // A malformed address: one sentence, the fields kept.
            try await session.press("Up", "Up", "C-u")
            try await session.type("ftp://example")
            try await session.press("Enter", "Enter", "Enter")
            try await session.waitFor("is not a server address")

            // The real server, a wrong password, then the right one.
            try await session.press("Up", "Up", "C-u")
            try await session.type(server.baseURL)
            try await session.press("Enter", "Enter", "C-u")
            try await session.type("wrong-password")
            try await session.press("Enter")
            try await session.waitFor("Wrong username or password.")
            var screen = try await session.screen()
            #expect(screen.contains(username), "the username stays after a failure")
            try await session.press("C-u")
            try await session.type("password1")
            try await session.press("Enter")
            screen = try await session.waitFor("● online")
            #expect(screen.contains("\(username)@"))
            let whoami = try await ChildProcess.run("termchat", ["whoami"], environment: environment)
            #expect(whoami.status == 0 && whoami.output.contains(username), "\(whoami.output)")

            // Signing out comes back to the sign-in screen, and the token is gone here.
            try await session.type("/logout")
            try await session.press("Enter")
            try await session.waitFor("Log out \(username)?")  // it asks first
            try await session.press("y")
            try await session.waitFor("Signed out \(username).")
            let afterLogout = try await ChildProcess.run("termchat", ["whoami"], environment: environment)
            #expect(afterLogout.status != 0 && afterLogout.output.contains("Not signed in."), "\(afterLogout.output)")

            // Register a new account from the screen.
            let newcomer = UniqueName.make("nora")
            try await session.press("C-r")
            try await session.waitFor("TermChat — create an account")
            try await session.type("Nora")
            try await session.press("Enter", "C-u")
            try await session.type(newcomer)
            try await session.press("Enter")
            try await session.type("password2")
            try await session.press("Enter")
            try await session.waitFor("\(newcomer)@")
            try await session.waitFor("● online")
            let nora = try await ChildProcess.run("termchat", ["whoami"], environment: environment)
            #expect(nora.output.contains("\(newcomer) (Nora)"), "\(nora.output)")

            // Signed out from elsewhere (here: the CLI ends the same session): the client says
            // so and asks to sign in again instead of retrying a dead token.
            let logout = try await ChildProcess.run("termchat", ["logout"], environment: environment)
            #expect(logout.status == 0, "\(logout.output)")
            try await session.waitFor("The server ended this session")
            try await session.waitFor("TermChat — sign in")

            try await session.press("Escape")
            try await session.waitUntil("termchat exited") { !$0.contains("TermChat — sign in") }
        }
    }
}
