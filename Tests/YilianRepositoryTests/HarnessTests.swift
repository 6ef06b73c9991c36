import Foundation
import Testing
import YilianRepository
@testable import YilianTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The test harness itself: a run that crashed leaves a cluster behind, and the next run removes it.
@Suite struct HarnessTests {
    /// A child that exited but was not reaped (Foundation sometimes never notices; CI hung) is
    /// read from /proc: its exit code, or the signal that ended it.
    @Test func anUnreapedChildsExitStatusIsReadFromProc() throws {
        for (script, expected) in [("exit 3", YilianBinary.Termination(status: 3, bySignal: false)),
                                   ("kill -KILL $$", YilianBinary.Termination(status: SIGKILL, bySignal: true))] {
            var pid: pid_t = 0
            let words: [String] = ["/bin/sh", "-c", script]
            let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
            defer { arguments.forEach { free($0) } }
            #expect(posix_spawn(&pid, "/bin/sh", nil, nil, arguments, environ) == 0)
            var status: YilianBinary.Termination?
            for _ in 0..<500 where status == nil {
                status = YilianBinary.exitStatusUnreaped(pid)
                usleep(10_000)
            }
            #expect(status == expected, "\(script)")
            var reaped: Int32 = 0
            waitpid(pid, &reaped, 0)
            #expect(YilianBinary.exitStatusUnreaped(pid) == nil)
        }
    }

    @Test func aClusterLeftByADeadRunIsStoppedAndRemoved() async throws {
        // A PID that has certainly ended: a child we started and reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try YilianBinary.spawn(child)
        YilianBinary.waitForExit(child)
        let deadRun = TestPostgres.root.appending(path: "run-\(child.processIdentifier)", directoryHint: .isDirectory)
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
