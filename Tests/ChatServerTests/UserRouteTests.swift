import ChatTestSupport
import ChatAPI
import Foundation
import Testing

@Suite struct UserRouteTests {
    func anonymous(_ server: TestServer) -> HTTPClient { HTTPClient(baseURL: server.baseURL) }
    func device() -> DeviceInfo { DeviceInfo(id: UUID(), name: "d", model: "m") }

    @Test(arguments: StorageBackend.available) func registerValidatesFieldsAndRefusesTakenNames(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let http = anonymous(server)
            let cases: [(String, String, String)] = [
                ("abc", "password1", "username"), ("1abcdef", "password1", "username"), ("abc def", "password1", "username"),
                (String(repeating: "a", count: 26), "password1", "username"), ("alice1", "short", "password"),
                ("alice1", String(repeating: "p", count: 26), "password"),
                // 25 characters but 75 bytes: bcrypt reads 72 of them, so any password sharing
                // those would have signed in.
                ("alice1", String(repeating: "€", count: 25), "password"),
            ]
            for (username, password, field) in cases {
                let reply = try await http.post(APIPath.users, RegisterRequest(name: "A", username: username, password: password, deviceInfo: device()))
                #expect(reply.status == 400, "\(username)/\(password)")
                #expect(try reply.errorReason().lowercased().contains(field))
            }
            // A device's fields are bounded.
            let huge = DeviceInfo(id: UUID(), name: String(repeating: "d", count: 1_000_000), model: "m")
            let refused = try await http.post(APIPath.users, RegisterRequest(name: "A", username: "alice1", password: "password1", deviceInfo: huge))
            #expect(refused.status == 400)
            #expect(try refused.errorReason().contains("device's name"))
            let ok = try await http.post(APIPath.users, RegisterRequest(name: "A", username: "alice1", password: "password1", deviceInfo: device()))
            #expect(ok.status == 200)
            let taken = try await http.post(APIPath.users, RegisterRequest(name: "B", username: "ALICE1", password: "password1", deviceInfo: device()))
            #expect(taken.status == 409)
            #expect(try taken.errorReason().contains("taken"))
            let malformed = try await http.request("POST", APIPath.users, body: Data("{nope".utf8))
            #expect(malformed.status == 400)
            let missing = try await http.request("POST", APIPath.users, body: Data(#"{"name":"x"}"#.utf8))
            #expect(missing.status == 400)
            #expect(try missing.errorReason().contains("username"))
        }
    }

    @Test(arguments: StorageBackend.available) func loginAcceptsBothBodyFormsAndRefusesWrongPasswords(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let http = anonymous(server)
            func basic(_ password: String) -> [String: String] {
                ["Authorization": "Basic " + Data("\(alice.username):\(password)".utf8).base64EncodedString()]
            }
            let bare = device()
            let reply = try await http.request("POST", APIPath.login, json: bare, headers: basic("password1"))
            let info = try reply.decode(PrivateUserInfo.self)
            #expect(info.info.id == alice.id)
            #expect(info.session(for: bare.id)?.accessToken != nil)
            // Only the calling session carries a token.
            #expect(info.deviceSessions.filter { $0.accessToken != nil }.count == 1)
            #expect(info.deviceSessions.count == 2)

            let wrapped = device()
            let second = try await http.request("POST", APIPath.login, json: ["deviceInfo": wrapped], headers: basic("password1"))
            #expect(try second.decode(PrivateUserInfo.self).session(for: wrapped.id) != nil)

            let wrong = try await http.request("POST", APIPath.login, json: bare, headers: basic("password2"))
            #expect(wrong.status == 401)
            #expect(try wrong.errorReason().contains("Wrong"))
            let noHeader = try await http.request("POST", APIPath.login, json: bare)
            #expect(noHeader.status == 401)
        }
    }

