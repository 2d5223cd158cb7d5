// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Each function in its own section, so the linker can place termchat's hot code together
    // (see `termchatLayout`). Dependencies get it from `.ci/build-release`. Code generation is
    // skipped when a module's IR is unchanged, which would keep objects built without sections.
    .unsafeFlags(["-Xfrontend", "-function-sections", "-Xfrontend", "-disable-incremental-llvm-codegen"],
                 .when(platforms: [.linux], configuration: .release)),
]

/// The executables link with lld and packed relative relocations (DT_RELR, glibc 2.36 and
/// later): termchat's 1.7 MB of relocation records, read and kept resident at every start,
/// become 15 KB, and a link takes seconds. `.ci/install --static-swift-stdlib` turns the packing
/// off again, for older systems.
let compactLinking: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux])),
]

/// termchat's release layout (Resources/link): the functions a session runs, listed in
/// `termchat.order` in the order they first run, come first in the text, and the unnamed
/// private helpers Swift emits (closure context destructors, witness thunks, which no order
/// file can name) are gathered by `termchat.ld` just before it. The kernel maps a binary's code
/// 64 KB around each page touched, so code run at start scattered over 15 MB kept 9.3 MB of it
/// resident; packed, 2.2 MB. `.ci/layout/make-order` regenerates the list.
let termchatLayout: [LinkerSetting] = [
    .unsafeFlags([
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Resources/link/termchat.order",
        "-Xlinker", "--no-warn-symbol-ordering",
        "-Xlinker", "-T", "-Xlinker", "\(Context.packageDirectory)/Resources/link/termchat.ld",
    ], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "TermChat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "termchat-server", targets: ["termchat-server"]),
        .executable(name: "termchat", targets: ["termchat"]),
        .library(name: "ChatAPI", targets: ["ChatAPI"]),
        .library(name: "ChatServer", targets: ["ChatServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Wire model of ../shared/spec/PROTOCOL.md, shared by server and client. Pure: no I/O.
        .target(name: "ChatAPI", swiftSettings: strictSettings),
        .target(
            name: "ChatServer",
            dependencies: [
                "ChatAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "termchat-server",
            dependencies: [
                "ChatServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: compactLinking
        ),
        // The client's view of a server: REST calls, transfers, the event stream. No SQLite, no screens.
        .target(
            name: "ChatClient",
            dependencies: [
                "ChatAPI",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        // What the client shows: chat summaries, cached messages, windows, notes, search
        // queries and results. Pure values, no storage: the UI reads these, the store makes them.
        .target(name: "ChatModel", dependencies: ["ChatAPI"], swiftSettings: strictSettings),
        // The client's local SQLite cache and outbox: the single source of truth for the UI.
        .target(
            name: "ChatStore",
            dependencies: ["ChatAPI", "ChatModel", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // The sync engine: first sync, catch-up, outbox, events, typing, read marks, uploads.
        .target(
            name: "ChatSync",
            dependencies: ["ChatAPI", "ChatClient", "ChatStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The app's wiring between the pure UI and the engine: effects, the open conversation,
        // alerts, the account's session, the config file. Tested without a terminal.
        .target(
            name: "ChatApp",
            dependencies: [
                "ChatAPI", "ChatClient", "ChatStore", "ChatSync", "ChatUI", "TerminalUI", "TerminalImages", "ImageCodecs",
                .product(name: "Logging", package: "swift-log"), .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            // The default config.toml; the top level's Resources/config.toml links to it
            // (SwiftPM takes resources only from inside a target, and copies links as links).
            resources: [.process("Resources/config.toml")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "termchat",
            dependencies: [
                "ChatAPI", "ChatApp", "ChatStore", "ChatSync", "ChatUI", "Terminal", "TerminalUI",
                // The demo's wiring talks to its server (a `termchat-server` child) directly.
                "ChatClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: compactLinking + termchatLayout
        ),
        // The screen as a grid of cells, display widths and keys: pure, no terminal.
        .target(name: "TerminalUI", swiftSettings: strictSettings),
        // The pure UI core: state, actions, the reducer and the views that draw into a Canvas.
        .target(name: "ChatUI", dependencies: ["ChatAPI", "ChatModel", "TerminalUI", "TerminalImages"], swiftSettings: strictSettings),
        // Pictures for the terminal: scaling, half blocks, sixel, kitty placeholders. Pure.
        .target(name: "TerminalImages", dependencies: ["TerminalUI"], swiftSettings: strictSettings),
        // libpng, libjpeg-turbo, giflib and libwebp from the system, as ncurses is.
        .systemLibrary(name: "CImageLibraries", path: "Sources/CImageLibraries"),
        // Decoding and encoding in C: the libraries report errors by longjmp.
        .target(name: "CImageCodecs", dependencies: ["CImageLibraries"]),
        .target(name: "ImageCodecs", dependencies: ["CImageCodecs", "CImageLibraries", "TerminalImages"], swiftSettings: strictSettings),
        // ncursesw with a shim for what Swift cannot import (see ../shared/docs/LINUX-NOTES.md).
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // The only module that touches ncurses: draws a Canvas, reads keys, restores the terminal.
        .target(name: "CTerminalSupport"),
        .target(name: "Terminal", dependencies: ["CNcursesw", "CTerminalSupport", "TerminalUI"], swiftSettings: strictSettings),
        // Benchmarks of the client and the server against their budgets (run in release).
        .executableTarget(
            name: "termchat-bench",
            dependencies: ["ChatAPI", "ChatApp", "ChatClient", "ChatServer", "ChatStore", "ChatSync", "ChatUI", "TerminalUI", "RealProcesses",
                           .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // Driving the real things, for the end-to-end tests and the benchmarks alike: tmux
        // sessions, the built binaries, loopback sockets, throwaway PostgreSQL databases.
        .target(
            name: "RealProcesses",
            dependencies: [
                "ChatServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Helpers shared by the test targets: the real server in-process, temporary directories.
        .target(
            name: "ChatTestSupport",
            dependencies: [
                "ChatServer",
                "RealProcesses",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/ChatTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ChatAPITests", dependencies: ["ChatAPI"], swiftSettings: strictSettings),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "CNcursesw", "TerminalUI"], swiftSettings: strictSettings),
        .testTarget(
            name: "ChatServerTests",
            dependencies: [
                "ChatServer",
                "ChatAPI",
                "ChatTestSupport",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatClientTests",
            dependencies: [
                "ChatClient", "ChatAPI", "ChatTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["ChatTestSupport", "ChatAPI", "ChatStore", "ImageCodecs", "TerminalImages"], swiftSettings: strictSettings),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"], swiftSettings: strictSettings),
        .testTarget(name: "TerminalImagesTests", dependencies: ["TerminalImages", "ImageCodecs", "TerminalUI", "CImageLibraries"], swiftSettings: strictSettings),
        .testTarget(name: "ChatUITests", dependencies: ["ChatUI", "ChatStore", "ChatAPI", "TerminalUI", "TerminalImages"], swiftSettings: strictSettings),
        .testTarget(
            name: "ChatAppTests",
            dependencies: ["ChatApp", "ChatUI", "ChatSync", "ChatStore", "ChatAPI", "ChatClient", "ChatTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ChatStoreTests", dependencies: ["ChatStore", "ChatAPI", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strictSettings),
        .testTarget(
            name: "ChatSyncTests",
            dependencies: ["ChatSync", "ChatApp", "ChatStore", "ChatClient", "ChatAPI", "ChatTestSupport", "ImageCodecs", "TerminalImages", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
