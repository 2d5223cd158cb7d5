import NIOCore
import NIOPosix
import NIOSSL

/// A TLS front before a loopback server, as nginx is before a real one: it takes TLS on its own
/// port with the given certificate and passes the bytes both ways to `backendPort`.
///
/// Built from plain channel handlers, not NIO's async server API: there, a connection accepted
/// while the listener closes is dropped before anyone runs it, and its `NIOAsyncChannel` traps
/// ("Deinited NIOAsyncWriter without calling finish()", apple/swift-nio#2813). That crashed
/// the whole test process on CI when a client was still retrying a refused handshake as a test
/// stopped its front. Here an accepted connection belongs to its own pipeline and simply closes.
public final class TLSFront: Sendable {
    public let port: Int
    private let listener: any Channel

    private init(port: Int, listener: any Channel) {
        self.port = port
        self.listener = listener
    }

    public static func start(forwardingTo backendPort: Int, certificateFile: String, keyFile: String) async throws -> TLSFront {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try child.pipeline.syncOperations.addHandler(ClientSide(backendPort: backendPort))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TLSFront(port: listener.localAddress?.port ?? 0, listener: listener)
    }

    /// Closes the listening socket; connections already open end when either side closes.
    public func stop() async {
        try? await listener.close()
    }
}

/// The accepted (decrypted) side: connects to the backend when the client arrives, holds what
/// the client sends until then, and closes the backend when the client goes. The backend's
/// channel runs on this channel's event loop, so both sides are touched from one thread.
private final class ClientSide: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let backendPort: Int
    private var backend: (any Channel)?
    private var waiting: [ByteBuffer] = []
    private var clientClosed = false

    init(backendPort: Int) {
        self.backendPort = backendPort
    }

    func channelActive(context: ChannelHandlerContext) {
        let client = context.channel
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { backend in
                backend.eventLoop.makeCompletedFuture {
                    try backend.pipeline.syncOperations.addHandler(BackendSide(client: client))
                }
            }
            .connect(host: "127.0.0.1", port: backendPort)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let backend):
                    guard !self.clientClosed else {
                        backend.close(promise: nil)
                        return
                    }
                    self.backend = backend
                    for bytes in self.waiting { backend.write(bytes, promise: nil) }
                    self.waiting = []
                    backend.flush()
                case .failure:
                    client.close(promise: nil)
                }
            }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if let backend {
            backend.write(bytes, promise: nil)
        } else {
            waiting.append(bytes)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        backend?.flush()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        clientClosed = true
        backend?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused handshake or a reset: this connection is over.
        context.close(promise: nil)
    }
}

/// The backend's side: what the server answers goes back to the client (encrypted by the
/// client's TLS handler), and the client is closed when the server closes.
private final class BackendSide: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let client: any Channel

    init(client: any Channel) {
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        client.write(unwrapInboundIn(data), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        client.flush()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        client.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
