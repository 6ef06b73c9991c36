import Foundation

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
        async let stdout = onThread { terminal?.readToEnd() ?? process.stdout.readDataToEndOfFile() }
        async let stderr = onThread { process.stderr.readDataToEndOfFile() }
        try await onThread {
            try process.stdin.write(contentsOf: input)
            try process.stdin.close()
        }
        let (out, err) = try await (stdout, stderr)
        let status = try await onThread { process.wait().status }
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

    /// Starts `yilian ARGUMENTS`, its stdout on `standardOutput` when given, else on `Child.stdout`.
    public static func start(_ arguments: [String], environment: [String: String] = [:], standardOutput: FileHandle? = nil) throws -> Child
    {
        // The caller's locale and time zone do not leak in either: English and UTC unless given.
        var base = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("YILIAN_") && !$0.key.hasPrefix("LC_") && $0.key != "LANG"
        }
        base["TZ"] = "UTC"
        base.merge(environment) { _, new in new }
        return try Child(url.path, arguments, environment: base, standardOutput: standardOutput)
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
