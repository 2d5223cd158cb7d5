import ChatAPI
import ChatServer
import ChatTestSupport
import Foundation
import Synchronization
import Testing

/// Sessions listed and ended from another device, an idle lifetime, and a
/// cap on how many one user holds.
@Suite struct SessionRouteTests {
    @Test(arguments: StorageBackend.available) func anotherDeviceIsListedAndEndedAndItsStreamCloses(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let laptop = try await TestUser.register("Alice", on: server)
            let phone = try await laptop.secondSession(on: server)
            let listener = try await EventListener.connect(phone, to: server)
            let listed = try await laptop.http.get(APIPath.sessions).decode([DeviceSession].self)
            #expect(Set(listed.map(\.id)) == [laptop.sessionId, phone.sessionId])
            #expect(listed.allSatisfy { $0.accessToken == nil })

            #expect(try await laptop.http.delete(APIPath.session(phone.sessionId)).status == 200)
            try await listener.waitUntilClosed()
            await listener.close()
            let refused = try await phone.http.get(APIPath.me)
            #expect(refused.status == 401)
            #expect(try await laptop.http.get(APIPath.sessions).decode([DeviceSession].self).map(\.id) == [laptop.sessionId])
            // Gone already, someone else's, or not an id: said so, nothing else ended.
            let again = try await laptop.http.delete(APIPath.session(phone.sessionId))
            #expect(again.status == 404)
            #expect(try again.errorReason().contains("No such session of yours"))
            let bob = try await TestUser.register("Bob", on: server)
            #expect(try await laptop.http.delete(APIPath.session(bob.sessionId)).status == 404)
            #expect(try await bob.http.get(APIPath.me).status == 200)
            let malformed = try await laptop.http.delete(APIPath.sessions + "/not-a-uuid")
            #expect(malformed.status == 400)
            #expect(try malformed.errorReason().contains("UUID"))
        }
    }

    /// A token unused for longer than the idle lifetime (90 days by default) is refused with
    /// a reason a client can show; one used within it is kept alive by that use.
    @Test(arguments: StorageBackend.available) func aSessionIdleForNinetyDaysIsRefusedWithAReason(_ backend: StorageBackend) async throws {
        let clock = TestClock()
        try await withServer(on: backend, configure: { $0.now = clock.now }) { server in
            let used = try await TestUser.register("Alice", on: server)
            let idle = try await used.secondSession(on: server)
            clock.advance(days: 60)
            #expect(try await used.http.get(APIPath.me).status == 200)
            clock.advance(days: 60)
            #expect(try await used.http.get(APIPath.me).status == 200, "used 60 days ago: kept")
            let refused = try await idle.http.get(APIPath.me)
            #expect(refused.status == 401)
            #expect(try refused.errorReason() == "Signed out: this device was idle for 90 days; sign in again.")
            // Every try says why, not only the first.
            #expect(try await idle.http.get(APIPath.chats).errorReason().contains("idle for 90 days"))
            #expect(try await used.http.get(APIPath.sessions).decode([DeviceSession].self).map(\.id) == [used.sessionId])
            // Signing in again on that device works.
            let back = try await idle.secondSession(on: server, sameDevice: true)
            #expect(try await back.http.get(APIPath.me).status == 200)
        }
    }

    @Test(arguments: StorageBackend.available) func signInsPastTheCapEndTheSessionsUsedLongestAgo(_ backend: StorageBackend) async throws {
        let clock = TestClock()
        try await withServer(on: backend, configure: { $0.now = clock.now; $0.sessions.maxPerUser = 3 }) { server in
            let first = try await TestUser.register("Alice", on: server)
            var sessions = [first]
            for _ in 0..<4 {
                clock.advance(days: 1)
                sessions.append(try await first.secondSession(on: server))
            }
            let listed = try await sessions[4].http.get(APIPath.sessions).decode([DeviceSession].self)
            #expect(Set(listed.map(\.id)) == Set(sessions[2...].map(\.sessionId)))
            #expect(try await sessions[0].http.get(APIPath.me).status == 401)
            #expect(try await sessions[1].http.get(APIPath.me).status == 401)
            #expect(try await sessions[2].http.get(APIPath.me).status == 200)
        }
    }
}
