import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 and a free port, for tests that play a server (one
/// that never answers, or one that answers garbage). The caller closes it.
public func listenLoopback(backlog: Int32 = 64) -> (descriptor: Int32, port: Int) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    listen(listener, backlog)
    var bound = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
    return (listener, Int(UInt16(bigEndian: bound.sin_port)))
}

extension TestPerson {
    /// Points this signed-in account, and a copy of its cache, from the server on `oldPort` to
    /// one on `newPort` (a test server that misbehaves).
    /// `overTLS`: the new address is https (a `TLSFront`).
    public func repoint(from oldPort: Int, to newPort: Int, overTLS: Bool = false) throws {
        let config = environment["XDG_CONFIG_HOME"]! + "/termchat/credentials-default.json"
        let scheme = overTLS ? "https" : "http"
        let credentials = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "http:\\/\\/127.0.0.1:\(oldPort)", with: "\(scheme):\\/\\/127.0.0.1:\(oldPort)")
            .replacingOccurrences(of: "http://127.0.0.1:\(oldPort)", with: "\(scheme)://127.0.0.1:\(oldPort)")
            .replacingOccurrences(of: "127.0.0.1:\(oldPort)", with: "127.0.0.1:\(newPort)")
        try credentials.write(toFile: config, atomically: true, encoding: .utf8)
        let data = environment["XDG_DATA_HOME"]! + "/termchat/"
        try FileManager.default.copyItem(atPath: data + "127.0.0.1:\(oldPort)", toPath: data + "127.0.0.1:\(newPort)")
    }
}
