import ChatUI
import Foundation

/// `[hooks]`: a program (argv, never a shell) for each new message, each mention of you, and
/// each change of the connection.
public struct HookRules: Equatable, Sendable {
    public var programs: [HookEvent.Kind: [String]] = [:]

    public init(programs: [HookEvent.Kind: [String]] = [:]) {
        self.programs = programs
    }

    /// The config key of each kind: `on_message`, `on_mention`, `on_connection`.
    public static func key(_ kind: HookEvent.Kind) -> String { "on_" + kind.rawValue }
}

/// Runs hook programs: without a shell (what arrives never reaches one), the event's JSON on
/// standard input, their output discarded (it would land on the screen), each stopped after
/// `timeout`, at most `maxRunning` at once. A failure is said in the status line; nothing a
/// hook does can stop the client.
actor HookRunner {
    let rules: HookRules
    let report: @Sendable (String) -> Void
    let timeout: Duration
    let maxRunning: Int
    private var running = 0

    init(rules: HookRules, timeout: Duration = .seconds(10), maxRunning: Int = 4, report: @escaping @Sendable (String) -> Void) {
        self.rules = rules
        self.timeout = timeout
        self.maxRunning = maxRunning
        self.report = report
    }

    /// Starts the event's program, if one is set, and returns at once.
    func run(_ event: HookEvent) {
        guard let argv = rules.programs[event.kind], !argv.isEmpty else { return }
        let name = HookRules.key(event.kind)
        guard running < maxRunning else {
            report(Said.hookSkipped(name, running: maxRunning))
            return
        }
        let arguments = event.arguments(argv)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.resolve(arguments[0]))
        process.arguments = Array(arguments.dropFirst())
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            report(Said.hookCouldNotStart(name, arguments[0], error.localizedDescription))
            return
        }
        running += 1
        let json = event.json
        let timeout = self.timeout
        let report = self.report
        Task.detached {
            // A program that does not read its input must not block the client: written off
            // the actor, and a closed pipe only fails the write.
            try? input.fileHandleForWriting.write(contentsOf: json)
            try? input.fileHandleForWriting.close()
        }
        Task {
            let stopper = Task {
                try await Task.sleep(for: timeout)
                if process.isRunning {
                    process.terminate()
                    report(Said.hookStopped(name, after: timeout.components.seconds))
                }
            }
            await Self.waitForExit(process)
            stopper.cancel()
            if process.terminationReason == .exit, process.terminationStatus != 0 {
                report(Said.hookEnded(name, arguments[0], status: process.terminationStatus))
            }
            self.finished()
        }
    }

    private func finished() { running -= 1 }

    /// Waits for the process off the cooperative pool.
    static func waitForExit(_ process: Process) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .utility).async {
                process.waitUntilExit()
                done.resume()
            }
        }
    }

    /// A program named without a slash is looked for on `PATH`, as a shell would.
    static func resolve(_ program: String) -> String {
        guard !program.contains("/") else { return program }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return program
    }
}
