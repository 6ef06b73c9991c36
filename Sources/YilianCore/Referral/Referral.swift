import YilianJSON

/// The patient of a referral. `idNumber` is whole only as a request gives it: the database keeps
/// it aside and stores it masked, and every output masks it.
public struct Patient: Equatable, Sendable, JSONConvertible {
    public var name: String
    public var sex: Sex
    public var birthDate: String
    public var idNumber: String?
    public var phone: String?
    /// The database's keyed hash of the resident ID (never in JSON): read with a stored patient,
    /// whose ID is masked, it is how that patient is recognised and copied.
    public var key: String?

    public init(name: String, sex: Sex, birthDate: String, idNumber: String? = nil, phone: String? = nil) {
        self.name = name
        self.sex = sex
        self.birthDate = birthDate
        self.idNumber = idNumber
        self.phone = phone
    }

    /// The same patient with the resident ID masked (`**************123X`), as all output shows it.
    public var masked: Patient {
        var copy = self
        copy.idNumber = idNumber.map(ResidentID.mask)
        return copy
    }

    /// The same person (SPEC §2): the same resident ID when both have one (by their keys when
    /// both have one, since a stored ID is masked; a whole one without its key — the database
    /// gives a hospital the key only of IDs it entered — as masked, with the same name, sex and
    /// birth date), else the same name, sex and birth date.
    public func isSamePerson(as other: Patient) -> Bool {
        let samePerson = name.trimmingWhitespace() == other.name.trimmingWhitespace() && sex == other.sex && birthDate == other.birthDate
        if let key, let otherKey = other.key { return key == otherKey }
        guard let idNumber, let otherID = other.idNumber else { return samePerson }
        if idNumber.contains("*") || otherID.contains("*") {
            return samePerson && ResidentID.mask(idNumber).uppercased() == ResidentID.mask(otherID).uppercased()
        }
        return idNumber.uppercased() == otherID.uppercased()
    }

    public var json: JSONValue {
        [
            "birthDate": .string(birthDate), "idNumber": JSONValue(idNumber), "name": .string(name), "phone": JSONValue(phone),
            "sex": .string(sex.rawValue),
        ]
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: Patient.self)
        self.init(
            name: try members.string("name"), sex: try members.value("sex"), birthDate: try members.string("birthDate"),
            idNumber: try members.optionalString("idNumber"), phone: try members.optionalString("phone"))
    }

}

public struct Diagnosis: Equatable, Sendable, JSONConvertible {
    public var code: String
    public var name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public var json: JSONValue { ["code": .string(code), "name": .string(name)] }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: Diagnosis.self)
        self.init(code: try members.string("code"), name: try members.string("name"))
    }
}

/// An examination the case carries. A lab or imaging result may name its 互认 catalogue `item`,
/// the day it was performed and the hospital that performed it; whether the alliance recognises
/// it is `recognition`, decided by the database on a referral (SPEC §13), never claimed.
public struct Attachment: Equatable, Sendable, JSONConvertible {
    public var kind: AttachmentKind
    public var title: String
    public var reference: String
    public var item: String?
    /// `YYYY-MM-DD`.
    public var performedAt: String?
    /// A hospital code.
    public var performedBy: String?
    /// Decided on a referral when it was filed and when its slot date changed; none on a
    /// consultation, and none in what a sender sends.
    public var recognition: Recognition?

    public init(
        kind: AttachmentKind, title: String, reference: String, item: String? = nil, performedAt: String? = nil, performedBy: String? = nil
    ) {
        (self.kind, self.title, self.reference) = (kind, title, reference)
        (self.item, self.performedAt, self.performedBy) = (item, performedAt, performedBy)
    }

