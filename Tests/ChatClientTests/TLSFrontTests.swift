import ChatTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The TLS front the TLS tests stand before a server. A CI run crashed in it: a client kept
/// retrying a refused handshake while its test stopped the front, and a connection accepted as
/// the listener closed trapped the whole test process (NIO's async server API drops it unrun).
@Suite struct TLSFrontTests {
    @Test func stoppingTheFrontWhileConnectionsArriveEndsThemWithoutACrash() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("front-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = try TestCertificates.make(in: directory)
        let backend = listenLoopback()
        defer { close(backend.descriptor) }
        for _ in 0..<40 {
            let front = try await TLSFront.start(forwardingTo: backend.port, certificateFile: certificates.certificateFile,
                                                 keyFile: certificates.keyFile)
            // Connections the kernel has accepted, some taken up by the front, some not yet,
            // as the listener closes.
            let sockets = (0..<24).map { _ in connectLoopback(port: front.port) }
            #expect(sockets.allSatisfy { $0 >= 0 })
            await front.stop()
            #expect(connectLoopback(port: front.port) < 0, "the front still listens after stop")
            sockets.forEach { close($0) }
        }
    }

    /// A connected TCP socket to 127.0.0.1:`port`, or -1 when the connection is refused.
    private func connectLoopback(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }
}
