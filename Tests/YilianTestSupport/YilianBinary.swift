import Foundation

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
    /// one (no YILIAN_* variables, locale or time zone of the caller leak in).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], input: Data = Data()
    ) async throws -> Outcome {
        let process = try start(arguments, environment: environment)
        async let stdout = onThread { process.stdout.fileHandleForReading.readDataToEndOfFile() }
        async let stderr = onThread { process.stderr.fileHandleForReading.readDataToEndOfFile() }
        try await onThread {
            try process.stdin.fileHandleForWriting.write(contentsOf: input)
            try process.stdin.fileHandleForWriting.close()
        }
        let (out, err) = try await (stdout, stderr)
        try await onThread { waitForExit(process.process) }
        return Outcome(
            exitCode: process.process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
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

    /// Waits for `process` to exit. Foundation's `waitUntilExit` turns a run loop that, on a
    /// thread with nothing to run, spins a whole core the whole time.
    public static func waitForExit(_ process: Process) {
        while process.isRunning { usleep(2_000) }
    }

    /// A started process whose pipes the caller drives.
    public struct Running: @unchecked Sendable {
        public let process: Process
        public let stdin = Pipe()
        public let stdout = Pipe()
        public let stderr = Pipe()
    }

    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let running = Running(process: Process())
        running.process.executableURL = url
        running.process.arguments = arguments
        // The caller's locale and time zone do not leak in either: English and UTC unless given.
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("YILIAN_") && !$0.key.hasPrefix("LC_") && $0.key != "LANG" }
        base["TZ"] = "UTC"
        base.merge(environment) { _, new in new }
        running.process.environment = base
        running.process.standardInput = running.stdin
        running.process.standardOutput = running.stdout
        running.process.standardError = running.stderr
        try running.process.run()
        return running
    }
}
