import TerminalUI

/// The key table, generated from the key map: the help overlay, the hints and the README's
/// table all come from here, so a rebound key is shown as it is bound.
public struct KeyHelpRow: Sendable {
    /// Fixed keys written before the bound ones ("Tab / Shift-Tab", "↑ ↓ or").
    public var before: String?
    /// Bound keys, by their config.toml names (`KeyMap.names`).
    public var bound: [String]
    /// Fixed keys written after ("or F1").
    public var after: String?
    public var place: String
    public var what: String
    /// The overlay's shorter line, where `what` is long.
    public var summary: String

    init(_ before: String? = nil, _ bound: [String] = [], _ after: String? = nil,
         place: String, _ what: String, summary: String? = nil) {
        self.before = before
        self.bound = bound
        self.after = after
        self.place = place
        self.what = what
        self.summary = summary ?? what
    }

    /// The keys as a person types them with `keys` bound; markdown puts the bound ones in code.
    public func keysText(_ keys: KeyMap, markdown: Bool) -> String {
        let names = KeyMap.names
        let bound = self.bound.compactMap { names[$0].map { keys[keyPath: $0] } }.map { markdown ? "`\($0)`" : String($0) }
        return ([before] + bound + [after]).compactMap { $0 }.joined(separator: " ")
    }
}

