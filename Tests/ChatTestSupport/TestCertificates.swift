import Foundation

/// A certificate authority made for one test (openssl), and a server certificate it signed for
/// `localhost` and `127.0.0.1`: TLS by name and by address without touching the system's store.
public struct TestCertificates: Sendable {
    public let authorityFile: String
    public let certificateFile: String
    public let keyFile: String
    /// A certificate for the same names that no authority signed (itself).
    public let selfSignedCertificateFile: String
    public let selfSignedKeyFile: String

    public static func make(in directory: URL) throws -> TestCertificates {
        let dir = directory.path
        let extensions = "\(dir)/server.ext"
        try """
        subjectAltName=DNS:localhost,IP:127.0.0.1
        basicConstraints=CA:FALSE
        extendedKeyUsage=serverAuth
        """.write(toFile: extensions, atomically: true, encoding: .utf8)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + key + ["-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem", "-days", "2",
                     "-subj", "/CN=TermChat test authority"])
        try openssl(["req"] + key + ["-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr", "-subj", "/CN=localhost"])
        try openssl(["x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca.key",
                     "-CAcreateserial", "-out", "\(dir)/server.pem", "-days", "2", "-extfile", extensions])
        try openssl(["req", "-x509"] + key + ["-keyout", "\(dir)/self.key", "-out", "\(dir)/self.pem", "-days", "2",
                     "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        return TestCertificates(authorityFile: "\(dir)/ca.pem", certificateFile: "\(dir)/server.pem", keyFile: "\(dir)/server.key",
                                selfSignedCertificateFile: "\(dir)/self.pem", selfSignedKeyFile: "\(dir)/self.key")
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(String(decoding: said, as: UTF8.self))")
        }
    }
}
