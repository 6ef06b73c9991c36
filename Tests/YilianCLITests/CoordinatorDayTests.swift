import Foundation
import Testing
import YilianJSON
import YilianTestSupport

/// Issue 16, a coordinator's day: what a new coordinator in a Beijing hospital tried, each with
/// its exact output.
@Suite struct CoordinatorDayTests {
    @Test func theCatalogHasGeneralPracticeAndAChineseNameIsPointedToItsCode() async throws {
        let url = try await TestPostgres.freshDatabase()
        try ReliabilityFixture.seed(url, slots: [])
        let environment = ["YILIAN_DATABASE_URL": url]
        let list = try await YilianBinary.run(["specialty", "list", "--as", "wang@MYQYY"], environment: environment)
        #expect(list.exitCode == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 16)
        #expect(lines[2] == "general         全科")
        #expect(lines[3] == "pain            疼痛科")
        let chinese = try await YilianBinary.run(
            ["slots", "publish", "--hospital", "ZRYY", "--specialty", "疼痛科", "--date", "2026-12-01", "--capacity", "2", "--as", "li@ZRYY"],
            environment: environment)
        #expect(chinese.exitCode == 65)
        #expect(chinese.stderr == "specialty: 疼痛科 is the name of specialty pain; give its code, pain.\n")
    }
}
