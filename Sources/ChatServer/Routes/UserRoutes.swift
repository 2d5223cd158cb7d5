import ChatAPI
import Foundation
import Hummingbird

/// Section 3 of the spec: users and sessions. Routes decode and delegate; rules live in
/// `AccountService`.
enum UserRoutes {
    static func addPublic(to router: Router<ChatRequestContext>, accounts: AccountService) {
        router.post(RouterPath(Routes.users)) { request, context in
            let body = try await request.decodeJSON(RegisterRequest.self, context: context)
            return JSONResponse(try await accounts.register(body, ipAddress: context.remoteAddress))
        }
        router.post(RouterPath(Routes.login)) { request, context in
            guard let (username, password) = basicCredentials(request.headers[.authorization]) else {
                throw APIError.unauthorized("Log in with an Authorization: Basic header (username:password).")
            }
            let body = try await request.decodeJSON(LoginRequest.self, context: context)
            return JSONResponse(try await accounts.login(
                username: username, password: password, device: body.deviceInfo, ipAddress: context.remoteAddress
            ))
        }
    }

    static func addAuthenticated(to group: RouterGroup<ChatRequestContext>, accounts: AccountService) {
        group.get(RouterPath(Routes.me)) { _, context in
            JSONResponse(try await accounts.me(try context.requireCaller()))
        }
        group.put(RouterPath(Routes.me)) { request, context in
            let body = try await request.decodeJSON(UpdateProfileRequest.self, context: context)
            return JSONResponse(try await accounts.updateProfile(try context.requireCaller(), body))
        }
        group.post(RouterPath(Routes.logout)) { _, context in
            try await accounts.logout(try context.requireCaller())
            return Response.ok
        }
        group.put(RouterPath(Routes.changePassword)) { request, context in
            let body = try await request.decodeJSON(ChangePasswordRequest.self, context: context)
            try await accounts.changePassword(try context.requireCaller(), body)
            return Response.ok
        }
        group.get(RouterPath(Routes.sessions)) { _, context in
            JSONResponse(try await accounts.sessions(try context.requireCaller()))
        }
        group.delete(RouterPath(Routes.session)) { _, context in
            guard let id = context.parameters.get("sessionId").flatMap(UUID.init(uuidString:)) else {
                throw APIError.badRequest("A session id is a UUID, as GET /users/me/sessions lists them.")
            }
            try await accounts.endSession(try context.requireCaller(), id: id)
            return Response.ok
        }
        group.put(RouterPath(Routes.device)) { request, context in
            let body = try await request.decodeJSON(UpdateDeviceRequest.self, context: context)
            try await accounts.updateDevice(try context.requireCaller(), body)
            return Response.ok
        }
        group.get(RouterPath(Routes.user)) { _, context in
            JSONResponse(try await accounts.user(id: try context.userId()))
        }
        group.get(RouterPath(Routes.users)) { request, _ in
            JSONResponse(try await accounts.search(request.uri.queryParameters.get("s") ?? ""))
        }
    }

    /// `Basic base64(username:password)` → the pair, or nil if the header is not that.
    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.prefix(6).lowercased() == "basic ",
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"),
              // SQLite and bcrypt would read a NUL as the end ("alice\0junk" as "alice").
              !text.unicodeScalars.contains("\0")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
