import ChatServer
import Testing

/// `--database` addresses, as libpq writes them; a wrong one is refused before anything starts.
@Suite struct PostgresDatabaseURLTests {
    @Test func aFullAddressIsReadPartByPart() throws {
        let url = try PostgresDatabaseURL("postgresql://chat%40ops:s%3Acret@db.example:6543/termchat?sslmode=require", environment: [:])
        #expect(url.username == "chat@ops" && url.password == "s:cret")
        #expect(url.host == "db.example" && url.port == 6543 && url.database == "termchat" && url.sslMode == .require)
        // The password is never shown.
        #expect(url.description == "postgresql://chat@ops@db.example:6543/termchat")
    }

    @Test func defaultsArePort5432PreferTLSAndThePasswordFromPGPASSWORD() throws {
        let url = try PostgresDatabaseURL("postgres://termchat@localhost/chat", environment: ["PGPASSWORD": "from-env"])
        #expect(url.port == 5432 && url.sslMode == .prefer && url.password == "from-env")
    }

    @Test(arguments: [
        ("mysql://u@h/db", "not a postgresql://"),
        ("postgresql://h/db", "names no user"),
        ("postgresql://u@/db", "names no host"),
        ("postgresql://u@h", "names no database"),
        ("postgresql://u@h/a/b", "names no database"),
        ("postgresql://u@h/db?sslmode=maybe", "sslmode is disable, prefer or require"),
        ("postgresql://u@h/db?timeout=3", "unknown parameter timeout"),
        ("postgresql://u:secret@h/db?x=1", "unknown parameter"),
    ])
    func aWrongAddressSaysWhatIsWrong(_ text: String, _ expected: String) {
        do {
            _ = try PostgresDatabaseURL(text, environment: [:])
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(!error.description.contains("secret"))
        }
    }
}
