import YilianJSON

/// The sender system's own identifier of a request that came in through FHIR (its
/// `ServiceRequest.identifier`, SPEC §11): kept with the referral or consultation (unique per
/// sending hospital), exported beside Yilian's own, and what makes `fhir.import` file once.
public struct SenderIdentifier: Sendable, Equatable, JSONConvertible {
    public var system: String
    public var value: String

    /// Whether it may be kept (the database checks the same, migration 0051): printable ASCII
    /// without spaces (nothing in it moves a terminal), a system of at most 120 characters without
    /// "|", neither one of Yilian's own (`urn:yilian:…`, in any case) nor the resident ID's (kept
    /// whole it would show one), a value of at most 64.
    public var isValid: Bool {
        func printable(_ text: String, atMost: Int) -> Bool {
            (1...atMost).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        }
        return printable(system, atMost: 120) && printable(value, atMost: 64) && !system.contains("|")
            && !system.lowercased().hasPrefix("urn:yilian:") && system != FHIRBundle.residentID
    }

    public init(system: String, value: String) { (self.system, self.value) = (system, value) }

    public var json: JSONValue { ["system": .string(system), "value": .string(value)] }

    public init(json: JSONValue) throws(JSONValue.Mismatch) {
        let members = try JSONValue.Members(json, of: SenderIdentifier.self)
        self.init(system: try members.string("system"), value: try members.string("value"))
    }
}

extension ReferralRequest {
    /// Whether `filed` (the referral as its sender reads it, its resident ID masked) is what this
    /// request filed: the same in every field the request gives, the receiver as it was filed
    /// (`filedTo`: a redirect changes it later), the same patient (SPEC §2, the ID compared
    /// masked with the name, sex and birth date) with the same phone. A down-referral continuing
    /// a parent takes the parent's patient and diagnosis when it gives none.
    public func isFiled(as filed: ReferralFacts, filedTo: String) -> Bool {
        let patientAgrees = patient.map { $0.isSamePerson(as: filed.patient) && $0.phone == filed.patient.phone } ?? (parent != nil)
        return alliance == filed.alliance && from == filed.from && to == filedTo && (direction ?? filed.direction) == filed.direction
            && setting == filed.setting && priority == filed.priority && consent == filed.consent && reason == filed.reason
            && summary == filed.summary && attachments == filed.attachments && parent == filed.parent && patientAgrees
            && (diagnosis == filed.diagnosis || (diagnosis.isEmpty && parent != nil))
    }
}

extension ConsultationRequest {
    /// Whether `filed` (as its requester reads it) is what this request asked, as
    /// `ReferralRequest.isFiled(as:filedTo:)` says it of a referral.
    public func isFiled(as filed: ConsultationFacts) -> Bool {
        alliance == filed.alliance && from == filed.from && to == filed.to && mode == filed.mode && priority == filed.priority
            && patient.isSamePerson(as: filed.patient) && patient.phone == filed.patient.phone && consent == filed.consent
            && diagnosis == filed.diagnosis && question == filed.question && attachments == filed.attachments && referral == filed.referral
    }
}