public enum KeyHelp {
    public static let rows: [KeyHelpRow] = [
        KeyHelpRow("Tab / Shift-Tab", place: "anywhere", "move between chat list, compose box, conversation, settings (with text in the compose box, Tab completes @names, /commands and paths)", summary: "move between panes; in a draft: complete"),
        KeyHelpRow("↑ ↓ or", ["up", "down"], place: "list, conversation", "move; scroll", summary: "move, scroll"),
        KeyHelpRow(nil, ["top", "bottom"], place: "list, conversation", "to the top: in a conversation its first message, fetching what the cache lacks in the background (the header counts it; any key stops it) / to the newest",
                   summary: "first message / newest"),
        KeyHelpRow("PgUp PgDn", place: "conversation, compose", "scroll a page"),
        KeyHelpRow("Enter", place: "list / compose", "open the chat / send", summary: "open chat / send"),
        KeyHelpRow("Alt-Enter or Ctrl-N", place: "compose", "new line", summary: "new line in a message"),
        KeyHelpRow("↑ ↓", place: "compose", "move between the lines of a multi-line draft; in an empty box, recall what you sent here before",
                   summary: "lines of a draft; earlier input"),
        KeyHelpRow("paste", place: "anywhere", "goes into the compose box as one text, newlines kept; never sent by itself (also where the terminal does not mark pastes: lines that arrive together are one paste)",
                   summary: "into the compose box, never sent"),
        KeyHelpRow("← → Home End, Ctrl-W, Ctrl-U", place: "compose", "edit (by character, CJK and emoji included)", summary: "edit the draft"),
        KeyHelpRow("Ctrl-E", place: "compose", "write the message in `$VISUAL` / `$EDITOR`", summary: "write the message in $EDITOR"),
        KeyHelpRow("Esc", place: "compose, conversation", "back to the chat list (the draft is kept, per chat)", summary: "back to the chat list"),
        KeyHelpRow("← or", ["back"], place: "conversation, settings", "back to the chat list"),
        KeyHelpRow(nil, ["new_chat"], place: "list", "new chat: search people; Enter for a personal chat, Space to pick several for a group",
                   summary: "new chat (search people)"),
        KeyHelpRow(nil, ["archive", "mute", "remove"], place: "list", "archive/unarchive, mute/unmute, remove from this device",
                   summary: "archive, mute, remove from device"),
        KeyHelpRow(nil, ["show_archive"], place: "list", "show the archive / the main list"),
        KeyHelpRow(nil, ["settings"], place: "list, conversation", "settings of the selected chat and of your account",
                   summary: "settings of the chat and your account"),
        KeyHelpRow(nil, ["compose", "command", "attach"], place: "list, conversation", "write; write a command; attach a file (`/attach `)",
                   summary: "write; a command; attach a file"),
        KeyHelpRow(nil, ["edit_last", "delete_last"], place: "conversation", "edit / delete your last message", summary: "edit, delete your last message"),
        KeyHelpRow(nil, ["retry", "discard"], place: "conversation", "retry / discard a failed (or queued) message",
                   summary: "retry, discard a failed message"),
        KeyHelpRow(nil, ["save_attachment"], place: "conversation",
                   "save the newest attachment under its own name into `$XDG_DOWNLOAD_DIR` (else `~/Downloads`), never over an existing file (`name (1).txt`); again while it downloads: cancel",
                   summary: "save the newest attachment"),
        KeyHelpRow("Enter or", ["select"], place: "conversation", "select a message (the newest first): ↑ ↓ PgUp PgDn g G move, Enter shows a long (folded) one whole or folds it, Esc leaves",
                   summary: "select a message (Esc leaves)"),
        KeyHelpRow(nil, ["reply", "edit_selected", "delete_selected"], place: "selection",
                   "reply with a quote of it; edit, delete it (your own)", summary: "reply; edit, delete yours"),
        KeyHelpRow(nil, ["save_selected", "open_selected", "copy_selected", "details"], place: "selection",
                   "save its attachment under its name; open it (`$TERMCHAT_OPENER`, else `xdg-open`); copy its text (OSC 52); details: times, delivery, who read it and when",
                   summary: "save, open, copy, details"),
        KeyHelpRow(nil, ["links"], place: "selection", "its web addresses, numbered: a number (or ↑ ↓ Enter) opens one with the opener",
                   summary: "its links: a number opens one"),
        KeyHelpRow("Alt-a or", ["next_unread"], place: "anywhere (the letter: not in compose)",
                   "the next chat with unread messages, the most recent first, muted ones last", summary: "next unread chat"),
        KeyHelpRow(nil, ["do_not_disturb"], place: "list, conversation", "do not disturb: only mentions of you ring (`/dnd`)",
                   summary: "do not disturb (mentions still ring)"),
        KeyHelpRow("Ctrl-F", place: "anywhere", "search every cached message (from a conversation: that chat); Enter opens the chat at the hit, selected",
                   summary: "search (in a chat: that chat)"),
        KeyHelpRow(nil, ["next_hit", "previous_hit"], place: "conversation, after a search", "the next (older) / previous search hit in the chat",
                   summary: "next / previous search hit"),
        KeyHelpRow("click, wheel", place: "list, conversation",
                   "click a chat to open it, a message to select it, the compose box to write; the wheel scrolls the pane under the pointer; shift-click selects text as usual (`[mouse] enabled`)",
                   summary: "mouse: click to open, select, write; wheel scrolls"),
        KeyHelpRow("Ctrl-K", place: "anywhere", "go to a chat or person by a few letters (a person with no chat gets one)", summary: "go to a chat or person"),
        KeyHelpRow("letters", place: "list", "a letter that is not a list key filters the list by name; Esc clears", summary: "filter the list"),
        KeyHelpRow(nil, ["help"], "or F1", place: "not in compose", "this list and every command", summary: "this help"),
        KeyHelpRow("Ctrl-Z", place: "anywhere", "suspend to the shell (the draft stays); `fg` brings termchat back", summary: "suspend (fg to return)"),
        KeyHelpRow(nil, ["quit"], "or Ctrl-C", place: "", "quit (SIGTERM, SIGINT and SIGHUP also quit cleanly)", summary: "quit"),
    ]

    /// The overlay's lines: keys as bound, and the short summary.
    public static func overlayLines(_ keys: KeyMap) -> [(String, String)] {
        rows.map { ($0.keysText(keys, markdown: false), $0.summary) }
    }

    /// The README's table, for the default bindings (a test keeps the README equal to it).
    public static func markdownTable(_ keys: KeyMap = KeyMap()) -> String {
        (["| key | where | what |", "|---|---|---|"] + rows.map { "| \($0.keysText(keys, markdown: true)) | \($0.place) | \($0.what) |" })
            .joined(separator: "\n")
    }
}
