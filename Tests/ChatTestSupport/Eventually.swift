import Foundation

/// Waits for a file at `path` whose text satisfies `complete` (a program writing it may not be
/// done yet), and answers the text.
public func eventuallyRead(_ path: String, timeout: Duration = .seconds(20), complete: (String) -> Bool = { _ in true }) async throws -> String {
    var text: String?
    try await eventually("\(path) is written", timeout: timeout) {
        text = try? String(contentsOfFile: path, encoding: .utf8)
        return text.map(complete) ?? false
    }
    return text ?? ""
}

/// Runs `body`, then `cleanUp` whether it returned or threw (the end-to-end tests' processes,
/// tmux sessions and servers stop either way); the error, if any, is rethrown.
public func stopping<T>(_ cleanUp: () async -> Void, after body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await cleanUp()
        return result
    } catch {
        await cleanUp()
        throw error
    }
}

/// Waits for something outside any screen (a file a program writes, a hook's output, a row in
/// a database): there is no event for it, so this looks again every 50 ms; the timeout only
/// turns a hang into a failure. The one poll the end-to-end tests share (they each had their own).
public func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestFailure("timed out waiting until \(what)")
}
