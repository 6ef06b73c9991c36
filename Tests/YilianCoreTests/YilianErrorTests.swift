import Testing
import YilianCore

@Suite struct YilianErrorTests {
    @Test func invalidParamsListsEveryProblemWithItsPath() {
        let error = YilianError.invalidParams([Problem("code", "is required"), Problem("level", "must be a whole number")])
        #expect(error.code == .invalidParams)
        #expect(error.message == "The request has 2 problems: code: is required; level: must be a whole number.")
        #expect(
            error.data["problems"]
                == [["path": "code", "message": "is required"], ["path": "level", "message": "must be a whole number"]])
    }

    @Test func singleProblemIsOneSentence() {
        #expect(YilianError.invalidParams([Problem("id", "is required")]).message == "id: is required.")
    }

    @Test func ruleViolationNamesTheRule() {
        let error = YilianError.ruleViolation("direction", "A referral up must go to a higher tier.")
        #expect(error.code == .ruleViolation)
        #expect(error.data == ["rule": "direction"])
    }

    @Test(arguments: YilianError.Code.allCases)
    func codesAreTheStableStringsOfTheSpec(code: YilianError.Code) {
        let expected = [
            "invalid_params", "not_found", "already_exists", "forbidden", "conflict", "invalid_transition",
            "rule_violation", "capacity_exhausted", "idempotency_mismatch", "database_unavailable", "internal",
        ]
        #expect(expected.contains(code.rawValue))
    }
}

@Suite struct ActorTests {
    @Test func parsesUserAtHospital() {
        #expect(Actor(parsing: "wang@ZRYY") == Actor(user: "wang", hospital: "ZRYY"))
        #expect(Actor(parsing: "ops@admin")?.isAdministrator == true)
        #expect(Actor(parsing: "wang@ZRYY")?.isAdministrator == false)
    }

    @Test(arguments: ["", "wang", "@ZRYY", "wang@", "@"])
    func refusesIncompleteActors(text: String) {
        #expect(Actor(parsing: text) == nil)
    }
}
