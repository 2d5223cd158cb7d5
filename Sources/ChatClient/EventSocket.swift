import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import WSClient
// swift-websocket's frame handler (pings, close handshake, fragments) is public only as SPI;
// its own client uses it the same way. Pinned by the package's major version.
@_spi(WSInternal) import WSCore

/// Opens the event stream's WebSocket. swift-websocket's `WebSocketClient` sends the URL's host
/// as SNI and checks the certificate against it, which NIOSSL refuses for an IP address
/// (`cannotUseIPAddressInSNI`): a server named by address over TLS never connected, while REST
/// to it worked. Here TLS is what REST does: the system's trust store, SNI only for a host
/// name, and for an address the certificate's IP names checked against the connected address.
enum EventSocket {
    struct Context: WebSocketContext {
        let logger: Logger
    }

    struct Options: Sendable {
        var headers: HTTPFields = [:]
        var autoPing: AutoPingSetup = .disabled
        var maxFrameSize = 1 << 14
        /// Certificates trusted besides the system's (PEM file); tests' own authority.
        var extraTrustedCertificatesFile: String?
        /// Reads that follow one another are spaced this far apart (`ReadPacer`); nil: not paced.
        var readSpacing: TimeAmount?
    }

    /// Connects to `url` (ws:// or wss://), runs `handler` on the open socket, and returns when
    /// it closes. Errors are `EventSocketError` when there is a sentence to say.
    static func connect(
        url: String,
        options: Options,
        logger: Logger,
        handler: @escaping WebSocketDataHandler<Context>
    ) async throws {
        // The host as sent on the wire (IDNA's ASCII form): `host` would decode it with ICU's
        // UTS 46 tables, kept resident for the life of the process.
        guard let components = URLComponents(string: url), let host = components.encodedHost, !host.isEmpty,
            let scheme = components.scheme, scheme == "ws" || scheme == "wss"
        else { throw EventSocketError.invalidURL(url) }
        let secure = scheme == "wss"
        let port = components.port ?? (secure ? 443 : 80)
        var tls: NIOSSLContext?
        if secure {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let file = options.extraTrustedCertificatesFile {
                configuration.trustRoots = .default
                configuration.additionalTrustRoots = [.file(file)]
            }
            tls = try NIOSSLContext(configuration: configuration)
        }
        let channel = UpgradeChannel(
            host: host, port: port, path: (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
                + (components.percentEncodedQuery.map { "?\($0)" } ?? ""),
            tls: tls, options: options, handler: handler)
        do {
            try await ClientConnection(channel, address: .hostname(host, port: port), logger: logger).run()
        } catch {
            throw EventSocketError.describing(error)
        }
    }

    private struct UpgradeChannel: ClientConnectionChannel {
        enum Upgrade: Sendable {
            case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
            /// The server answered something else: its status and reason, once read.
            case notUpgraded(EventLoopFuture<RefusedUpgrade>)
        }

        let host: String
        let port: Int
        let path: String
        let tls: NIOSSLContext?
        let options: Options
        let handler: WebSocketDataHandler<Context>

        func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<EventLoopFuture<Upgrade>> {
            channel.eventLoop.makeCompletedFuture {
                let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
                    maxFrameSize: options.maxFrameSize,
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            if let spacing = options.readSpacing {
                                try channel.pipeline.syncOperations.addHandler(ReadPacer(spacing: .nanoseconds(spacing.nanoseconds)), position: .first)
                            }
                            return .websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                        }
                    }
                )
                var headers = HTTPHeaders()
                let defaultPort = tls == nil ? 80 : 443
                headers.replaceOrAdd(name: "Host", value: port == defaultPort ? host.bracketedIfIPv6 : "\(host.bracketedIfIPv6):\(port)")
                headers.add(contentsOf: HTTPHeaders(options.headers.map { ($0.name.rawName, $0.value) }))
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
                var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(
                    upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                        upgradeRequestHead: head,
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                // The refusal's answer comes after this, through the reader.
                                let reader = RefusedUpgradeReader(answer: channel.eventLoop.makePromise())
                                try channel.pipeline.syncOperations.addHandler(reader)
                                return .notUpgraded(reader.answer.futureResult)
                            }
                        }
                    ))
                pipeline.leftOverBytesStrategy = .forwardBytes
                if let tls {
                    // SNI carries host names only (RFC 6066); without one NIOSSL matches the
                    // certificate's IP names against the address it connected to.
                    let sni = host.isIPAddress ? nil : host
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: tls, serverHostname: sni), position: .first)
                }
                return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
            }
        }

        func handle(value: EventLoopFuture<Upgrade>, logger: Logger) async throws {
            switch try await value.get() {
            case .websocket(let socket):
                // The frames are read, decoded and handed on on the connection's own event
                // loop: with the reading task on Swift's shared threads, each frame woke one
                // of them (in a burst of 1,000 messages a second, a thread switch per message).
                _ = try await withTaskExecutorPreference(EventLoopTaskExecutor(socket.channel.eventLoop)) {
                    try await WebSocketHandler.handle(
                        type: .client,
                        configuration: .init(extensions: [], autoPing: options.autoPing, validateUTF8: false, maxFrameSize: options.maxFrameSize),
                        asyncChannel: socket,
                        context: Context(logger: logger),
                        handler: handler
                    )
                }
            case .notUpgraded(let answer):
                let refused = try await answer.get()
                throw EventSocketError.refused(status: refused.status, reason: refused.reason)
            }
        }
    }
}

/// Why the event stream could not connect, in words where the cause is known.
enum EventSocketError: Error, CustomStringConvertible {
    case invalidURL(String)
    /// The TLS handshake failed on the server's certificate.
    case untrustedCertificate(String)
    /// The server answered the upgrade with `status`, and `reason` if it gave one.
    case refused(status: Int, reason: String?)
    case other(any Error)

    var description: String {
        switch self {
        case .invalidURL(let url): "\"\(url)\" is not an event stream address"
        case .untrustedCertificate(let detail): "the server's certificate is not trusted: \(detail)"
        case .refused(let status, let reason): "the server refused the event stream (\(status))" + (reason.map { ": \($0)" } ?? "")
        case .other(let error): "\(error)"
        }
    }

    static func describing(_ error: any Error) -> EventSocketError {
        if let error = error as? EventSocketError { return error }
        if let detail = TLSFailure.certificateProblem(in: error) { return .untrustedCertificate(detail) }
        return .other(error)
    }
}

extension String {
    /// An IPv4 or IPv6 literal (as a URL's host gives it, without brackets).
    var isIPAddress: Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, self, &v4) == 1 || inet_pton(AF_INET6, self, &v6) == 1
    }

    fileprivate var bracketedIfIPv6: String { contains(":") ? "[\(self)]" : self }
}
