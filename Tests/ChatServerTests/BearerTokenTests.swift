@testable import ChatServer
import Testing

/// The `Authorization` header's token: the scheme in any case, spaces and tabs around the
/// token trimmed, nothing else taken.
@Suite struct BearerTokenTests {
    @Test func theTokenIsWhatFollowsTheSchemeWithoutSpacesOrTabsAround() {
        #expect(AuthMiddleware.bearerToken("Bearer abc") == "abc")
        #expect(AuthMiddleware.bearerToken("bearer abc") == "abc")
        #expect(AuthMiddleware.bearerToken("BEARER \t abc \t ") == "abc")
        // Inside the token nothing is changed (such a token is then unknown: 401).
        #expect(AuthMiddleware.bearerToken("Bearer a b") == "a b")
    }

    @Test func aHeaderWithoutATokenGivesNone() {
        #expect(AuthMiddleware.bearerToken(nil) == nil)
        #expect(AuthMiddleware.bearerToken("") == nil)
        #expect(AuthMiddleware.bearerToken("Bearer") == nil)
        #expect(AuthMiddleware.bearerToken("Bearer ") == nil)
        #expect(AuthMiddleware.bearerToken("Bearer  \t  ") == nil)
        #expect(AuthMiddleware.bearerToken("Basic abc") == nil)
        #expect(AuthMiddleware.bearerToken("Bearerabc") == nil)
    }
}
