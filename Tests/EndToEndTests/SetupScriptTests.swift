import ChatTestSupport
import Foundation
import Testing

/// The set-up step of the README's commands installs every Debian package the
/// build needs. Checked without a fresh machine: every header the C targets (and GRDB's SQLite
/// module) include, and the libcurl that FoundationNetworking links, comes from a package the
/// step lists, as `dpkg -S` says on this machine.
@Suite struct SetupScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func run(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(tool, arguments)
    }

    /// `#include <…>` lines of the C sources and shims the build compiles.
    static func systemHeaders() throws -> Set<String> {
        var files: [String] = []
        for folder in ["Sources/CImageLibraries", "Sources/CNcursesw", "Sources/CImageCodecs", "Sources/CTerminalSupport"] {
            let path = root + "/" + folder
            for case let name as String in FileManager.default.enumerator(atPath: path) ?? .init() where name.hasSuffix(".h") || name.hasSuffix(".c") {
                files.append(path + "/" + name)
            }
        }
        if let grdb = FileManager.default.enumerator(atPath: root + "/.build/checkouts") {
            for case let name as String in grdb where name.hasSuffix("GRDBSQLite/shim.h") { files.append(root + "/.build/checkouts/" + name) }
        }
        var headers = Set<String>()
        for file in files {
            for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") where line.hasPrefix("#include <") {
                headers.insert(String(line.dropFirst("#include <".count).prefix { $0 != ">" }))
            }
        }
        return headers
    }

    @Test func theSetUpStepListsEveryPackageTheBuildNeeds() async throws {
        guard FileManager.default.fileExists(atPath: "/usr/bin/dpkg") else { return }  // not Debian: nothing to compare
        let listed = try await Self.run("/bin/bash", [Self.root + "/.ci/setup", "--list", "build"])
        #expect(listed.status == 0, "\(listed.output)")
        let packages = Set(listed.output.split(separator: "\n").map(String.init))
        let headers = try Self.systemHeaders()
        #expect(headers.contains("gif_lib.h") && headers.contains("ncursesw/curses.h") && headers.contains("sqlite3.h"), "\(headers)")
        var needed: [String: String] = ["libcurl.so (FoundationNetworking links it)": "/usr/lib/x86_64-linux-gnu/libcurl.so"]
        // The compiler's own headers (clang's resource folder) need no package.
        let compilers: Set = ["stddef.h", "stdarg.h", "stdbool.h", "float.h", "stdalign.h"]
        for header in headers where !compilers.contains(header) {
            let found = ["/usr/include/", "/usr/include/x86_64-linux-gnu/"].map { $0 + header }.first { FileManager.default.fileExists(atPath: $0) }
            guard let found else {
                Issue.record("\(header) is not on this machine: the set-up step did not install what provides it")
                continue
            }
            needed[header] = found
        }
        for (what, path) in needed {
            let owner = try await Self.run("/usr/bin/dpkg", ["-S", path])
            let package = String(owner.output.prefix { $0 != ":" })
            // The C library's own headers come with the compiler's toolchain packages.
            if ["libc6-dev", "linux-libc-dev", "libgcc-12-dev", "libstdc++-12-dev"].contains(package) { continue }
            #expect(packages.contains(package), "\(what) comes from \(package), which .ci/setup does not install")
        }
        let test = try await Self.run("/bin/bash", [Self.root + "/.ci/setup", "--list", "test"])
        #expect(Set(test.output.split(separator: "\n").map(String.init)).isSuperset(of: packages.union(["tmux", "vim", "postgresql", "openssl", "man-db", "systemd"])))
    }

    /// With everything installed, the step installs nothing and says nothing. (Run only where
    /// nothing is missing: a test does not install packages.)
    @Test func withNothingMissingTheStepIsSilent() async throws {
        guard FileManager.default.fileExists(atPath: "/usr/bin/dpkg") else { return }
        let listed = try await Self.run("/bin/bash", [Self.root + "/.ci/setup", "--list", "test"])
        for package in listed.output.split(separator: "\n") {
            guard try await Self.run("/usr/bin/dpkg", ["-s", String(package)]).status == 0 else { return }
        }
        let result = try await Self.run("/bin/bash", [Self.root + "/.ci/setup", "test"])
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "\(result.output)")
    }
}
