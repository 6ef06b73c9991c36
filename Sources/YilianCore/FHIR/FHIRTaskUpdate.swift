import YilianJSON

/// A Task update a hospital system sends (SPEC §11, `fhir.task`), read as the action it asks of
/// the referral or consultation its `identifier` names (as Yilian's export gives it): `accepted`
/// → accept (`note`), `rejected` → reject or decline (`statusReason`: a coding of
/// `urn:yilian:reject-reason` or `urn:yilian:decline-reason`, else `other`, and its text),
/// `in-progress` → arrive, `completed` → complete (`output` `outcome` and `recommendation`) or
/// conclude (`output` `conclusion`), `cancelled` → cancel (`statusReason.text`). The action's
/// method then applies every rule of its own.
public struct FHIRTaskUpdate: Sendable, Equatable {
    /// The action's method (`referral.reject`) and its parameters, `id` included.
    public let method: String
    public let params: JSONObject
    let places: FHIRPlaces

    /// The FHIR path of a parameter path (`outcome.summary`).
    public func place(of path: String) -> String { places.place(of: path) }

    /// Reads `task`; every problem found is thrown at once as `invalid_params` with its FHIR path.
    public init(reading task: JSONValue) throws(YilianError) {
        var problems: [Problem] = []
        if task["resourceType"] != "Task" { problems.append(Problem("Task.resourceType", Text("problem.oneOf", "Task"))) }
        let systems = ["referral", "consultation"].map(FHIRBundle.system)
        let named = ((task["identifier"]?.arrayValue ?? []) + [task["focus"]?["identifier"]].compactMap { $0 }).first { identifier in
            systems.contains(identifier["system"]?.stringValue ?? "") && identifier["value"]?.stringValue != nil
        }
        guard let named, let id = named["value"], let kind = named["system"]?.stringValue?.dropFirst("urn:yilian:".count) else {
            throw YilianError.invalidParams(problems + [Problem("Task.identifier", Text("fhir.taskCase"))])
        }
        var params: JSONObject = ["id": id]
        var places = ["id": "Task.identifier"]
        let reason = task["statusReason"]
        func output(_ name: String) -> (value: JSONValue?, path: String) {
            let outputs = task["output"]?.arrayValue ?? []
            let index = outputs.firstIndex { $0["type"]?["text"] == .string(name) }
            return (index.flatMap { outputs[$0]["valueString"] ?? outputs[$0]["valueCode"] }, "Task.output[\(index ?? outputs.count)]")
        }
        let action: String?
        switch (task["status"]?.stringValue, kind) {
        case ("accepted", _):
            action = "accept"
            (params["note"], places["note"]) = (task["note"]?.arrayValue?.first?["text"], "Task.note[0].text")
        case ("rejected", _):
            action = kind == "referral" ? "reject" : "decline"
            let code = reason?["coding"]?.arrayValue?.first {
                $0["system"] == .string(FHIRBundle.system(kind == "referral" ? "reject-reason" : "decline-reason"))
            }?["code"]
            (params["reasonCode"], places["reasonCode"]) = (code ?? "other", "Task.statusReason.coding")
            (params["reason"], places["reason"]) = (reason?["text"], "Task.statusReason.text")
        case ("in-progress", "referral"):
            action = "arrive"
        case ("completed", "referral"):
            action = "complete"
            let (summary, recommendation) = (output("outcome"), output("recommendation"))
            var outcome: JSONObject = ["diagnosis": []]
            (outcome["summary"], outcome["recommendation"]) = (summary.value, recommendation.value)
            params["outcome"] = .object(outcome)
            (places["outcome"], places["outcome.summary"]) = ("Task.output", "\(summary.path).valueString")
            places["outcome.recommendation"] = "\(recommendation.path).valueCode"
        case ("completed", _):
            action = "conclude"
            let conclusion = output("conclusion")
            (params["conclusion"], places["conclusion"]) = (conclusion.value, "\(conclusion.path).valueString")
        case ("cancelled", _):
            action = "cancel"
            (params["reason"], places["reason"]) = (reason?["text"], "Task.statusReason.text")
        default:
            action = nil
            let allowed =
                kind == "referral" ? "accepted, rejected, in-progress, completed, cancelled" : "accepted, rejected, completed, cancelled"
            problems.append(Problem("Task.status", Text("problem.oneOf", allowed)))
        }
        guard let action, problems.isEmpty else { throw YilianError.invalidParams(problems) }
        (method, self.params, self.places) = ("\(kind).\(action)", params, FHIRPlaces(places, whole: "Task"))
    }
}
