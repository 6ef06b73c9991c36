import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `yilian` executable, as a coordinator or a piping tool would.
public enum YilianBinary {
    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
        public var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    /// `.build/debug/yilian`, next to the test executable.
    public static var url: URL {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testExecutable.deletingLastPathComponent().appending(path: "yilian")
    }

    /// Runs `yilian ARGUMENTS` with `input` on stdin and the given environment added to a clean
    /// one (no YILIAN_* variables, locale or time zone of the caller leak in). With `onTerminal`
    /// its stdout is a terminal, as when a person runs it (stdout is then its bytes as written).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], input: Data = Data(), onTerminal: Bool = false
    ) async throws -> Outcome {
        let terminal = onTerminal ? try PseudoTerminal() : nil
        let process = try start(arguments, environment: environment, standardOutput: terminal?.slave)
        // The child has its own copy: the terminal's output ends when the child's is closed.
        try terminal?.slave.close()
        async let stdout = onThread { terminal?.readToEnd() ?? process.stdout.fileHandleForReading.readDataToEndOfFile() }
        async let stderr = onThread { process.stderr.fileHandleForReading.readDataToEndOfFile() }
        try await onThread {
            try process.stdin.fileHandleForWriting.write(contentsOf: input)
            try process.stdin.fileHandleForWriting.close()
        }
        let (out, err) = try await (stdout, stderr)
        let status = try await onThread { waitForExit(process.process) }
        return Outcome(
            exitCode: status, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs `body` on a thread of its own. Blocking pipe I/O and waits must not hold one of the
    /// cooperative threads the tests share (two on a 2-core machine): a test writing 57 MB to
    /// `serve` once waited for the reader of `serve`'s answers, which could not get a thread,
    /// and CI hung.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Waits for `process` to exit and returns its exit status (for a signal, the signal's number,
    /// as Foundation gives it). Foundation's `waitUntilExit` turns a run loop that, on a thread with
    /// nothing to run, spins a whole core the whole time. And Foundation does not always notice a
    /// child's exit: a clean-clone CI run hung with a dozen children exited, left unreaped
    /// (zombies) and `isRunning` true. A child exited for a second is read from /proc instead.
    @discardableResult
    public static func waitForExit(_ process: Process) -> Int32 { waitForTermination(process).status }

    /// How a child ended: its exit code, or (`bySignal`) the signal that ended it.
    public struct Termination: Equatable, Sendable {
        public var status: Int32
        public var bySignal: Bool
    }

    /// `waitForExit`, saying whether a signal ended the process. Foundation's own
    /// `terminationReason` traps when Foundation has not noticed the exit read from /proc.
    public static func waitForTermination(_ process: Process) -> Termination {
        var exitedAt: Date?
        while process.isRunning {
            if let ended = exitStatusUnreaped(process.processIdentifier) {
                if let exitedAt, Date().timeIntervalSince(exitedAt) > 1 { return ended }
                if exitedAt == nil { exitedAt = Date() }
            }
            usleep(2_000)
        }
        return Termination(status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal)
    }

    /// How `pid` ended when it has exited and nobody reaped it yet (/proc/PID/stat: state `Z`, and
    /// the wait status in field 52), decoded as Foundation decodes it; else nil. It does not reap:
    /// Foundation still may.
    static func exitStatusUnreaped(_ pid: Int32) -> Termination? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let name = stat.lastIndex(of: ")") else {
            return nil
        }
        // The fields after the name, from field 3 (the state) on.
        let fields = stat[stat.index(after: name)...].split(separator: " ")
        guard fields.first == "Z", fields.count > 49, let status = Int32(fields[49].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return nil
        }
        return status & 0x7f == 0 ? Termination(status: (status >> 8) & 0xff, bySignal: false) : Termination(status: status & 0x7f, bySignal: true)
    }

    /// A started process whose pipes the caller drives.
    public struct Running: @unchecked Sendable {
        public let process: Process
        public let stdin = Pipe()
        public let stdout = Pipe()
        public let stderr = Pipe()
    }

    private static let spawning = Mutex(())

    /// Starts `process`, one at a time in this test process: a clean-clone CI run crashed inside
    /// Foundation's `Process.run` (a bad pointer in a memmove) while other tests started theirs.
    public static func spawn(_ process: Process) throws {
        try spawning.withLock { _ in try process.run() }
    }

    /// Starts `yilian ARGUMENTS`, its stdout on `standardOutput` when given, else on `Running.stdout`.
    public static func start(_ arguments: [String], environment: [String: String] = [:], standardOutput: FileHandle? = nil) throws -> Running {
        let running = Running(process: Process())
        running.process.executableURL = url
        running.process.arguments = arguments
        // The caller's locale and time zone do not leak in either: English and UTC unless given.
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("YILIAN_") && !$0.key.hasPrefix("LC_") && $0.key != "LANG" }
        base["TZ"] = "UTC"
        base.merge(environment) { _, new in new }
        running.process.environment = base
        running.process.standardInput = running.stdin
        running.process.standardOutput = standardOutput ?? running.stdout
        running.process.standardError = running.stderr
        try spawn(running.process)
        return running
    }
}

/// A pseudo-terminal in raw mode (no line feed turned into CR LF): what the process given
/// `slave` as its stdout writes is read from the master as written. Both ends are closed on
/// exec, so no other process started meanwhile holds the slave open.
struct PseudoTerminal: Sendable {
    struct Failure: Error { let call: String }

    let master: FileHandle
    let slave: FileHandle

    init() throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw Failure(call: "openpty") }
        self.master = FileHandle(fileDescriptor: master, closeOnDealloc: true)
        self.slave = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        for end in [master, slave] where fcntl(end, F_SETFD, FD_CLOEXEC) != 0 { throw Failure(call: "fcntl") }
        var settings = termios()
        guard tcgetattr(slave, &settings) == 0 else { throw Failure(call: "tcgetattr") }
        cfmakeraw(&settings)
        guard tcsetattr(slave, TCSANOW, &settings) == 0 else { throw Failure(call: "tcsetattr") }
    }

    /// Everything written, once no process holds the slave side open (Linux then answers EIO).
    func readToEnd() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = read(master.fileDescriptor, &buffer, buffer.count), count > 0 {
            data.append(contentsOf: buffer[..<count])
        }
        return data
    }
}