    public var json: JSONValue {
        var members: JSONObject = ["kind": .string(kind.rawValue), "reference": .string(reference), "title": .string(title)]
        members["item"] = item.map(JSONValue.string)
        members["performedAt"] = performedAt.map(JSONValue.string)
        members["performedBy"] = performedBy.map(JSONValue.string)
        members["recognition"] = recognition?.json
        return .object(members)
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: Attachment.self)
        self.init(
            kind: try members.value("kind"), title: try members.string("title"), reference: try members.string("reference"),
            item: try members.optionalString("item"), performedAt: try members.optionalString("performedAt"),
            performedBy: try members.optionalString("performedBy"))
        recognition = try members.optionalObject("recognition")
    }

    /// Problems with what a sender gives, at `path` (`attachments[0]`).
    func problems(at path: String, today: CalendarDate) -> [Problem] {
        var problems = [("title", title), ("reference", reference)].filter { $0.1.trimmingWhitespace().isEmpty }
            .map { Problem("\(path).\($0.0)", Text("problem.empty")) }
        if let item, !RecognitionCatalogue.isCode(item) { problems.append(Problem("\(path).item", Text("problem.itemCode"))) }
        if let item, kind == .document { problems.append(Problem("\(path).item", Text("problem.documentItem", item))) }
        if let performedAt {
            if let day = CalendarDate(performedAt) {
                // `today` is UTC's: a result of today in a zone ahead of it is not in the future.
                if day.daysSinceEpoch > today.daysSinceEpoch + 1 { problems.append(Problem("\(path).performedAt", Text("problem.future"))) }
            } else {
                problems.append(Problem("\(path).performedAt", Text("problem.date")))
            }
        }
        if let performedBy, !Codes.isValid(performedBy) { problems.append(Problem("\(path).performedBy", Text("problem.code"))) }
        return problems
    }
}

/// What the receiver reports on `complete`.
public struct TreatmentOutcome: Equatable, Sendable, JSONConvertible {
    public var summary: String
    public var diagnosis: [Diagnosis]
    public var recommendation: Recommendation
    public var followUpDays: Int?
    public init(summary: String, diagnosis: [Diagnosis], recommendation: Recommendation, followUpDays: Int? = nil) {
        self.summary = summary
        self.diagnosis = diagnosis
        self.recommendation = recommendation
        self.followUpDays = followUpDays
    }

    public var json: JSONValue {
        [
            "diagnosis": diagnosis.json, "followUpDays": followUpDays.map(JSONValue.integer) ?? .null,
            "recommendation": .string(recommendation.rawValue), "summary": .string(summary),
        ]
    }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: TreatmentOutcome.self)
        self.init(
            summary: try members.string("summary"), diagnosis: try members.array("diagnosis"),
            recommendation: try members.value("recommendation"),
            followUpDays: try members.optionalInt("followUpDays"))
    }

    public var problems: [Problem] {
        var problems: [Problem] = []
        if summary.trimmingWhitespace().isEmpty { problems.append(Problem("outcome.summary", Text("problem.empty"))) }
        problems += Referrals.diagnosisProblems(diagnosis, at: "outcome.diagnosis", allowEmpty: true)
        if let followUpDays, !(1...3650).contains(followUpDays) {
            problems.append(Problem("outcome.followUpDays", Text("problem.followUpDays")))
        }
        return problems
    }
}

/// What a sender files.
public struct ReferralRequest: Equatable, Sendable {
    public var alliance: String
    public var from: String
    public var to: String
    public var direction: Direction?
    public var setting: Setting
    public var priority: Priority
    /// Nil only for a down-referral with a `parent`, whose patient it is.
    public var patient: Patient?
    public var consent: Bool
    public var diagnosis: [Diagnosis]
    public var reason: String
    public var summary: String?
    public var attachments: [Attachment]
    public var parent: String?
    /// File even when the patient already has an open referral between the same hospitals.
    public var allowDuplicate: Bool
    /// The consultation this referral converts (set by `consultation.convert`, not by callers).
    public var consultation: String?
    /// The sender system's own identifier (set by `fhir.import`, not by callers).
    public var senderIdentifier: SenderIdentifier?
    /// The outreach session (专家下沉) the patient was seen in, for an up-referral to the expert's
    /// hospital (SPEC §14).
    public var outreach: String?

