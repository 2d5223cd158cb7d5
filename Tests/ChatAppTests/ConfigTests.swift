import ChatApp
import ChatUI
import Foundation
import Testing
import TerminalUI

/// The file config.toml is read as TOML, every problem named with its line.
@Suite struct ConfigTests {
    @Test func everyFormOfTOMLIsRead() {
        let config = AppConfig.parse(#"""
            # my termchat
            colors.accent = 'magenta'       # a dotted key, a literal string
            "colors".me = 214               # a quoted key, an integer
            [keys]
            quit = 'Q'
            "new_chat" = "\u0063"           # an escape
            archive = """
            z"""
            [network]
            connect_timeout = 2.5
            request_timeout = 60
            """#)
        #expect(config.problems == [])
        #expect(config.keys.quit == "Q")
        #expect(config.keys.newChat == "c")
        #expect(config.keys.archive == "z")
        #expect(config.theme.accent.foreground == .palette(5))
        #expect(config.theme.me.foreground == .palette(214))
        #expect(config.connectTimeout == 2.5)
        #expect(config.requestTimeout == 60)
    }

    @Test func threeBadLinesAreThreeProblemsAndTheRestApplies() {
        let config = AppConfig.parse("""
            [keys]
            quit = "Q"
            archive = "too long"
            new_chat = "c
            [colors]
            other = "plaid"
            me = 214
            """)
        #expect(config.problems.count == 3, "\(config.problems)")
        #expect(config.problems.first?.hasPrefix("config.toml line 3: a key is one character") == true, "\(config.problems)")
        #expect(config.problems.dropFirst().first?.hasPrefix("config.toml line 4:") == true, "\(config.problems)")
        #expect(config.problems.last == "config.toml line 6: plaid is not a colour (a name or 0-255).", "\(config.problems)")
        #expect(config.keys.quit == "Q")
        #expect(config.keys.archive == "a")
        #expect(config.theme.me.foreground == .palette(214))
    }

    @Test func unknownNamesAndBadSettingsAreNamed() {
        let config = AppConfig.parse("""
            [keys]
            fly = "f"
            [sounds]
            bell = "on"
            [network]
            connect_timeout = -1
            """)
        #expect(config.problems == [
            "config.toml line 2: no key binding called fly.",
            "config.toml line 3: unknown table [sounds].",
            "config.toml line 6: connect_timeout is a number of seconds, above 0 and at most 3600.",
        ])
        #expect(config.connectTimeout == 5)
    }

    /// The commented default (Resources/config.toml) is exactly the built-in settings.
    @Test func theDefaultFileIsTheBuiltInSettings() throws {
        let text = try #require(AppConfig.defaultText)
        let parsed = AppConfig.parse(text)
        #expect(parsed.problems == [])
        #expect(parsed.keys == KeyMap())
        #expect(parsed.connectTimeout == 5 && parsed.requestTimeout == 30)
        for (name, path) in [("accent", \Theme.accent), ("me", \.me), ("other", \.other), ("dim", \.dim), ("error", \.error), ("border", \.border),
                             ("mention", \.mention), ("unread", \.unread)] {
            #expect(parsed.theme[keyPath: path].foreground == Theme.standard[keyPath: path].foreground, "\(name)")
        }
        #expect(parsed.alerts == AlertRules())
        // The README shows this very file.
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        #expect(try String(contentsOf: readme, encoding: .utf8).contains(text), "README.md's configuration differs from Resources/config.toml")
        // Every binding is written out, so the file shows what can be changed.
        for name in KeyMap.names.keys { #expect(text.contains("\n\(name) = "), "\(name) is missing from the default config") }
    }

    @Test func notificationsAndSyncSettingsAreRead() {
        let config = AppConfig.parse("""
            [notifications]
            do_not_disturb = true
            mentions_in_muted_chats = false
            [sync]
            history = "all"
            """)
        #expect(config.problems == [])
        #expect(config.alerts == AlertRules(doNotDisturb: true, mentionsInMutedChats: false))
        #expect(config.history == .all)
        #expect(AppConfig.parse("").history == .newest(10_000), "fetched ahead by default")
        #expect(AppConfig.parse("[sync]\nhistory = 500").history == .newest(500))
        #expect(AppConfig.parse("[sync]\nhistory = \"recent\"").history == .opened)
        let bad = AppConfig.parse("""
            [sync]
            history = "everything"
            [notifications]
            do_not_disturb = "yes"
            """)
        #expect(bad.problems.count == 2)
        #expect(bad.problems[0].contains("line 2") && bad.problems[0].contains("history is a number of messages a chat (e.g. 10000), \"recent\" or \"all\""))
        #expect(bad.problems[1].contains("line 4") && bad.problems[1].contains("true or false"))
    }

    @Test func theMouseIsOnUnlessTurnedOff() {
        #expect(AppConfig.parse("").mouse)
        let off = AppConfig.parse("[mouse]\nenabled = false\n")
        #expect(off.problems == [] && !off.mouse)
        let bad = AppConfig.parse("[mouse]\nenabled = 1\nwheel = true\n")
        #expect(bad.problems.count == 2 && bad.mouse)
        #expect(bad.problems.contains { $0.contains("line 3") && $0.contains("no mouse setting called wheel") })
    }

    /// The `[hooks]` table: each hook is a list of strings.
    @Test func hooksAreListsOfStrings() {
        let config = AppConfig.parse("""
            [hooks]
            on_message = ["notify-send", "{chat}", "{author}: {text}"]
            on_connection = ["logger", "{state}"]
            """)
        #expect(config.problems == [])
        #expect(config.hooks.programs[.message] == ["notify-send", "{chat}", "{author}: {text}"])
        #expect(config.hooks.programs[.connection] == ["logger", "{state}"])
        #expect(config.hooks.programs[.mention] == nil)
        let bad = AppConfig.parse("""
            [hooks]
            on_message = "notify-send {text}"
            on_typing = ["x"]
            """)
        #expect(bad.problems.count == 2)
        #expect(bad.problems[0].contains("line 2") && bad.problems[0].contains("a list of strings"))
        #expect(bad.problems[1].contains("line 3") && bad.problems[1].contains("no hook called on_typing"))
    }
}
