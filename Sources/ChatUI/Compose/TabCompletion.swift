/// What Tab does in the compose box, from the text before the cursor: complete the word being
/// typed — a member's `@name`, a `/command`, a path after `/attach`, `/save` and `/image` — and
/// otherwise say how to leave, never leave a draft behind (weechat, gomuks and iamb complete on
/// Tab; their users expected it here).
enum TabCompletion: Equatable {
    /// Replace the last `count` characters with `text`; `choices` are listed when several match.
    case replace(count: Int, text: String, choices: [String])
    /// A path: completed from the disk by the shell (`Effect.completePath`).
    case path(String)
    /// Nothing matches: the sentence to show.
    case nothing(String)

    /// The commands offered: every one in the help.
    static let commandNames: [String] = {
        var names: [String] = []
        for usage in commandHelp.map(\.usage) {
            for word in usage.split(separator: " ") where word.hasPrefix("/") && !names.contains(String(word)) {
                names.append(String(word))
            }
        }
        return names.sorted()
    }()

    static let pathCommands = ["/attach ", "/a ", "/save ", "/image "]

    /// `usernames`: the open chat's other members (nil with no chat open: commands only).
    static func complete(_ beforeCursor: String, usernames: [String]?) -> TabCompletion {
        if let command = pathCommands.first(where: { beforeCursor.hasPrefix($0) }) {
            return .path(String(beforeCursor.dropFirst(command.count)))
        }
        let word = String(beforeCursor.reversed().prefix { !$0.isWhitespace }.reversed())
        if word.count == beforeCursor.count, word.hasPrefix("/"), !word.hasPrefix("//") {
            let matches = commandNames.filter { $0.hasPrefix(word.lowercased()) }
            return choose(word, matches, none: "No command starts with \(word).")
        }
        if word.hasPrefix("@"), let usernames {
            let typed = word.dropFirst().lowercased()
            let matches = usernames.filter { $0.lowercased().hasPrefix(typed) }.sorted().map { "@" + $0 }
            return choose(word, matches, none: word == "@" ? "Nobody else is in this chat." : "No one here is called \(word)….")
        }
        return .nothing("Tab completes @names and /commands here; Shift-Tab or Esc leaves the compose box.")
    }

    /// One match is taken whole (and a space after it); several fill what they share.
    static func choose(_ word: String, _ matches: [String], none: String) -> TabCompletion {
        guard let first = matches.first else { return .nothing(none) }
        if matches.count == 1 { return .replace(count: word.count, text: first + " ", choices: []) }
        let common = matches.dropFirst().reduce(first) { String($0.commonPrefix(with: $1)) }
        return .replace(count: word.count, text: common.count > word.count ? common : word, choices: matches)
    }
}
