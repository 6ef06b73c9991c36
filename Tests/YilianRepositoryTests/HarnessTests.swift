import Foundation
import Testing
import YilianRepository

@testable import YilianTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The test harness itself: a run that crashed leaves a cluster behind, and the next run removes it.
@Suite struct HarnessTests {
    /// A child's end is its exit code, or the signal that ended it; one started from any thread
    /// ends on SIGTERM (it starts with no signal blocked).
    @Test func aChildEndsWithItsExitCodeOrItsSignal() throws {
        #expect(try Child("/bin/sh", ["-c", "exit 3"], environment: [:]).wait() == Child.Termination(status: 3, bySignal: false))
        #expect(
            try Child("/bin/sh", ["-c", "kill -KILL $$"], environment: [:]).wait() == Child.Termination(status: SIGKILL, bySignal: true))
        let sleeper = try Child("/bin/sleep", ["60"], environment: [:])
        sleeper.terminate()
        #expect(sleeper.wait() == Child.Termination(status: SIGTERM, bySignal: true))
    }

    @Test func aClusterLeftByADeadRunIsStoppedAndRemoved() async throws {
        // A PID that has certainly ended: a child we started and reaped.
        let child = try Child("/bin/true", [], environment: [:])
        child.wait()
        let deadRun = TestPostgres.root.appending(path: "run-\(child.pid)", directoryHint: .isDirectory)
        let cluster = EmbeddedCluster(home: deadRun.appending(path: "cluster", directoryHint: .isDirectory), settings: ["fsync": "off"])
        try await cluster.start()
        let pid = try #require(cluster.serverPID())
        #expect(kill(pid_t(pid), 0) == 0)

        TestPostgres.removeStaleRuns()

        // The pid file goes a moment before the process itself.
        for _ in 0..<100 where kill(pid_t(pid), 0) == 0 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(kill(pid_t(pid), 0) == -1)
        #expect(!FileManager.default.fileExists(atPath: deadRun.path))
        // This run's own folder is untouched.
        _ = try await TestPostgres.freshDatabase()
        #expect(FileManager.default.fileExists(atPath: TestPostgres.runDirectory.path))
    }
}
