import YilianCore
import YilianJSON

extension Services {
    /// `fhir.export` (SPEC §11): a referral (`R-…`) or a consultation (`C-…`) as an HL7 FHIR R4
    /// Bundle, read (and logged) as `fhir.export`.
    public func fhirExport(_ id: String, by claimed: Actor?) async throws -> JSONValue {
        if id.hasPrefix("C-") {
            let form = try await consultationForm(id, reading: "fhir.export", by: claimed)
            return FHIRBundle.consultation(
                form.consultation.facts, history: form.consultation.history ?? [], from: form.from, to: form.to)
        }
        let form = try await referralForm(id, reading: "fhir.export", by: claimed)
        return FHIRBundle.referral(form.referral.facts, history: form.referral.history ?? [], from: form.from, to: form.to)
    }
}