    public init(
        alliance: String, from: String, to: String, direction: Direction?, setting: Setting, priority: Priority, patient: Patient?,
        consent: Bool, diagnosis: [Diagnosis], reason: String, summary: String? = nil, attachments: [Attachment] = [],
        parent: String? = nil,
        allowDuplicate: Bool = false, consultation: String? = nil, outreach: String? = nil
    ) {
        (self.alliance, self.from, self.to, self.direction, self.setting) = (alliance, from, to, direction, setting)
        (self.priority, self.patient, self.consent, self.diagnosis, self.reason) = (priority, patient, consent, diagnosis, reason)
        (self.summary, self.attachments, self.parent) = (summary, attachments, parent)
        (self.allowDuplicate, self.consultation, self.outreach) = (allowDuplicate, consultation, outreach)
    }

    /// Every problem with the fields, at once (`today` bounds the birth date). The patient and
    /// the diagnosis may be left out of a down-referral continuing a parent.
    public func problems(today: CalendarDate) -> [Problem] {
        var problems: [Problem] = []
        if let patient {
            problems += Self.problems(of: patient, today: today, copied: parent != nil || consultation != nil)
        } else if parent == nil {
            problems.append(Problem("patient", Text("problem.patientNeeded")))
        }
        problems += Referrals.diagnosisProblems(diagnosis, at: "diagnosis", allowEmpty: parent != nil)
        if reason.trimmingWhitespace().isEmpty { problems.append(Problem("reason", Text("problem.empty"))) }
        return problems + Self.problems(of: attachments, today: today)
    }

    /// An attachment needs a title and a reference; what it says of its examination is checked.
    static func problems(of attachments: [Attachment], today: CalendarDate) -> [Problem] {
        attachments.enumerated().flatMap { index, attachment in attachment.problems(at: "attachments[\(index)]", today: today) }
    }

    /// A `copied` patient may carry the masked ID of the referral or consultation it continues
    /// (the database takes it only with that row's own masked ID); any other ID must be whole.
    static func problems(of patient: Patient, today: CalendarDate, copied: Bool = false) -> [Problem] {
        var problems: [Problem] = []
        if patient.name.trimmingWhitespace().isEmpty { problems.append(Problem("patient.name", Text("problem.empty"))) }
        let birth = CalendarDate(patient.birthDate)
        if birth == nil {
            problems.append(Problem("patient.birthDate", Text("problem.date")))
        } else if birth! > today {
            problems.append(Problem("patient.birthDate", Text("problem.future")))
        }
        if let idNumber = patient.idNumber, !(copied && idNumber.contains("*")) {
            if let problem = ResidentID.problem(idNumber) {
                problems.append(Problem("patient.idNumber", problem))
            } else if let birth, ResidentID.birthDate(idNumber) != birth {
                problems.append(Problem("patient.idNumber", Text("problem.idOtherBirth")))
            }
        }
        if let phone = patient.phone, phone.count < 5 || phone.count > 20 || !phone.allSatisfy({ $0.isNumber || "+- ".contains($0) }) {
            problems.append(Problem("patient.phone", Text("problem.phone")))
        }
        return problems
    }

    /// The patient and diagnosis the referral records (SPEC §2): its own, or for a down-referral
    /// continuing `parent` the parent's patient (with a phone or resident ID given now) and,
    /// when none is given, the diagnosis of the parent's outcome (else of the parent). A patient given for another person than the
    /// parent's is rule `patient`.
    public func recorded(continuing parent: ReferralRecord?) throws(YilianError) -> (patient: Patient, diagnosis: [Diagnosis]) {
        guard let parent else {
            guard let patient else { throw YilianError.invalidParams([Problem("patient", Text("problem.required"))]) }
            return (patient, diagnosis)
        }
        var recorded = parent.patient
        if let patient {
            guard patient.isSamePerson(as: parent.patient) else {
                throw YilianError.ruleViolation("patient", Text("error.patient", parent.id))
            }
            recorded.phone = patient.phone ?? recorded.phone
            if recorded.idNumber == nil { (recorded.idNumber, recorded.key) = (patient.idNumber, patient.key) }
        }
        guard diagnosis.isEmpty else { return (recorded, diagnosis) }
        let treated = parent.outcome?.diagnosis ?? []
        return (recorded, treated.isEmpty ? parent.diagnosis : treated)
    }
}