    /// Tokens are remembered between requests; a new login on the same device must still
    /// retire the device's previous token at once.
    @Test(arguments: StorageBackend.available) func loggingInAgainOnADeviceRetiresItsOldToken(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let http = anonymous(server)
            let headers = ["Authorization": "Basic " + Data("\(alice.username):password1".utf8).base64EncodedString()]
            let phone = device()
            let first = try await http.request("POST", APIPath.login, json: phone, headers: headers).decode(PrivateUserInfo.self)
            var old = http
            old.token = first.session(for: phone.id)?.accessToken
            #expect(try await old.get(APIPath.me).status == 200)
            #expect(try await old.get(APIPath.me).status == 200)
            let second = try await http.request("POST", APIPath.login, json: phone, headers: headers).decode(PrivateUserInfo.self)
            var new = http
            new.token = second.session(for: phone.id)?.accessToken
            #expect(new.token != old.token)
            #expect(try await old.get(APIPath.me).status == 401)
            #expect(try await new.get(APIPath.me).status == 200)
        }
    }

    @Test(arguments: StorageBackend.available) func meLogoutAndTokens(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let other = try await alice.secondSession(on: server)
            let me = try await alice.http.get(APIPath.me).decode(PrivateUserInfo.self)
            #expect(me.info.username == alice.username)
            #expect(me.deviceSessions.allSatisfy { $0.accessToken == nil })
            #expect(try await alice.http.request("POST", APIPath.logout).status == 200)
            #expect(try await alice.http.get(APIPath.me).status == 401)
            // Our logout ends only the calling session.
            #expect(try await other.http.get(APIPath.me).status == 200)
            var forged = other.http
            forged.token = "not-a-token"
            let refused = try await forged.get(APIPath.me)
            #expect(refused.status == 401)
            #expect(try !refused.errorReason().isEmpty)
            #expect(try await anonymous(server).get(APIPath.chats).status == 401)
        }
    }

    @Test(arguments: StorageBackend.available) func profilePasswordDeviceLookupAndSearch(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob Builder", on: server)
            let updated = try await alice.http.put(APIPath.me, UpdateProfileRequest(name: "Alice A.", about: "hello")).decode(UserInfo.self)
            #expect(updated.name == "Alice A." && updated.about == "hello")
            #expect(try await alice.http.put(APIPath.me, UpdateProfileRequest(name: "   ")).status == 400)

            let wrongOld = try await alice.http.put(APIPath.changePassword, ChangePasswordRequest(oldPassword: "nope-nope", newPassword: "password2"))
            #expect(wrongOld.status == 403)
            #expect(try await alice.http.put(APIPath.changePassword, ChangePasswordRequest(oldPassword: "password1", newPassword: "short")).status == 400)
            #expect(try await alice.http.put(APIPath.changePassword, ChangePasswordRequest(oldPassword: "password1", newPassword: "password2")).status == 200)
            var relogin = alice
            relogin.password = "password2"
            _ = try await relogin.secondSession(on: server)

            #expect(try await alice.http.put(APIPath.device, UpdateDeviceRequest(deviceName: "work laptop", deviceToken: "abc")).status == 200)
            let me = try await alice.http.get(APIPath.me).decode(PrivateUserInfo.self)
            #expect(me.session(for: alice.deviceId)?.deviceInfo.name == "work laptop")
            #expect(me.session(for: alice.deviceId)?.deviceInfo.token == "abc")

            #expect(try await alice.http.get(APIPath.user(bob.id)).decode(UserInfo.self).name == "Bob Builder")
            #expect(try await alice.http.get(APIPath.user(99999)).status == 404)
            #expect(try await alice.http.get("/users/abc").status == 404)

            let found = try await alice.http.get("/users?s=BUILD").decode([UserInfo].self)
            #expect(found.map(\.id) == [bob.id])
            let byUsername = try await alice.http.get("/users?s=\(bob.username.prefix(4).uppercased())").decode([UserInfo].self)
            #expect(byUsername.contains { $0.id == bob.id })
            #expect(try await alice.http.get("/users?s=").status == 400)
            #expect(try await alice.http.get("/users?s=%25").decode([UserInfo].self).isEmpty)
        }
    }
}
