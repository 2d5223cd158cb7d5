/// A `/command` typed in the compose box.
public enum Command: Equatable, Sendable {
    case attach(path: String)
    case archive(Bool)
    case mute(Bool)
    case removeFromDevice
    case rename(String)
    case add([String])
    case kick([String])
    case blockChat(Bool)
    case blockUser(String, Bool)
    case blocked
    case clear
    case delete
    case leave
    case newChat(String)
    case group(title: String, users: [String])
    case edit(String)
    case deleteLast
    case retry
    case discard
    /// The `back`-th newest attachment (1: the newest), to `path` or the downloads folder.
    case save(back: Int, path: String?)
    case image(String)
    case removeImage
    case name(String)
    case about(String)
    case password
    case device(String)
    case logout
    case reconnect
    case showArchived
    case doNotDisturb
    case nextUnread
    case search(String)
    case settings
    case help
    case quit
}

/// Every command with its arguments and what it does: the `?` overlay and the README list these.
public let commandHelp: [(usage: String, summary: String)] = [
    ("/attach PATH", "send a file (Tab completes the path)"),
    ("/new USER", "open (or start) a personal chat"),
    ("/group TITLE @USER @USER…", "start a group chat"),
    ("/me TEXT", "say what you do: shown as * You TEXT"),
    ("/edit TEXT", "edit your last message here"),
    ("/del", "delete your last message here"),
    ("/retry  /discard", "retry or drop your last failed message"),
    ("/save [N] [PATH]", "save the newest (or Nth newest) attachment, into Downloads or PATH; again: cancel"),
    ("/rename TITLE", "rename this group"),
    ("/add USER…  /kick USER…", "add or remove members"),
    ("/blockuser USER  /unblockuser USER", "who may post here"),
    ("/blocked", "list who is blocked here"),
    ("/archive /unarchive /mute /unmute", "your flags for this chat"),
    ("/remove", "remove this chat from this device"),
    ("/block  /unblock", "block this chat (a group: leave for good)"),
    ("/clear  /delete  /leave", "clear, delete the chat, leave a group"),
    ("/image PATH  /rmimage", "set or remove the chat's image"),
    ("/name NAME  /about TEXT", "your profile"),
    ("/password  /device NAME", "your password (asked without showing it), this device's name"),
    ("/archived", "show archived chats or the main list"),
    ("/reconnect", "drop the connection and connect again now (our server sends what was missed meanwhile)"),
    ("/search TEXT", "search every chat (Ctrl-F; in a chat, Ctrl-F searches it): from: in: before: after: has:file \"phrase\" word*"),
    ("/unread  /dnd", "open the next unread chat; do not disturb (only mentions ring) on or off"),
    ("/settings  /logout  /help  /quit", ""),
]

public enum CommandParser {
    /// Parses a line that starts with `/`; a wrong one answers the sentence to show.
    public static func parse(_ line: String) -> Result<Command, CommandError> {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let name = trimmed.prefix { $0 != " " }.dropFirst().lowercased()
        let rest = trimmed.drop { $0 != " " }.trimmingCharacters(in: .whitespaces)
        let words = rest.split(separator: " ").map { $0.hasPrefix("@") ? String($0.dropFirst()) : String($0) }
        func needs(_ usage: String, _ ok: Bool, _ command: @autoclosure () -> Command) -> Result<Command, CommandError> {
            ok ? .success(command()) : .failure(CommandError(message: "Usage: \(usage)"))
        }
        switch name {
        case "attach", "a": return needs("/attach PATH", !rest.isEmpty, .attach(path: rest))
        case "archive": return .success(.archive(true))
        case "unarchive": return .success(.archive(false))
        case "mute": return .success(.mute(true))
        case "unmute": return .success(.mute(false))
        case "remove": return .success(.removeFromDevice)
        case "rename", "title": return needs("/rename TITLE", !rest.isEmpty, .rename(rest))
        case "add", "invite": return needs("/add USER…", !words.isEmpty, .add(words))
        case "kick": return needs("/kick USER…", !words.isEmpty, .kick(words))
        case "block": return .success(.blockChat(true))
        case "unblock": return .success(.blockChat(false))
        case "blockuser": return needs("/blockuser USER", words.count == 1, .blockUser(words.first ?? "", true))
        case "unblockuser": return needs("/unblockuser USER", words.count == 1, .blockUser(words.first ?? "", false))
        case "blocked": return .success(.blocked)
        case "clear": return .success(.clear)
        case "delete": return .success(.delete)
        case "leave": return .success(.leave)
        case "new", "msg", "query": return needs("/new USER", words.count == 1, .newChat(words.first ?? ""))
        case "group":
            let users = rest.split(separator: " ").filter { $0.hasPrefix("@") }.map { String($0.dropFirst()) }
            let title = rest.split(separator: " ").filter { !$0.hasPrefix("@") }.joined(separator: " ")
            return needs("/group TITLE @USER @USER…", !users.isEmpty && !title.isEmpty, .group(title: title, users: users))
        case "edit": return needs("/edit TEXT", !rest.isEmpty, .edit(rest))
        case "del": return .success(.deleteLast)
        case "retry": return .success(.retry)
        case "discard": return .success(.discard)
        case "save":
            let first = rest.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            if let back = Int(first), back >= 1 {
                let path = rest.dropFirst(first.count).trimmingCharacters(in: .whitespaces)
                return .success(.save(back: back, path: path.isEmpty ? nil : path))
            }
            return .success(.save(back: 1, path: rest.isEmpty ? nil : rest))
        case "image": return needs("/image PATH", !rest.isEmpty, .image(rest))
        case "rmimage": return .success(.removeImage)
        case "name", "nick": return needs("/name NAME", !rest.isEmpty, .name(rest))
        case "about": return .success(.about(rest))
        // The passwords are asked in a masked prompt, never typed into the compose box.
        case "password": return .success(.password)
        case "device": return needs("/device NAME", !rest.isEmpty, .device(rest))
        case "logout": return .success(.logout)
        case "archived": return .success(.showArchived)
        case "reconnect": return .success(.reconnect)
        case "dnd": return .success(.doNotDisturb)
        case "unread": return .success(.nextUnread)
        case "search", "find": return .success(.search(rest))
        case "settings": return .success(.settings)
        case "help", "?": return .success(.help)
        case "quit", "q": return .success(.quit)
        // With text, `/me` is sent as a message (ActionText) and never parsed here.
        case "me": return .failure(CommandError(message: "Usage: /me TEXT"))
        default: return .failure(CommandError(message: "Unknown command /\(name). Press ? for the list."))
        }
    }
}

public struct CommandError: Error, Equatable, Sendable {
    public var message: String
}

import Foundation
