import NIOCore
import NIOPosix
import NIOSSL

/// A TLS front before a loopback server, as nginx is before a real one: it takes TLS on its own
/// port with the given certificate and passes the bytes both ways to `backendPort`.
public final class TLSFront: Sendable {
    public let port: Int
    private let listener: any Channel
    private let accepting: Task<Void, Never>

    private init(port: Int, listener: any Channel, accepting: Task<Void, Never>) {
        self.port = port
        self.listener = listener
        self.accepting = accepting
    }

    public static func start(forwardingTo backendPort: Int, certificateFile: String, keyFile: String) async throws -> TLSFront {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        let port = server.channel.localAddress?.port ?? 0
        let accepting = Task {
            _ = try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await client in inbound {
                        group.addTask { await forward(client, to: backendPort) }
                    }
                }
            }
        }
        return TLSFront(port: port, listener: server.channel, accepting: accepting)
    }

    /// Closes the listening socket. The accept loop is not cancelled: a connection accepted
    /// just before the close is still handed to `forward`, which finishes it. Dropped unused,
    /// its NIOAsyncChannel is a fatal error in debug builds ("Deinited NIOAsyncWriter without
    /// calling finish()"), which crashed a CI run; the loop ends by itself once the listener
    /// is closed and its connections are done.
    public func stop() async {
        try? await listener.close()
    }

    /// Both directions until either side closes (a failed handshake ends it at once). The
    /// client is finished whatever fails (the backend refusing included).
    private static func forward(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, to port: Int) async {
        do {
            try await client.executeThenClose { clientIn, clientOut in
                let backend = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
                try await backend.executeThenClose { backendIn, backendOut in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { for try await bytes in clientIn { try await backendOut.write(bytes) } }
                        group.addTask { for try await bytes in backendIn { try await clientOut.write(bytes) } }
                        _ = try await group.next()
                        group.cancelAll()
                    }
                }
            }
        } catch {}
    }
}
