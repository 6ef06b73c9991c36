import Foundation
import Testing
import YilianRepository
import YilianTestSupport

/// `yilian demo` tells the whole story and can be run again.
@Suite struct DemoTests {
    @Test func theDemoRunsTwiceInARow() async throws {
        let home = try TestPostgres.makeHome("demo")
        defer { _ = try? EmbeddedCluster(home: home).stop(immediate: true) }
        for run in 1...2 {
            let outcome = try await YilianBinary.run(["demo"], environment: ["YILIAN_HOME": home.path])
            #expect(outcome.exitCode == 0, "run \(run): \(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            for step in 1...17 { #expect(lines.contains { $0.hasPrefix("\(step). ") }, "run \(run): step \(step) missing") }
            #expect(outcome.stdout.contains("R-000001: accepted → scheduled on"))
            #expect(outcome.stdout.contains("acknowledged: closed, FHIR completed."))
            #expect(outcome.stdout.contains("emergency R-000003, accepted and admitted at once: in treatment."))
            #expect(outcome.stdout.contains("R-000003 emergency  file → requested  coordinator@CHC-HPL"))
            #expect(outcome.stdout.contains("converts it into referral R-000004."))
            #expect(outcome.stdout.contains("the sweep escalated R-000006."))
            #expect(outcome.stdout.contains("all      PAIN-BJ"))
            #expect(outcome.stdout.contains("booked 2 patients into it, and after 樊教授 saw them filed R-000007"))
            #expect(
                outcome.stdout.contains(
                    "Expert outreach: sessions at members' sites in the period 1 (those still ahead too), patients booked into them 2; members with a session 1 of 6 (17%)."
                ))
            #expect(!outcome.stdout.contains("110228195603120016"))  // resident IDs only masked
            #expect(outcome.stderr == (run == 1 ? "Started the embedded PostgreSQL in \(home.path).\n" : ""))
        }
        // On a Chinese locale the story is told in Chinese, in Beijing time.
        let chinese = try await YilianBinary.run(
            ["demo"], environment: ["YILIAN_HOME": home.path, "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"])
        #expect(chinese.exitCode == 0, "\(chinese.stderr)")
        #expect(chinese.stdout.hasPrefix("医联演示：北京地区疼痛专科医联体"))
        #expect(chinese.stdout.contains("（加急，应答时限 ") && chinese.stdout.contains(" 北京时间）"))
        #expect(chinese.stdout.contains("ZRYY   中日友好医院  30%       50%"))
        // No English word but codes (hospitals, specialties), logins, the FHIR status and the criteria's explanations (facts and values).
        let words = chinese.stdout.split(separator: "\n").filter {
            !$0.hasPrefix("     ✔") && !$0.hasPrefix("     ✘") && !$0.hasPrefix("6.")
        }
        .joined(separator: "\n").replacing(
            /[a-z]+@|[A-Z][A-Z0-9-]+|yilian[ _a-z]*|FHIR|completed|orthopedics|rehabilitation|pain/, with: "")
        #expect(!words.contains(/[a-z]{2,}/), "\(words)")

        // The demo kept out of Yilian's own database.
        let url = "postgresql:///yilian?host=\(home.path)/run&user=yilian"
        #expect(try await PGQuery.value(url, "SELECT count(*) FROM hospitals") == "0")
        #expect(
            try await PGQuery.value(url.replacingOccurrences(of: "/yilian?", with: "/yilian_demo?"), "SELECT count(*) FROM referrals")
                == "7")
    }
}
