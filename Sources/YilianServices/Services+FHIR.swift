import YilianCore
import YilianJSON

extension Services {
    /// `fhir.export` (SPEC §11): a referral as an HL7 FHIR R4 Bundle, read (and logged) as
    /// `fhir.export`. Consultations are not exported yet (issue 29).
    public func fhirExport(_ id: String, by claimed: Actor?) async throws -> JSONValue {
        guard id.hasPrefix("R-") else { throw YilianError(.invalidParams, Text("error.fhirReferralsOnly", id)) }
        let form = try await referralForm(id, reading: "fhir.export", by: claimed)
        return FHIRBundle.referral(form.referral.facts, history: form.referral.history ?? [], from: form.from, to: form.to)
    }
}
