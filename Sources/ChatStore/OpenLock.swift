import ChatAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock between processes, held while a cache is looked at, created, migrated or
/// recovered: an advisory `flock` on `<cache>.lock` beside it. Twenty `termchat send` started
/// at once on a fresh account used to see each other's half-made file as damaged, move it
/// aside with what it held, and fail on each other's migrations ("table already exists").
/// The kernel drops the lock when its holder exits, however it exits.
enum OpenLock {
    static func holding<T>(for cache: String, _ body: () throws -> T) throws -> T {
        let folder = (cache as NSString).deletingLastPathComponent
        if !folder.isEmpty { PrivateFiles.createDirectory(atPath: folder) }
        let descriptor = open(cache + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // Where no lock file can be made (a read-only folder), nothing else can create the cache there either.
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { return try body() }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
