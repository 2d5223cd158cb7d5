import ChatApp
import ChatClient
import Foundation
import Testing

@Suite struct CredentialStoreTests {
    @Test func credentialsAreWrittenWithMode0600AndTheDeviceIdIsStable() throws {
        let home = NSTemporaryDirectory() + "home-\(UUID().uuidString)"
        let paths = AppPaths(environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/cfg", "XDG_DATA_HOME": ""])
        #expect(paths.configDirectory == home + "/cfg/termchat")
        #expect(paths.dataDirectory == home + "/.local/share/termchat")
        let store = CredentialStore(paths: paths)
        let credentials = Credentials(server: URL(string: "http://127.0.0.1:8080")!, userId: 3, username: "alice1", name: "Alice",
                                      token: "secret", sessionId: UUID(), deviceId: try store.deviceId())
        try store.save(credentials, profile: "work")
        let mode = try FileManager.default.attributesOfItem(atPath: paths.credentialsFile(profile: "work"))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try store.load(profile: "work") == credentials)
        #expect(try store.load(profile: "home") == nil)
        #expect(try store.deviceId() == credentials.deviceId)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: paths.credentialsFile(profile: "work")))
        #expect(throws: ClientError.self) { try store.load(profile: "work") }
        try store.delete(profile: "work")
        #expect(try store.load(profile: "work") == nil)
        #expect(paths.cacheFile(server: credentials.server, username: "alice1") == home + "/.local/share/termchat/127.0.0.1:8080/alice1.sqlite")
    }
}
