import TerminalUI

/// The single-key bindings of the chat list and the conversation, configurable in
/// `config.toml` under `[keys]`. Arrows, Enter, Tab, Esc and Ctrl keys are fixed.
public struct KeyMap: Equatable, Sendable {
    public var quit: Character = "q"
    public var newChat: Character = "n"
    public var archive: Character = "a"
    public var mute: Character = "m"
    public var remove: Character = "x"
    public var showArchive: Character = "A"
    public var settings: Character = "s"
    public var help: Character = "?"
    public var editLast: Character = "e"
    public var deleteLast: Character = "D"
    public var retry: Character = "r"
    public var discard: Character = "d"
    public var saveAttachment: Character = "o"
    public var attach: Character = "f"
    public var compose: Character = "i"
    public var command: Character = "/"
    public var up: Character = "k"
    public var down: Character = "j"
    public var top: Character = "g"
    public var bottom: Character = "G"
    /// Back to the chat list from the conversation or the settings pane.
    public var back: Character = "h"
    /// The selection cursor on messages (Enter in the conversation too).
    public var select: Character = "v"
    /// On the selected message. They may reuse letters of other panes: selection has its keys.
    public var reply: Character = "r"
    public var editSelected: Character = "e"
    public var deleteSelected: Character = "D"
    public var saveSelected: Character = "s"
    public var openSelected: Character = "O"
    public var copySelected: Character = "y"
    public var details: Character = "i"
    /// The web addresses in the selected message, numbered: a number opens one.
    public var links: Character = "u"
    /// The next chat with unread messages (Alt-a too).
    public var nextUnread: Character = "u"
    /// Silences everything but mentions.
    public var doNotDisturb: Character = "z"
    /// The next and previous search hit in the conversation, as in less and vim.
    public var nextHit: Character = "n"
    public var previousHit: Character = "N"

    public init() {}

    /// The keys the chat list acts on: any other letter typed there starts its filter.
    public var listKeys: Set<Character> {
        [quit, newChat, archive, mute, remove, showArchive, settings, help, compose, command, attach, up, down, top, bottom, nextUnread, doNotDisturb]
    }

    /// The names used in `config.toml`, with a way to set each.
    public static var names: [String: WritableKeyPath<KeyMap, Character>] { [
        "quit": \.quit, "new_chat": \.newChat, "archive": \.archive, "mute": \.mute, "remove": \.remove,
        "show_archive": \.showArchive, "settings": \.settings, "help": \.help, "edit_last": \.editLast,
        "delete_last": \.deleteLast, "retry": \.retry, "discard": \.discard, "save_attachment": \.saveAttachment,
        "attach": \.attach, "compose": \.compose, "command": \.command, "up": \.up, "down": \.down, "top": \.top,
        "bottom": \.bottom, "back": \.back, "select": \.select, "reply": \.reply, "edit_selected": \.editSelected,
        "delete_selected": \.deleteSelected, "save_selected": \.saveSelected, "open_selected": \.openSelected,
        "copy_selected": \.copySelected, "details": \.details, "links": \.links, "next_unread": \.nextUnread, "do_not_disturb": \.doNotDisturb,
        "next_hit": \.nextHit, "previous_hit": \.previousHit,
    ] }
}
