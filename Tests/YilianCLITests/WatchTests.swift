import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// `yilian watch` (SPEC §8): a watcher of the receiving hospital sees a green-channel referral
/// filed in another process at once, with the bell; a third hospital's watcher sees nothing.
@Suite struct WatchTests {
    /// What a running process has written to stdout so far.
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        init(_ pipe: Pipe) {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while case let chunk = handle.availableData, !chunk.isEmpty { lock.withLock { data.append(chunk) } }
            }
        }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

        /// Waits up to `seconds` for `condition` on the text so far.
        func wait(seconds: Double = 15, until condition: (String) -> Bool) async throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            while !condition(text) && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            return text
        }
    }

    @Test func aGreenChannelReferralReachesTheReceiversWatcherAtOnce() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let environment = ["YILIAN_DATABASE_URL": url, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"]
        let core = try YilianBinary.start(["watch", "--as", "li@ZRYY"], environment: environment)
        let stranger = try YilianBinary.start(["watch", "--as", "wang@JGYY", "--json"], environment: environment)
        defer {
            core.process.terminate()
            stranger.process.terminate()
        }
        let coreOutput = Output(core.stdout), strangerOutput = Output(stranger.stdout)
        try await Task.sleep(for: .milliseconds(1500))  // both listening
        let filed = try await YilianBinary.run(
            ["referral", "file", "--alliance", "PAIN-BJ", "--from", "MYQYY", "--to", "ZRYY", "--setting", "inpatient", "--priority", "emergency",
             "--consent", "--reason", "剧烈胸痛", "--diagnosis", "I21.9:急性心肌梗死", "--as", "wang@MYQYY"] + CoordinatorDayTests.li,
            environment: ["YILIAN_DATABASE_URL": url])
        #expect(filed.exitCode == 0, "\(filed.stderr)")
        let seen = try await coreOutput.wait { $0.contains("R-000001") }
        let line = try #require(seen.split(separator: "\n").first { $0.contains("R-000001") })
        #expect(line.hasPrefix("\u{7}"), "no bell: \(line)")
        #expect(line.contains(" 北京时间  R-000001 绿色通道  发起转诊 → 待接诊  wang@MYQYY"), "\(line)")
        // A second event, accepted by ZRYY, follows in order.
        _ = try await YilianBinary.run(["referral", "accept", "R-000001", "--as", "li@ZRYY"], environment: ["YILIAN_DATABASE_URL": url])
        let both = try await coreOutput.wait { $0.contains("接诊 → 已接诊待预约") }
        let numbers = both.split(separator: "\n").compactMap { Int($0.drop { $0 == "\u{7}" }.prefix { $0.isNumber }) }
        #expect(numbers.count == 2 && numbers == numbers.sorted(), "\(both)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(strangerOutput.text == "")
    }
}
