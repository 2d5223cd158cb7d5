import ChatTestSupport
import ChatAPI
import Foundation
import Testing

@Suite struct ChatRouteTests {
    @Test(arguments: StorageBackend.available) func createPersonalAndGroupChats(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let carol = try await TestUser.register("Carol", on: server)

            let personal = try await alice.createChat(with: [bob], title: "ignored")
            #expect(personal.isPersonal)
            #expect(personal.title == nil)
            #expect(Set(personal.allUsers?.map(\.id) ?? []) == [alice.id, bob.id])
            #expect(personal.owner.id == alice.id)
            // Same participants and kind: the existing chat, from either side.
            #expect(try await alice.createChat(with: [bob]).id == personal.id)
            #expect(try await bob.createChat(with: [alice]).id == personal.id)

            let group = try await alice.createChat(with: [bob, carol], title: "Team")
            #expect(!group.isPersonal)
            #expect(group.title == "Team")
            #expect(try await carol.createChat(with: [alice, bob], title: "Other title").id == group.id)
            let pair = try await alice.createChat(with: [bob], title: "Pair", isPersonal: false)
            #expect(!pair.isPersonal && pair.id != personal.id)

            let tooMany = try await alice.http.post(APIPath.chats, CreateChatRequest(participants: [bob.id, carol.id], isPersonal: true))
            #expect(tooMany.status == 422)
            #expect(try tooMany.errorReason().contains("personal"))
            let alone = try await alice.http.post(APIPath.chats, CreateChatRequest(participants: [], isPersonal: true))
            #expect(alone.status == 422)
            let unknown = try await alice.http.post(APIPath.chats, CreateChatRequest(participants: [bob.id, 424242]))
            #expect(unknown.status == 404)
            #expect(try unknown.errorReason().contains("424242"))
            // The refused chat was not half-made.
            #expect(try await bob.http.get("\(APIPath.chats)?full=1").decode([ChatInfo].self).count == 3)
        }
    }

    @Test(arguments: StorageBackend.available) func listGetAndFullFlag(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let first = try await alice.createChat(with: [bob])
            let second = try await alice.createChat(with: [bob], title: "G", isPersonal: false)
            _ = try await alice.send("newest", in: first.id)
            let full = try await alice.http.get("\(APIPath.chats)?full=1").decode([ChatInfo].self)
            #expect(full.map(\.id) == [first.id, second.id])  // last activity first
            #expect(full[0].lastMessage?.text == "newest")
            #expect(full.allSatisfy { $0.allUsers != nil })
            let brief = try await alice.http.get(APIPath.chats).decode([ChatInfo].self)
            #expect(brief.allSatisfy { $0.allUsers == nil })
            let one = try await bob.http.get(APIPath.chat(second.id)).decode(ChatInfo.self)
            #expect(one.allUsers?.count == 2)
            #expect(try await bob.http.get(APIPath.chat(UUID())).status == 404)
            #expect(try await bob.http.get("/chats/not-a-uuid").status == 404)
            // Ids compare case-insensitively.
            #expect(try await bob.http.get("/chats/\(second.id.uuidString.lowercased())").status == 200)
        }
    }

    @Test(arguments: StorageBackend.available) func nonParticipantsGet404OnEveryChatRouteAnd403OnPosting(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let eve = try await TestUser.register("Eve", on: server)
            let chat = try await alice.createChat(with: [bob], title: "Secret", isPersonal: false)
            let message = try await alice.send("hi", in: chat.id)
            let id = chat.id
            let media = UUID()
            let calls: [(String, String, Data?)] = [
                ("GET", APIPath.chat(id), nil),
                ("PUT", APIPath.chat(id), Data(#"{"title":"x"}"#.utf8)),
                ("DELETE", APIPath.chat(id), nil),
                ("PUT", APIPath.chatSettings(id), Data(#"{"isMuted":true}"#.utf8)),
                ("POST", APIPath.chatImages(id), Data(#"{"image":{"id":"\#(media.uuidString)","fileType":"png","fileSize":1}}"#.utf8)),
                ("DELETE", APIPath.chatImage(id, media), nil),
                ("POST", APIPath.chatUsers(id), Data(#"{"users":[\#(eve.id)]}"#.utf8)),
                ("DELETE", APIPath.chatUsers(id), Data(#"{"users":[\#(bob.id)]}"#.utf8)),
                ("DELETE", APIPath.leaveChat(id), nil),
                ("DELETE", APIPath.messages(id), nil),
                ("PUT", APIPath.blockChat(id), nil),
                ("PUT", APIPath.unblockChat(id), nil),
                ("PUT", APIPath.blockUser(id, bob.id), nil),
                ("PUT", APIPath.unblockUser(id, bob.id), nil),
                ("GET", APIPath.blockedUsers(id), nil),
                ("GET", APIPath.messages(id), nil),
                ("PUT", APIPath.message(id, message.id), Data(#"{"text":"x"}"#.utf8)),
                ("DELETE", APIPath.message(id, message.id), nil),
                ("PUT", APIPath.readMessage(id, message.id), nil),
                ("POST", APIPath.notify(id), Data(#"{"name":"typing_started","realm":"webSocket"}"#.utf8)),
            ]
            for (method, path, body) in calls {
                let reply = try await eve.http.request(method, path, body: body)
                #expect(reply.status == 404, "\(method) \(path) answered \(reply.status)")
                #expect(try reply.errorReason().isEmpty == false)
            }
            let post = try await eve.http.post(APIPath.messages(id), PostMessageRequest(localId: LocalID.make(author: eve.id), text: "let me in"))
            #expect(post.status == 403)
            // Nothing Eve tried changed anything.
            let after = try await alice.http.get(APIPath.chat(id)).decode(ChatInfo.self)
            #expect(after.title == "Secret" && after.allUsers?.count == 2)
            #expect(try await alice.http.get(APIPath.messages(id)).decode([MessageInfo].self).map(\.text) == ["hi"])
        }
    }

    @Test(arguments: StorageBackend.available) func renameSettingsAndRemoveFromDevice(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let personal = try await alice.createChat(with: [bob])
            let renamePersonal = try await alice.http.put(APIPath.chat(personal.id), UpdateChatRequest(title: "x"))
            #expect(renamePersonal.status == 400)
            let group = try await alice.createChat(with: [bob], title: "Old", isPersonal: false)
            // [ours] any participant may rename a group.
            let renamed = try await bob.http.put(APIPath.chat(group.id), UpdateChatRequest(title: "New")).decode(ChatInfo.self)
            #expect(renamed.title == "New")
            #expect(try await bob.http.put(APIPath.chat(group.id), UpdateChatRequest(title: "  ")).status == 400)

            let muted = try await bob.http.put(APIPath.chatSettings(group.id), ChatSettingsRequest(isMuted: true, isArchived: true)).decode(ChatInfo.self)
            #expect(muted.isMuted && muted.isArchived && !muted.isBlocked)
            // Flags are the caller's own.
            let alicesView = try await alice.http.get(APIPath.chat(group.id)).decode(ChatInfo.self)
            #expect(!alicesView.isMuted && !alicesView.isArchived)
            let unmuted = try await bob.http.put(APIPath.chatSettings(group.id), ChatSettingsRequest(isMuted: false)).decode(ChatInfo.self)
            #expect(!unmuted.isMuted && unmuted.isArchived)

            #expect(try await bob.http.put(APIPath.chatSettings(personal.id), ChatSettingsRequest(isRemovedOnDevice: true)).status == 200)
            #expect(try await bob.http.get(APIPath.chats).decode([ChatInfo].self).map(\.id) == [group.id])
            // A new message brings it back.
            _ = try await alice.send("are you there?", in: personal.id)
            #expect(Set(try await bob.http.get(APIPath.chats).decode([ChatInfo].self).map(\.id)) == [group.id, personal.id])
            // So does finding it again.
            #expect(try await bob.http.put(APIPath.chatSettings(personal.id), ChatSettingsRequest(isRemovedOnDevice: true)).status == 200)
            _ = try await bob.createChat(with: [alice])
            #expect(try await bob.http.get(APIPath.chats).decode([ChatInfo].self).count == 2)
        }
    }

    @Test(arguments: StorageBackend.available) func membershipRules(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let owner = try await TestUser.register("Owner", on: server)
            let member = try await TestUser.register("Member", on: server)
            var others: [TestUser] = []
            for index in 0..<11 { others.append(try await TestUser.register("User\(index)", on: server)) }
            let personal = try await owner.createChat(with: [member])
            #expect(try await owner.http.post(APIPath.chatUsers(personal.id), ChatUsersRequest(users: [others[0].id])).status == 400)
            #expect(try await owner.http.request("DELETE", APIPath.chatUsers(personal.id), json: ChatUsersRequest(users: [member.id])).status == 400)
            #expect(try await owner.http.delete(APIPath.leaveChat(personal.id)).status == 400)

            let group = try await owner.createChat(with: [member], title: "G", isPersonal: false)
            let eleven = try await member.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: others.map(\.id)))
            #expect(eleven.status == 400)
            #expect(try eleven.errorReason().contains("10"))
            #expect(try await member.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [])).status == 400)
            #expect(try await member.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [424242])).status == 404)
            // [ours] any participant may add people.
            let added = try await member.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: others.prefix(10).map(\.id))).decode(ChatInfo.self)
            #expect(added.addedUsers?.count == 10)
            #expect(added.allUsers?.count == 12)
            let noneNew = try await member.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [others[0].id]))
            #expect(noneNew.status == 400)

            // [ours] only the owner removes others; anyone may remove themselves.
            let refused = try await member.http.request("DELETE", APIPath.chatUsers(group.id), json: ChatUsersRequest(users: [others[0].id]))
            #expect(refused.status == 403)
            let removed = try await owner.http.request("DELETE", APIPath.chatUsers(group.id), json: ChatUsersRequest(users: [others[0].id])).decode(ChatInfo.self)
            #expect(removed.removedUsers?.map(\.id) == [others[0].id])
            #expect(try await others[0].http.get(APIPath.chat(group.id)).status == 404)
            #expect(try await others[1].http.request("DELETE", APIPath.chatUsers(group.id), json: ChatUsersRequest(users: [others[1].id])).status == 200)
            #expect(try await others[2].http.delete(APIPath.leaveChat(group.id)).status == 200)
            #expect(try await others[2].http.get(APIPath.chat(group.id)).status == 404)

            // [ours] only the owner deletes; when the owner leaves, ownership passes on.
            #expect(try await member.http.delete(APIPath.chat(group.id)).status == 403)
            #expect(try await owner.http.delete(APIPath.leaveChat(group.id)).status == 200)
            let afterLeave = try await member.http.get(APIPath.chat(group.id)).decode(ChatInfo.self)
            #expect(afterLeave.owner.id == member.id)
            #expect(try await member.http.delete(APIPath.chat(group.id)).status == 200)
            #expect(try await member.http.get(APIPath.chat(group.id)).status == 404)
            // Either side may delete a personal chat.
            #expect(try await member.http.delete(APIPath.chat(personal.id)).status == 200)
            #expect(try await owner.http.get(APIPath.chat(personal.id)).status == 404)
        }
    }

    @Test(arguments: StorageBackend.available) func blockingChatsAndUsers(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let carol = try await TestUser.register("Carol", on: server)

            let group = try await alice.createChat(with: [bob, carol], title: "G", isPersonal: false)
            #expect(try await alice.http.put(APIPath.blockUser(group.id, bob.id)).status == 200)
            let blockedPost = try await bob.http.post(APIPath.messages(group.id), PostMessageRequest(localId: LocalID.make(author: bob.id), text: "hi"))
            #expect(blockedPost.status == 403)
            #expect(try blockedPost.errorReason().contains("blocked"))
            #expect(try await carol.http.get(APIPath.blockedUsers(group.id)).decode([UserInfo].self).map(\.id) == [bob.id])
            #expect(try await carol.http.put(APIPath.blockUser(group.id, alice.id)).status == 403)  // only the owner
            #expect(try await alice.http.put(APIPath.blockUser(group.id, alice.id)).status == 400)  // not yourself
            #expect(try await alice.http.put(APIPath.blockUser(group.id, 424242)).status == 404)
            #expect(try await alice.http.put(APIPath.unblockUser(group.id, bob.id)).status == 200)
            #expect(try await alice.http.get(APIPath.blockedUsers(group.id)).decode([UserInfo].self).isEmpty)
            _ = try await bob.send("back", in: group.id)

            // Blocking a group leaves it and keeps you from being added back.
            #expect(try await carol.http.put(APIPath.blockChat(group.id)).status == 200)
            #expect(try await carol.http.get(APIPath.chat(group.id)).status == 404)
            let addBack = try await alice.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [carol.id]))
            #expect(addBack.status == 403)
            #expect(try await carol.http.put(APIPath.unblockChat(group.id)).status == 200)
            #expect(try await alice.http.post(APIPath.chatUsers(group.id), ChatUsersRequest(users: [carol.id])).status == 200)

            // Blocking a personal chat stops the other side's messages.
            let personal = try await alice.createChat(with: [bob])
            #expect(try await bob.http.put(APIPath.blockChat(personal.id)).status == 200)
            #expect(try await bob.http.get(APIPath.chat(personal.id)).decode(ChatInfo.self).isBlocked)
            #expect(try await alice.http.post(APIPath.messages(personal.id), PostMessageRequest(localId: LocalID.make(author: alice.id), text: "hello?")).status == 403)
            #expect(try await bob.http.put(APIPath.unblockChat(personal.id)).status == 200)
            _ = try await alice.send("hello!", in: personal.id)
        }
    }

    @Test(arguments: StorageBackend.available) func clearMessages(_ backend: StorageBackend) async throws {
        try await withServer(on: backend) { server in
            let alice = try await TestUser.register("Alice", on: server)
            let bob = try await TestUser.register("Bob", on: server)
            let group = try await alice.createChat(with: [bob], title: "G", isPersonal: false)
            for index in 0..<5 { _ = try await bob.send("m\(index)", in: group.id) }
            #expect(try await bob.http.delete(APIPath.messages(group.id)).status == 403)
            #expect(try await alice.http.delete(APIPath.messages(group.id)).status == 200)
            #expect(try await bob.http.get(APIPath.messages(group.id)).decode([MessageInfo].self).isEmpty)
            #expect(try await bob.http.get(APIPath.chat(group.id)).decode(ChatInfo.self).lastMessage == nil)
        }
    }
}
