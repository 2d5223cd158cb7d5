import ChatAPI
import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// Every connection's channel: HTTP/1.1 for the API, or an upgrade to the event stream. An
/// upgraded connection is handed to an `EventSessionHandler` in the pipeline and its task ends:
/// an idle session keeps no task tree (an upgrade handler, a read loop, async channel buffers
/// and a ping loop cost ~18 KB of task memory a session), only its channel and handlers.
struct EventStreamUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        /// The session runs in its handler; nothing to await.
        case eventStream
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case refusedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, APIError)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let http1: HTTP1Channel.Configuration
    let admission: EventStreamAdmission
    let maxFrameSize: Int
    let pingInterval: TimeAmount

    init(responder: @escaping HTTPChannelHandler.Responder, http1: HTTP1Channel.Configuration, admission: EventStreamAdmission,
         maxFrameSize: Int, pingInterval: TimeAmount) {
        self.responder = Self.redirectingUpgrades(responder)
        self.http1 = http1
        self.admission = admission
        self.maxFrameSize = maxFrameSize
        self.pingInterval = pingInterval
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let upgradeAttempted = NIOLoopBoundBox(false, eventLoop: channel.eventLoop)
            let admitted = NIOLoopBoundBox<Result<EventStreamAdmission.Admitted, APIError>?>(nil, eventLoop: channel.eventLoop)
            let (admission, pingInterval) = (admission, pingInterval)
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: maxFrameSize,
                shouldUpgrade: { channel, head in
                    upgradeAttempted.value = true
                    return channel.eventLoop.makeFutureWithTask { await admission.admit(head) }.map { answer in
                        admitted.value = answer
                        if case .success = answer { return HTTPHeaders() }
                        return nil
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case .success(let admitted) = admitted.value else { throw ChannelError.inappropriateOperationForState }
                        try channel.pipeline.syncOperations.addHandler(EventSessionHandler(
                            caller: admitted.caller, resume: admitted.resume, hub: admission.hub, accounts: admission.accounts,
                            maxSocketsPerAccount: admission.maxSocketsPerAccount, pingInterval: pingInterval
                        ))
                        return UpgradeResult.eventStream
                    }
                }
            )
            let http1 = http1
            let notUpgrading = NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let operations = channel.pipeline.syncOperations
                        try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try operations.addHandlers(http1.additionalChannelHandlers())
                        try operations.addHandler(HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .nanoseconds($0.nanoseconds) }, logger: logger))
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        guard upgradeAttempted.value else { return UpgradeResult.notUpgraded(asyncChannel) }
                        if case .failure(let refusal) = admitted.value { return .refusedUpgrade(asyncChannel, refusal) }
                        return .refusedUpgrade(asyncChannel, .badRequest("The event stream could not be opened."))
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(upgradeConfiguration: notUpgrading)
            configuration.enablePipelining = false  // the async channel takes one request at a time
            configuration.enableErrorHandling = false  // HTTPErrorAnswerHandler answers malformed requests
            configuration.enableResponseHeaderValidation = false  // HTTP types validate them already
            configuration.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(upgradeResult: result, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .eventStream:
                return  // the channel lives on in its handlers and closes itself
            case .notUpgraded(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .refusedUpgrade(let http, let refusal):
                await Self.refuseUpgrade(http, refusal, logger: logger)
            }
        } catch {
            logger.debug("connection ended before its first request was handled", metadata: ["error": "\(error)"])
        }
        value.channel.close(promise: nil)
    }

    /// The refusal's status with `{"error": true, "reason": …}`, as every error is answered.
    private static func refuseUpgrade(_ http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, _ refusal: APIError, logger: Logger) async {
        let body = ByteBuffer(bytes: (try? JSONEncoder.chatAPI().encode(ErrorBody(reason: refusal.reason))) ?? Data())
        do {
            try await http.executeThenClose { _, outbound in
                let head = HTTPResponse(status: refusal.status, headerFields: [
                    .connection: "close", .contentType: "application/json; charset=utf-8", .contentLength: "\(body.readableBytes)",
                ])
                try await outbound.write(contentsOf: [.head(head), .body(body), .end(nil)])
            }
        } catch {
            logger.trace("could not answer a refused upgrade", metadata: ["error": "\(error)"])
        }
    }

    /// An upgrade asked for on a connection that already carried a request cannot be taken
    /// there (NIO upgrades only a connection's first request): it is redirected to the same
    /// path, with the connection closed, so that the client asks again on a new one.
    private static func redirectingUpgrades(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        struct RedirectedUpgrade: Error {}
        return { request, writer, channel in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                try await responder(request, writer, channel)
                return
            }
            var path = request.uri.path
            if let query = request.uri.query { path += "?\(query)" }
            try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: path]))
            throw RedirectedUpgrade()
        }
    }
}
