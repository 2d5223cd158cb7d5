@testable import ChatAPI
import Foundation
import Testing

/// Every wire type against JSON written by hand with the spec's field names, both ways.
@Suite struct GoldenJSONTests {
    let decoder = JSONDecoder.chatAPI()
    let encoder = JSONEncoder.chatAPI()
    let chatId = UUID(uuidString: "0F0E0D0C-0B0A-0908-0706-050403020100")!
    let mediaId = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
    let date = Date(timeIntervalSince1970: 1_795_568_578)  // 2026-11-25T01:02:58Z

    func roundTrip<T: Codable & Equatable>(_ value: T, _ json: String) throws {
        let encoded = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(encoded == json)
        #expect(try decoder.decode(T.self, from: Data(json.utf8)) == value)
    }

    var alice: UserInfo { UserInfo(id: 1, name: "Alice", username: "alice1") }

    @Test func dates() throws {
        #expect(WireDate.format(date) == "2026-11-25T01:02:58Z")
        #expect(WireDate.parse("2026-11-25T01:02:58Z") == date)
        #expect(WireDate.parse("2026-11-25T01:02:58.500Z") == date.addingTimeInterval(0.5))
        #expect(WireDate.parse("yesterday") == nil)
        // The hand-read form agrees with the format style, day by day across leap years and
        // at every fraction length; what it does not read falls through to the style.
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        for day in stride(from: -800, to: 20_000, by: 7) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400 + 3_723.25)
            let text = WireDate.format(date)
            #expect(WireDate.parseUTC(text) == (try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt))), "\(text)")
            let fractional = date.formatted(style)
            #expect(WireDate.parseUTC(fractional) == (try? Date(fractional, strategy: style)), "\(fractional)")
        }
        #expect(WireDate.parseUTC("2024-02-29T23:59:59.123456Z") == Date(timeIntervalSince1970: 1_709_251_199.123456))
        #expect(WireDate.parseUTC("2023-02-29T00:00:00Z") == nil)
        #expect(WireDate.parseUTC("2026-11-25T01:02:58+01:00") == nil)
        #expect(WireDate.parse("2026-11-25T02:02:58+01:00") == date)
        #expect(WireDate.parseUTC("2026-11-25T01:02:58.Z") == nil)
        #expect(WireDate.parseUTC("2026-13-25T01:02:58Z") == nil)
    }

    @Test func upstreamNumericDatesDecode() throws {
        let json = #"{"id":1,"user":{"id":1,"name":"Alice","username":"alice1"},"createdAt":817261378.637}"#
            .replacingOccurrences(of: #""id":1,"user""#, with: #""id":"\#(mediaId.uuidString)","user""#)
        let mark = try decoder.decode(ReadMark.self, from: Data(json.utf8))
        #expect(abs(mark.createdAt.timeIntervalSinceReferenceDate - 817_261_378.637) < 0.001)
    }

    @Test func userInfo() throws {
        try roundTrip(alice, #"{"id":1,"name":"Alice","username":"alice1"}"#)
        var full = alice
        full.about = "hi"
        full.lastSeen = date
        full.photos = [MediaInfo(id: mediaId, fileType: "png", fileSize: 10)]
        try roundTrip(full, #"{"about":"hi","id":1,"lastSeen":"2026-11-25T01:02:58Z","name":"Alice","photos":[{"fileSize":10,"fileType":"png","id":"11111111-2222-3333-4444-555555555555"}],"username":"alice1"}"#)
    }

    @Test func privateUserInfoAndSessions() throws {
        let device = DeviceInfo(id: mediaId, name: "laptop", model: "tmux", token: "", transport: "none")
        let session = DeviceSession(id: chatId, accessToken: "tok", ipAddress: "127.0.0.1", createdAt: date, updatedAt: date, deviceInfo: device)
        let info = PrivateUserInfo(info: alice, deviceSessions: [session])
        try roundTrip(info, #"{"deviceSessions":[{"accessToken":"tok","createdAt":"2026-11-25T01:02:58Z","deviceInfo":{"id":"11111111-2222-3333-4444-555555555555","model":"tmux","name":"laptop","token":"","transport":"none"},"id":"0F0E0D0C-0B0A-0908-0706-050403020100","ipAddress":"127.0.0.1","updatedAt":"2026-11-25T01:02:58Z"}],"info":{"id":1,"name":"Alice","username":"alice1"}}"#)
        #expect(info.session(for: mediaId)?.accessToken == "tok")
    }

    @Test func loginBodyAcceptsBothForms() throws {
        let bare = #"{"id":"11111111-2222-3333-4444-555555555555","model":"m","name":"n","token":"","transport":"none"}"#
        let wrapped = #"{"deviceInfo":\#(bare)}"#
        let a = try decoder.decode(LoginRequest.self, from: Data(bare.utf8))
        let b = try decoder.decode(LoginRequest.self, from: Data(wrapped.utf8))
        #expect(a == b)
        #expect(a.deviceInfo.id == mediaId)
        #expect(String(decoding: try encoder.encode(a), as: UTF8.self) == bare)
    }

    @Test func uuidsDecodeCaseInsensitively() throws {
        let lower = #"{"id":"0f0e0d0c-0b0a-0908-0706-050403020100"}"#
        #expect(try decoder.decode(ChatReference.self, from: Data(lower.utf8)).id == chatId)
    }

    @Test func messageInfo() throws {
        let message = MessageInfo(
            id: 7, localId: "1+\(mediaId.uuidString)", chatId: chatId, authorId: 1, text: "hi", createdAt: date,
            updatedAt: date, editedAt: date, isVisible: true,
            attachments: [MediaInfo(id: mediaId, fileType: "png", fileSize: 3, fileExists: true, previewExists: false)],
            readMarks: [ReadMark(id: mediaId, user: alice, createdAt: date)]
        )
        try roundTrip(message, #"{"attachments":[{"fileExists":true,"fileSize":3,"fileType":"png","id":"11111111-2222-3333-4444-555555555555","previewExists":false}],"authorId":1,"chatId":"0F0E0D0C-0B0A-0908-0706-050403020100","createdAt":"2026-11-25T01:02:58Z","editedAt":"2026-11-25T01:02:58Z","id":7,"isVisible":true,"localId":"1+11111111-2222-3333-4444-555555555555","readMarks":[{"createdAt":"2026-11-25T01:02:58Z","id":"11111111-2222-3333-4444-555555555555","user":{"id":1,"name":"Alice","username":"alice1"}}],"text":"hi","updatedAt":"2026-11-25T01:02:58Z"}"#)
    }

    @Test func chatInfo() throws {
        let chat = ChatInfo(id: chatId, title: "Team", isPersonal: false, owner: alice, allUsers: [alice], isMuted: true)
        try roundTrip(chat, #"{"allUsers":[{"id":1,"name":"Alice","username":"alice1"}],"id":"0F0E0D0C-0B0A-0908-0706-050403020100","isArchived":false,"isBlocked":false,"isMuted":true,"isPersonal":false,"owner":{"id":1,"name":"Alice","username":"alice1"},"title":"Team"}"#)
        // A terse reply without the caller's flags still decodes.
        let terse = #"{"id":"0F0E0D0C-0B0A-0908-0706-050403020100","isPersonal":true,"owner":{"id":1,"name":"Alice","username":"alice1"}}"#
        let decoded = try decoder.decode(ChatInfo.self, from: Data(terse.utf8))
        #expect(decoded.isMuted == false && decoded.isArchived == false && decoded.isBlocked == false)
    }

    @Test func requests() throws {
        try roundTrip(RegisterRequest(name: "A", username: "alice1", password: "password1", deviceInfo: DeviceInfo(id: mediaId, name: "n", model: "m")),
                      #"{"deviceInfo":{"id":"11111111-2222-3333-4444-555555555555","model":"m","name":"n","token":"","transport":"none"},"name":"A","password":"password1","username":"alice1"}"#)
        try roundTrip(UpdateProfileRequest(name: "B"), #"{"name":"B"}"#)
        try roundTrip(ChangePasswordRequest(oldPassword: "a", newPassword: "b"), #"{"newPassword":"b","oldPassword":"a"}"#)
        try roundTrip(UpdateDeviceRequest(deviceName: "d", deviceToken: "t"), #"{"deviceName":"d","deviceToken":"t"}"#)
        try roundTrip(CreateChatRequest(title: "T", participants: [2, 3], isPersonal: false), #"{"isPersonal":false,"participants":[2,3],"title":"T"}"#)
        try roundTrip(UpdateChatRequest(title: "T"), #"{"title":"T"}"#)
        try roundTrip(ChatSettingsRequest(isMuted: true, isArchived: false, isRemovedOnDevice: true), #"{"isArchived":false,"isMuted":true,"isRemovedOnDevice":true}"#)
        try roundTrip(AddChatImageRequest(image: MediaInfo(id: mediaId, fileType: "png", fileSize: 1)), #"{"image":{"fileSize":1,"fileType":"png","id":"11111111-2222-3333-4444-555555555555"}}"#)
        try roundTrip(ChatUsersRequest(users: [1, 2]), #"{"users":[1,2]}"#)
        try roundTrip(PostMessageRequest(localId: "1+x", text: "hi", isVisible: true, attachment: AttachmentRequest(fileType: "png", fileSize: 100000)),
                      #"{"attachment":{"fileSize":100000,"fileType":"png"},"isVisible":true,"localId":"1+x","text":"hi"}"#)
        try roundTrip(UpdateMessageRequest(text: "x", isVisible: true, fileExists: false, previewExists: false), #"{"fileExists":false,"isVisible":true,"previewExists":false,"text":"x"}"#)
        try roundTrip(NotifyRequest(name: "typing_started", realm: .webSocket), #"{"name":"typing_started","realm":"webSocket"}"#)
        try roundTrip(ErrorBody(reason: "No."), #"{"error":true,"reason":"No."}"#)
    }
}
