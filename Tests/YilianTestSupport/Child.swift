import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process the tests start (`yilian`, `psql`, `pg_dump`, `bash`), with its stdin, stdout
/// and stderr on pipes of its own, started with `posix_spawn` and reaped with `waitpid`.
///
/// Foundation's `Process` is not used: in clean-clone CI runs it crashed inside `run()` (a bad
/// pointer in a memmove, even with every start serialised), and it did not always notice a
/// child's exit (a dozen exited children left unreaped, `isRunning` true, CI hung).
public final class Child: Sendable {
    public let pid: pid_t
    /// The write end of the child's stdin.
    public let stdin: FileHandle
    /// The read end of the child's stdout (empty when the child writes elsewhere).
    public let stdout: FileHandle
    /// The read end of the child's stderr.
    public let stderr: FileHandle
    private let ended = Mutex<Termination?>(nil)

    /// How a child ended: its exit code, or (`bySignal`) the signal that ended it.
    public struct Termination: Equatable, Sendable {
        public var status: Int32
        public var bySignal: Bool
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` with `arguments` and exactly `environment`; its stdout goes to
    /// `standardOutput` when given. Every descriptor of this process but the three given is closed
    /// in the child, and the child starts with no signal blocked or ignored.
    public init(_ executable: String, _ arguments: [String], environment: [String: String], standardOutput: FileHandle? = nil) throws {
        let input = try Self.pipe()
        let output = try Self.pipe()
        let errors = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput?.fileDescriptor ?? output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        _ = Self.closeFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for copy in argv + envp { free(copy) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for descriptor in [input.read, output.write, errors.write] { close(descriptor) }
        guard spawned == 0 else {
            for descriptor in [input.write, output.read, errors.read] { close(descriptor) }
            throw Failure(description: "posix_spawn \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        stdin = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        stdout = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        stderr = FileHandle(fileDescriptor: errors.read, closeOnDealloc: true)
    }

    // Two GNU calls Swift's Glibc module does not import (glibc 2.34 has both).
    private static let closeFrom = unsafeBitCast(
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"),
        to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    private static let pipe2 = unsafeBitCast(
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2"), to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)

    /// A pipe whose two ends are closed on exec (the child gets its own copies by dup2).
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard Self.pipe2(&ends, O_CLOEXEC) == 0 else { throw Failure(description: "pipe2: \(String(cString: strerror(errno)))") }
        return (ends[0], ends[1])
    }

    /// Sends `signal` (by default SIGTERM) unless the child was already reaped.
    public func terminate(_ signal: Int32 = SIGTERM) {
        ended.withLock { if $0 == nil { _ = kill(pid, signal) } }
    }

    /// Waits for the child to end (blocking: call it off the cooperative threads) and says how.
    @discardableResult
    public func wait() -> Termination {
        ended.withLock { ended in
            if let ended { return ended }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
            let termination =
                status & 0x7f == 0
                ? Termination(status: (status >> 8) & 0xff, bySignal: false) : Termination(status: status & 0x7f, bySignal: true)
            ended = termination
            return termination
        }
    }

    /// Runs `executable` to its end with nothing on stdin; its exit status (a signal's number
    /// when one ended it), stdout and stderr.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws
        -> (status: Int32, stdout: Data, stderr: Data)
    {
        let child = try Child(executable, arguments, environment: environment)
        try child.stdin.close()
        // Both pipes are drained at once: a child filling one while we read the other would stop.
        final class Drained: @unchecked Sendable { var data = Data() }  // written before `done` is signalled
        let errors = Drained()
        let done = DispatchSemaphore(value: 0)
        Thread {
            errors.data = child.stderr.readDataToEndOfFile()
            done.signal()
        }.start()
        let output = child.stdout.readDataToEndOfFile()
        done.wait()
        return (child.wait().status, output, errors.data)
    }
}
