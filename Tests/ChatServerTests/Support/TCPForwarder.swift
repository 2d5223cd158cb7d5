import ChatTestSupport
import Foundation

/// A TCP forwarder in a child process, standing for a load balancer in front of two
/// instances: each new connection goes to the port last set with `point(to:)`; connections
/// already made stay where they are (and end when their instance dies).
final class TCPForwarder {
    let process = Process()
    let port: Int
    private let targetFile: String

    /// `port` 0 picks a free one; pass a stopped forwarder's port to stand in for it again.
    init(to target: Int, port wanted: Int = 0) throws {
        targetFile = TemporaryDirectory.make() + "/target"
        try String(target).write(toFile: targetFile, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, targetFile, String(wanted)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = try firstLine(of: output, failure: "the forwarder exited")
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw TestFailure("forwarder said \(line)") }
        self.port = port
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func point(to target: Int) throws {
        try String(target).write(toFile: targetFile, atomically: true, encoding: .utf8)
    }

    /// Ends it and every connection through it at once, as a network failure would.
    func stop() {
        kill(process.processIdentifier, SIGKILL)  // it keeps no state worth a graceful end
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { stop() }
    }

    static let script = """
        import socket, sys, threading
        target_file = sys.argv[1]
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(sys.argv[2])))
        listener.listen(256)
        print(listener.getsockname()[1], flush=True)
        def pump(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data:
                        break
                    b.sendall(data)
            except OSError:
                pass
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        while True:
            client, _ = listener.accept()
            try:
                upstream = socket.create_connection(("127.0.0.1", int(open(target_file).read())))
            except OSError:
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        """
}
