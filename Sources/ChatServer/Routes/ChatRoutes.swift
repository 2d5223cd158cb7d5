import ChatAPI
import Foundation
import Hummingbird

/// Section 4 of the spec: chats and messages.
enum ChatRoutes {
    static func add(to group: RouterGroup<ChatRequestContext>, chats: ChatService, messages: MessageService) {
        group.post(RouterPath(Routes.chats)) { request, context in
            let body = try await request.decodeJSON(CreateChatRequest.self, context: context)
            return JSONResponse(try await chats.create(try context.requireCaller(), body))
        }
        group.get(RouterPath(Routes.chats)) { request, context in
            let full = ["1", "true", "yes"].contains(request.uri.queryParameters.get("full")?.lowercased() ?? "")
            return JSONResponse(try await chats.list(try context.requireCaller(), full: full))
        }
        group.get(RouterPath(Routes.chat)) { _, context in
            JSONResponse(try await chats.get(try context.requireCaller(), try context.chatId()))
        }
        group.put(RouterPath(Routes.chat)) { request, context in
            let body = try await request.decodeJSON(UpdateChatRequest.self, context: context)
            return JSONResponse(try await chats.rename(try context.requireCaller(), try context.chatId(), body))
        }
        group.delete(RouterPath(Routes.chat)) { _, context in
            try await chats.delete(try context.requireCaller(), try context.chatId())
            return Response.ok
        }
        group.put(RouterPath(Routes.chatSettings)) { request, context in
            let body = try await request.decodeJSON(ChatSettingsRequest.self, context: context)
            return JSONResponse(try await chats.updateSettings(try context.requireCaller(), try context.chatId(), body))
        }
        group.post(RouterPath(Routes.chatImages)) { request, context in
            let body = try await request.decodeJSON(AddChatImageRequest.self, context: context)
            return JSONResponse(try await chats.addImage(try context.requireCaller(), try context.chatId(), body))
        }
        group.delete(RouterPath(Routes.chatImage)) { _, context in
            try await chats.removeImage(try context.requireCaller(), try context.chatId(), try context.mediaId())
            return Response.ok
        }
        group.post(RouterPath(Routes.chatUsers)) { request, context in
            let body = try await request.decodeJSON(ChatUsersRequest.self, context: context)
            return JSONResponse(try await chats.addUsers(try context.requireCaller(), try context.chatId(), body))
        }
        group.delete(RouterPath(Routes.chatUsers)) { request, context in
            let body = try await request.decodeJSON(ChatUsersRequest.self, context: context)
            return JSONResponse(try await chats.removeUsers(try context.requireCaller(), try context.chatId(), body))
        }
        group.delete(RouterPath(Routes.leaveChat)) { _, context in
            try await chats.leave(try context.requireCaller(), try context.chatId())
            return Response.ok
        }
        group.put(RouterPath(Routes.blockChat)) { _, context in
            try await chats.blockChat(try context.requireCaller(), try context.chatId())
            return Response.ok
        }
        group.put(RouterPath(Routes.unblockChat)) { _, context in
            try await chats.unblockChat(try context.requireCaller(), try context.chatId())
            return Response.ok
        }
        group.put(RouterPath(Routes.blockUser)) { _, context in
            try await chats.blockUser(try context.requireCaller(), try context.chatId(), try context.userId())
            return Response.ok
        }
        group.put(RouterPath(Routes.unblockUser)) { _, context in
            try await chats.unblockUser(try context.requireCaller(), try context.chatId(), try context.userId())
            return Response.ok
        }
        group.get(RouterPath(Routes.blockedUsers)) { _, context in
            JSONResponse(try await chats.blockedUsers(try context.requireCaller(), try context.chatId()))
        }
        group.post(RouterPath(Routes.notify)) { request, context in
            let body = try await request.decodeJSON(NotifyRequest.self, context: context)
            try await chats.notify(try context.requireCaller(), try context.chatId(), body)
            return Response.ok
        }
        addMessages(to: group, messages: messages, chats: chats)
    }

    private static func addMessages(to group: RouterGroup<ChatRequestContext>, messages: MessageService, chats: ChatService) {
        group.post(RouterPath(Routes.messages)) { request, context in
            let body = try await request.decodeJSON(PostMessageRequest.self, context: context)
            return JSONResponse(try await messages.post(try context.requireCaller(), try context.chatId(), body))
        }
        group.get(RouterPath(Routes.messages)) { request, context in
            let query = request.uri.queryParameters
            let count = try query.get("count").map { raw in
                guard let value = Int(raw) else { throw APIError.badRequest("count must be a whole number.") }
                return value
            }
            let before = try query.get("before").map { raw in
                guard let value = MessageID(raw) else { throw APIError.badRequest("before must be a message id.") }
                return value
            }
            return JSONResponse(try await messages.page(try context.requireCaller(), try context.chatId(), count: count, before: before))
        }
        group.delete(RouterPath(Routes.messages)) { _, context in
            try await chats.clearMessages(try context.requireCaller(), try context.chatId())
            return Response.ok
        }
        group.put(RouterPath(Routes.message)) { request, context in
            let body = try await request.decodeJSON(UpdateMessageRequest.self, context: context)
            return JSONResponse(try await messages.edit(try context.requireCaller(), try context.chatId(), try context.messageId(), body))
        }
        group.delete(RouterPath(Routes.message)) { _, context in
            JSONResponse(try await messages.delete(try context.requireCaller(), try context.chatId(), try context.messageId()))
        }
        group.put(RouterPath(Routes.readMessage)) { _, context in
            try await messages.markRead(try context.requireCaller(), try context.chatId(), try context.messageId())
            return Response.ok
        }
    }
}
