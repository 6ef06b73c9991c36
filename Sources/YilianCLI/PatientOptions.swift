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
            "An examination done, KIND:TITLE:REFERENCE[:recognized] (kind lab, imaging or document; recognized: a 互认 item); repeat for more.",
            valueName: "attachment"))
    var attachment: [String] = []

    /// Puts the flags given into `params`, over what a file gave (the patient member by member).
    func apply(to params: inout [String: JSONValue?]) throws {
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
        if !diagnosis.isEmpty { params["diagnosis"] = .array(try diagnosis.map(Self.diagnosis)) }
        if !attachment.isEmpty { params["attachments"] = .array(try attachment.map(Self.attachment)) }
    }

    static func diagnosis(_ text: String) throws -> JSONValue {
        guard let colon = text.firstIndex(of: ":") else {
            throw YilianError.invalidParams([Problem("diagnosis", Text("problem.diagnosisFormat", text))])
        }
        return ["code": .string(String(text[..<colon])), "name": .string(String(text[text.index(after: colon)...]))]
    }

    static func attachment(_ text: String) throws -> JSONValue {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else {
            throw YilianError.invalidParams([Problem("attachments", Text("problem.attachmentFormat", text))])
        }
        return [
            "kind": .string(parts[0]), "title": .string(parts[1]), "reference": .string(parts[2]),
            "recognized": .bool(parts.count == 4 && parts[3] == "recognized"),
        ]
    }
}
