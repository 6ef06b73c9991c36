import Testing
import YilianCore

/// The closest code to a mistyped one (SPEC §3).
@Suite struct ClosestCodeTests {
    @Test func theNearestWithinTwoEditsAndNothingFarther() {
        let codes = ["ZRYY", "MYQYY", "JGYY", "BYSY", "PAIN-BJ"]
        #expect(Codes.closest(to: "ZRJY", among: codes) == "ZRYY")
        #expect(Codes.closest(to: "myqy", among: codes) == "MYQYY")
        #expect(Codes.closest(to: "PAIN-SJ", among: codes) == "PAIN-BJ")
        // Of equals, the first in order: JGYY and ZRYY are both two edits from RJYY.
        #expect(Codes.closest(to: "RJYY", among: codes) == "JGYY")
        #expect(Codes.closest(to: "XQWZ", among: codes) == nil)
        #expect(Codes.closest(to: "ZRYY", among: []) == nil)
        // A hostile megabyte is compared with nothing (it cost seconds per code before).
        let clock = ContinuousClock()
        let huge = String(repeating: "Z", count: 1 << 20)
        let elapsed = clock.measure { #expect(Codes.closest(to: huge, among: codes) == nil) }
        #expect(elapsed < .milliseconds(50))
    }
}
