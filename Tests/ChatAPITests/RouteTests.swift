import ChatAPI
import Foundation
import Testing

/// One table of routes: the pattern the server matches and the path the client prints.
@Suite struct RouteTests {
    @Test func aRoutePrintsItsPathWithTheValuesInTheParametersPlaces() {
        let chat = UUID(uuidString: "6F9619FF-8B86-D011-B42D-00CF4FC964FF")!
        #expect(Routes.readMessage.pattern == "chats/:chatId/messages/:messageId/read")
        #expect(Routes.readMessage.parameters == ["chatId", "messageId"])
        #expect(Routes.readMessage.path(chat.uuidString, 42) == "/chats/6F9619FF-8B86-D011-B42D-00CF4FC964FF/messages/42/read")
        #expect(APIPath.readMessage(chat, 42) == Routes.readMessage.path(chat.uuidString, 42))
        #expect(APIPath.blockUser(chat, 7) == "/chats/6F9619FF-8B86-D011-B42D-00CF4FC964FF/users/7/block")
        #expect(APIPath.me == "/users/me")
        #expect(APIPath.events(chat) == "/6F9619FF-8B86-D011-B42D-00CF4FC964FF")
        #expect(Routes.users.parameters.isEmpty)
    }
}
