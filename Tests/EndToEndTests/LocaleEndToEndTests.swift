import ChatTestSupport
import Foundation
import Testing

/// Under `LANG=C`/`LC_ALL=C` what is typed was cut at the first non-ASCII
/// character ("Grüße aus Köln" became "Gr") while output was UTF-8. termchat reads characters
/// in a UTF-8 locale the system has and says so once.
@Suite struct LocaleEndToEndTests {
    @Test func underLangCTypedUmlautsArriveWhole() async throws {
        let home = TemporaryDirectory.make()
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data", "LANG": "C", "LC_ALL": "C"]
        let session = try await TmuxSession([try BuiltProduct.url("termchat").path, "demo", "--fresh"], environment: environment)
        do {
            try await session.waitFor("Your locale is not UTF-8; using C.UTF-8")
            try await session.waitFor("● online")
            try await session.press("Enter")
            try await session.type("Grüße aus Köln")
            try await session.press("Enter")
            try await session.waitFor("You: Grüße aus Köln")
            try await session.press("Escape")
            try await session.press("q")
            try await session.waitUntil("termchat exited") { !$0.contains("● online") }
        } catch {
            await session.kill()
            throw error
        }
        await session.kill()
    }
}
