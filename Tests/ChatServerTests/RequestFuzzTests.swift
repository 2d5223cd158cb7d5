import ChatTestSupport
import ChatAPI
import Foundation
import Testing

/// Random requests against every route, from a fixed seed (so a failure can be replayed):
/// well-formed HTTP with hostile paths, queries, headers and bodies through URLSession, and
/// raw byte mutations of valid requests through a socket. Whatever arrives, the server answers
/// with a status below 500 and, for every refusal, the protocol's JSON error with a reason,
/// and it stays up.
@Suite struct RequestFuzzTests {
    /// SplitMix64: small, fast and reproducible.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let routes: [(String, String)] = [
        ("POST", "/users"), ("POST", "/users/login"), ("GET", "/users/me"), ("POST", "/users/me/logout"), ("PUT", "/users/me"),
        ("PUT", "/users/me/changePassword"), ("PUT", "/users/me/device"), ("GET", "/users/{uid}"), ("GET", "/users?s={text}"),
        ("POST", "/chats"), ("GET", "/chats?full={text}"), ("GET", "/chats/{chat}"), ("PUT", "/chats/{chat}"), ("DELETE", "/chats/{chat}"),
        ("PUT", "/chats/{chat}/settings"), ("POST", "/chats/{chat}/images"), ("DELETE", "/chats/{chat}/images/{media}"),
        ("POST", "/chats/{chat}/users"), ("DELETE", "/chats/{chat}/users"), ("DELETE", "/chats/{chat}/me"),
        ("DELETE", "/chats/{chat}/messages"), ("PUT", "/chats/{chat}/block"), ("PUT", "/chats/{chat}/unblock"),
        ("PUT", "/chats/{chat}/users/{uid}/block"), ("PUT", "/chats/{chat}/users/{uid}/unblock"), ("GET", "/chats/{chat}/users/blocked"),
        ("POST", "/chats/{chat}/messages"), ("GET", "/chats/{chat}/messages?count={int}&before={int}"),
        ("PUT", "/chats/{chat}/messages/{mid}"), ("DELETE", "/chats/{chat}/messages/{mid}"), ("PUT", "/chats/{chat}/messages/{mid}/read"),
        ("POST", "/chats/{chat}/notify"), ("POST", "/uploads"), ("GET", "/files/{file}"), ("GET", "/{file}"),
    ]

    static let texts = ["", "a", "%00", "%ZZ", "..%2F..%2Fetc", "💥", String(repeating: "x", count: 3000), "null", "-1", "1e309", "%20"]
    static let keys = ["name", "username", "password", "deviceInfo", "title", "participants", "isPersonal", "users", "localId",
                       "text", "attachment", "isMuted", "isArchived", "isRemovedOnDevice", "image", "realm", "data",
                       "oldPassword", "newPassword", "deviceName", "fileExists", "previewExists", "fileType", "fileSize", "id", "fileName"]

    struct Context {
        var chat: ChatID
        var message: MessageID
        var user: UserID
        var media: MediaID
    }

    static func pick<T>(_ items: [T], _ random: inout SeededGenerator) -> T { items[Int(random.next() % UInt64(items.count))] }

    static func value(depth: Int, _ random: inout SeededGenerator) -> Any {
        switch random.next() % (depth > 2 ? 6 : 9) {
        case 0: return pick(texts, &random)
        case 1: return Int64(bitPattern: random.next())
        case 2: return random.next() % 2 == 0
        case 3: return NSNull()
        case 4: return Double(Int64(bitPattern: random.next() >> 8)) / 7
        case 5: return UUID().uuidString
        case 6: return (0..<Int(random.next() % 4)).map { _ in value(depth: depth + 1, &random) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<Int(random.next() % 5) { object[pick(keys, &random)] = value(depth: depth + 1, &random) }
            return object
        }
    }

    static func path(_ template: String, _ context: Context, _ random: inout SeededGenerator) -> String {
        func id<T>(_ real: T, _ garbage: [String]) -> String { random.next() % 3 == 0 ? pick(garbage, &random) : "\(real)" }
        return template
            .replacingOccurrences(of: "{chat}", with: id(context.chat.uuidString, ["x", UUID().uuidString, "%00", ""]))
            .replacingOccurrences(of: "{mid}", with: id(context.message, ["-1", "0", "99999999999999999999", "abc", ""]))
            .replacingOccurrences(of: "{uid}", with: id(context.user, ["-5", "0", "1.5", "me", ""]))
            .replacingOccurrences(of: "{media}", with: id(context.media.uuidString, ["nope", ""]))
            .replacingOccurrences(of: "{file}", with: id(context.media.uuidString + ".png", ["..%2Fchat.sqlite", "x.png", "\(UUID().uuidString)-preview.", ""]))
            .replacingOccurrences(of: "{text}", with: pick(texts, &random).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
            .replacingOccurrences(of: "{int}", with: pick(["1", "0", "-3", "501", "x", "9223372036854775808", ""], &random))
    }

    @Test(arguments: StorageBackend.available) func randomRequestsNeverGetA5xxAndEveryRefusalHasAReason(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let chat = try await alice.createChat(with: [bob], title: "Fuzz", isPersonal: false)
            let message = try await alice.send("target", in: chat.id)
            let context = Context(chat: chat.id, message: message.id, user: bob.id, media: UUID())
            var random = SeededGenerator(state: 20_261_201)
            var byClass: [Int: Int] = [:]
            let cases = 600
            for index in 0..<cases {
                let (method, template) = Self.pick(Self.routes, &random)
                var headers: [String: String] = [:]
                if random.next() % 5 == 0 { headers["Content-Type"] = Self.pick(["text/plain", "application/json", "png", "", "image/jpeg"], &random) }
                if template == "/uploads" || random.next() % 8 == 0 { headers[APIHeader.fileName] = Self.pick([UUID().uuidString, "../x", "", "a b"], &random) }
                if template == "/users/login" { headers["Authorization"] = "Basic " + Self.pick(["", "!!!", Data("\(alice.username):x".utf8).base64EncodedString()], &random) }
                // (URLSession refuses to send a body with GET.)
                let shape = method == "GET" ? 0 : random.next() % 4
                let body: Data? = switch shape {
                case 0: nil
                case 1: Data((0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                default: try JSONSerialization.data(withJSONObject: Self.value(depth: 0, &random), options: [.fragmentsAllowed])
                }
                // A third of the requests come from someone who is not in the chat, some with no token.
                let caller = switch random.next() % 4 {
                case 0: HTTPClient(baseURL: server.baseURL)
                case 1: bob.http
                default: alice.http
                }
                let target = Self.path(template, context, &random)
                guard URL(string: server.baseURL + target) != nil else { continue }
                let reply = try await caller.request(method, target, body: body, headers: headers)
                byClass[reply.status / 100, default: 0] += 1
                #expect(reply.status < 500, "case \(index): \(method) \(target) → \(reply.status) \(reply.text)")
                if reply.status >= 400 {
                    #expect((try? reply.errorReason())?.isEmpty == false, "case \(index): \(method) \(target) → \(reply.status) without a reason: \(reply.text)")
                }
            }
            // Raw mutations of a valid request: flipped, dropped and inserted bytes.
            let valid = Array("POST /chats/\(chat.id.uuidString)/messages HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(alice.token)\r\nContent-Type: application/json\r\nContent-Length: 60\r\nConnection: close\r\n\r\n{\"localId\": \"\(alice.id)+\(UUID().uuidString)\", \"text\": \"fuzz\"}".utf8)
            for index in 0..<150 {
                var bytes = valid
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let at = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes.remove(at: at)
                    default: bytes.insert(Self.pick([0, 10, 13, 32, 58, 255], &random), at: at)
                    }
                }
                let reply = try await RawHTTP.exchange(port: server.port, bytes, timeout: 10)
                let status = reply.status ?? 0
                byClass[status / 100, default: 0] += 1
                #expect(status < 500, "raw case \(index) → \(reply.headers)")
                if status >= 400 { #expect(reply.reason != nil, "raw case \(index) → \(status) without a reason") }
            }
            print("fuzz answers by status class: \(byClass.sorted { $0.key < $1.key }.map { "\($0.key)xx: \($0.value)" }.joined(separator: ", "))")
            // Still up (Alice herself may have been logged out by a random request).
            let fresh = try await TestUser.register("After", on: server)
            #expect(try await fresh.http.get(APIPath.me).status == 200)
        }
    }
}