public enum Referrals {
    /// ICD-10 codes: a letter, two digits, then optionally a dot and up to 8 more characters
    /// (national extensions such as `M79.200x001`).
    public static func isICD10(_ code: String) -> Bool {
        let scalars = Array(code.unicodeScalars)
        guard scalars.count >= 3, ("A"..."Z").contains(scalars[0]), scalars[1].properties.numericType != nil, scalars[1].isASCII,
            scalars[2].isASCII, scalars[2].properties.numericType != nil
        else { return false }
        if scalars.count == 3 { return true }
        guard scalars[3] == ".", (5...12).contains(scalars.count) else { return false }
        return scalars[4...].allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }
    }

    static func diagnosisProblems(_ diagnosis: [Diagnosis], at path: String, allowEmpty: Bool) -> [Problem] {
        var problems: [Problem] = []
        if diagnosis.isEmpty && !allowEmpty { problems.append(Problem(path, Text("problem.diagnosisNeeded"))) }
        for (index, item) in diagnosis.enumerated() {
            if !isICD10(item.code) { problems.append(Problem("\(path)[\(index)].code", Text("problem.icd10", item.code))) }
            if item.name.trimmingWhitespace().isEmpty { problems.append(Problem("\(path)[\(index)].name", Text("problem.empty"))) }
        }
        return problems
    }

    /// The direction a referral from a hospital of `fromLevel` to one of `toLevel` may take:
    /// up when the receiver's tier is higher, or the receiver is the core hospital and the sender
    /// is not; down when the receiver's tier is lower; nil when neither.
    public static func direction(fromLevel: Int, toLevel: Int, toIsCore: Bool, fromIsCore: Bool) -> Direction? {
        if toLevel > fromLevel || (toIsCore && !fromIsCore) { return .up }
        if toLevel < fromLevel { return .down }
        return nil
    }
}

/// Resident identity numbers (居民身份证号, GB 11643-1999): 17 digits and a check character.
public enum ResidentID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// What is wrong with the number, nil when it is valid. Never includes the number itself.
    public static func problem(_ number: String) -> Text? {
        let characters = Array(number)
        guard characters.count == 18 else { return Text("problem.idLength") }
        let digits = characters.prefix(17).compactMap { $0.wholeNumberValue }
        guard digits.count == 17, characters.prefix(17).allSatisfy(\.isASCII) else { return Text("problem.idDigits") }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard characters[17] == checkCharacters[sum % 11] else { return Text("problem.idCheck") }
        guard birthDate(number) != nil else { return Text("problem.idBirth") }
        return nil
    }

    /// The birth date in positions 7–14.
    public static func birthDate(_ number: String) -> CalendarDate? {
        let characters = Array(number)
        guard characters.count == 18 else { return nil }
        let text = String(characters[6..<10]) + "-" + String(characters[10..<12]) + "-" + String(characters[12..<14])
        return CalendarDate(text)
    }

    /// `**************123X`: only the last four characters stay (SPEC §4). Keeping the region
    /// code too would let anyone rebuild the number from the birth date shown beside it. Counted
    /// in code points, as the database masks (`yilian_masked_id`), so masking a stored (masked)
    /// ID changes nothing.
    public static func mask(_ number: String) -> String {
        let scalars = number.unicodeScalars
        guard scalars.count > 4 else { return String(repeating: "*", count: scalars.count) }
        return String(repeating: "*", count: scalars.count - 4) + String(String.UnicodeScalarView(scalars.suffix(4)))
    }
}
