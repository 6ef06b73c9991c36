import Foundation
import YilianCore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion with `posix_spawn` and `waitpid`, its output (stdout and
/// stderr) in a file and its stdin from /dev/null; every other descriptor is closed in the child.
///
/// Foundation's `Process` is not used here: it notices a child's end through a descriptor the
/// child inherits, and `pg_ctl start` leaves the server running with that descriptor, so
/// `waitUntilExit` would never return.
enum Spawn {
    struct Outcome {
        var exitCode: Int32
        var output: String
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> Outcome {
        let outputFile = FileManager.default.temporaryDirectory.appending(path: "yilian-\(UUID().uuidString).out")
        let outputDescriptor = open(outputFile.path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0o600)
        guard outputDescriptor >= 0 else {
            throw YilianError(.databaseUnavailable, Text("db.tempFile", outputFile.deletingLastPathComponent().path))
        }
        defer {
            close(outputDescriptor)
            unlink(outputFile.path)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)
        markDescriptorsCloseOnExec()

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for copy in argv { free(copy) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw YilianError(.databaseUnavailable, Text("db.cannotRun", executable.path, String(cString: strerror(spawned))))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { break }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(exitCode: exitCode, output: readAll(outputDescriptor))
    }

    /// Reads the whole file from its start. (`FileManager.contents(atPath:)` leaks its buffer
    /// for an empty file in this Foundation; LeakSanitizer showed it.)
    private static func readAll(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        lseek(descriptor, 0, SEEK_SET)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sets FD_CLOEXEC on every open descriptor above 2, so that no lock, socket or pipe of
    /// ours reaches the child (and the server it may leave running).
    private static func markDescriptorsCloseOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for descriptor in entries.compactMap({ Int32($0) }) where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
