import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ties the server's life to its parent's: `termchat demo` starts the server with a pipe on its
/// standard input, and the pipe ends when the parent exits for any reason, `kill -9` included
/// (the kernel closes its end). No signal from the parent is needed, so none can be missed.
enum InputWatch {
    static func shutDownAtEndOfInput() {
        // A thread of its own: a blocking read must not sit on the cooperative pool.
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(STDIN_FILENO, &byte, 1)
                if count == 0 || (count < 0 && errno != EINTR) { break }
            }
            // The same path as Ctrl-C: graceful shutdown of the service group.
            kill(getpid(), SIGTERM)
        }
        thread.name = "stdin-watch"
        thread.start()
    }
}
