import ArgumentParser
import YilianCore
import YilianJSON

/// The patient and what is known of the case: for filing a referral and asking a consultation.
struct PatientOptions: ParsableArguments {
    @Option(help: .text("The patient's name. Required (a down-referral with --parent takes its parent's patient).")) var patientName:
        String?
    @Option(help: Choices.help("The patient's sex, required", Sex.self), completion: .list(Choices.codes(Sex.self))) var patientSex: String?
    @Option(help: ArgumentHelp.text("The patient's birth date, YYYY-MM-DD. Required.", valueName: "date")) var patientBirthDate: String?
    @Option(help: ArgumentHelp.text("The 18-character resident ID (shown masked everywhere).", valueName: "id")) var patientIdNumber:
        String?
    @Option(help: ArgumentHelp.text("The patient's phone.", valueName: "phone")) var patientPhone: String?
    @Flag(help: .text("The patient consents. Required.")) var consent = false
    @Option(help: ArgumentHelp.text("A diagnosis as ICD-10 CODE:NAME, e.g. M79.2:神经痛; repeat for more. Required.", valueName: "code:name"))
    var diagnosis: [String] = []
    @Option(
        help: ArgumentHelp.text(
            "An examination done, KIND:TITLE:REFERENCE[:ITEM:YYYY-MM-DD:HOSPITAL] (kind lab, imaging or document; a result's 互认 item, the day and the hospital that performed it); repeat for more.",
            valueName: "attachment"))
    var attachment: [String] = []

    /// Puts the flags given into `params`, over what a file gave (the patient member by member);
    /// returns the problems of the flags it cannot read (a diagnosis without its colon), which the
    /// command tells with those of the rest (`CommandContext.refuse`).
    func apply(to params: inout [String: JSONValue?]) -> [Problem] {
        var patient: JSONObject = {
            if case .object(let members)? = params["patient"] ?? nil { return members }
            return [:]
        }()
        for (key, value) in [
            ("name", patientName), ("sex", patientSex), ("birthDate", patientBirthDate), ("idNumber", patientIdNumber),
            ("phone", patientPhone),
        ] {
            if let value { patient[key] = .string(value) }
        }
        if !patient.isEmpty { params["patient"] = .object(patient) }
        if consent { params["consent"] = true }
        var problems: [Problem] = []
        if !diagnosis.isEmpty {
            params["diagnosis"] = .array(diagnosis.compactMap(Self.diagnosis))
            problems += diagnosis.filter { Self.diagnosis($0) == nil }.map { Problem("diagnosis", Text("problem.diagnosisFormat", $0)) }
        }
        if !attachment.isEmpty {
            params["attachments"] = .array(attachment.compactMap(Self.attachment))
            problems += attachment.filter { Self.attachment($0) == nil }.map {
                Problem("attachments", Text("problem.attachmentFormat", $0))
            }
        }
        return problems
    }

    /// `CODE:NAME` as a diagnosis; nil when it has no colon.
    static func diagnosis(_ text: String) -> JSONValue? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return ["code": .string(String(text[..<colon])), "name": .string(String(text[text.index(after: colon)...]))]
    }

    /// Every `CODE:NAME` as a diagnosis, or the problem of the first that is not.
    static func diagnoses(_ texts: [String]) throws -> [JSONValue] {
        try texts.map { text in
            guard let diagnosis = diagnosis(text) else {
                throw YilianError.invalidParams([Problem("diagnosis", Text("problem.diagnosisFormat", text))])
            }
            return diagnosis
        }
    }

    /// `KIND:TITLE:REFERENCE[:ITEM:YYYY-MM-DD:HOSPITAL]` as an attachment (the reference may hold
    /// colons); nil when it has fewer than three parts.
    static func attachment(_ text: String) -> JSONValue? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return nil }
        var members: JSONObject = ["kind": .string(parts[0]), "title": .string(parts[1])]
        if parts.count >= 6, CalendarDate(parts[parts.count - 2]) != nil {
            members["reference"] = .string(parts[2..<(parts.count - 3)].joined(separator: ":"))
            (members["item"], members["performedAt"], members["performedBy"]) = (
                .string(parts[parts.count - 3]), .string(parts[parts.count - 2]), .string(parts[parts.count - 1])
            )
        } else {
            members["reference"] = .string(parts[2...].joined(separator: ":"))
        }
        return .object(members)
    }
}
