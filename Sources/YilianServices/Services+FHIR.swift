import Foundation
import YilianCore
import YilianJSON
import YilianRepository

extension Services {
    /// `fhir.export` (SPEC §11): a referral (`R-…`) or a consultation (`C-…`) as an HL7 FHIR R4
    /// Bundle, read (and logged) as `fhir.export`.
    public func fhirExport(_ id: String, by claimed: Actor?) async throws -> JSONValue {
        if id.hasPrefix("C-") {
            let form = try await consultationForm(id, reading: "fhir.export", by: claimed)
            let (alliance, _) = try await fhirAlliance(form.consultation.alliance, by: claimed)
            return FHIRBundle.consultation(
                form.consultation.facts, history: form.consultation.history ?? [], from: form.from, to: form.to, alliance: alliance)
        }
        let form = try await referralForm(id, reading: "fhir.export", by: claimed)
        let (alliance, zone) = try await fhirAlliance(form.referral.alliance, by: claimed)
        // A slot is a date: the appointment is that day in the alliance's time zone. A referral
        // cancelled after it was booked released its slot: its appointment, cancelled, was the
        // last date booked.
        let booked = form.referral.history?.last { ["schedule", "reschedule"].contains($0.action) }?.details?["date"]?.stringValue
        let slot = form.referral.slot ?? (form.referral.status == .cancelled ? booked.flatMap(CalendarDate.init) : nil)
        let day = slot.map { slot -> (start: Date, end: Date) in
            let midnight = Date(timeIntervalSince1970: TimeInterval(slot.daysSinceEpoch) * 86_400)
            let start = midnight.addingTimeInterval(-TimeInterval(TimeZone(identifier: zone)?.secondsFromGMT(for: midnight) ?? 0))
            return (start, start.addingTimeInterval(86_400))
        }
        return FHIRBundle.referral(
            form.referral.facts, history: form.referral.history ?? [], from: form.from, to: form.to, alliance: alliance, appointment: day)
    }

    /// The alliance as a Bundle names it, and its time zone.
    private func fhirAlliance(_ code: String, by claimed: Actor?) async throws -> (FHIRBundle.Alliance, String) {
        let identity = try await identify(claimed)
        let record = try await database.withConnection(as: identity.role) { try await AllianceRepository.get(code, on: $0) }
        let roles = Dictionary(record.members.map { ($0.hospital, $0.role) }, uniquingKeysWith: { first, _ in first })
        return (FHIRBundle.Alliance(code: record.code, name: record.name, roles: roles), record.timeZone)
    }
}

/// What a hospital system's Bundle files (`fhir.import`): a referral or a consultation.
public enum FHIRFiling: Sendable {
    case referral(ReferralRequest)
    case consultation(ConsultationRequest)
}

extension Services {
    /// `fhir.import` (SPEC §11): files `filing` with the sender system's `identifier`, every rule of
    /// `referral.file` or `consultation.request` applying. The identifier is unique per sending
    /// hospital (migration 0051), which makes the import idempotent with no record of its own:
    /// when the filing is refused, the case the identifier filed before answers (as it is now)
    /// if it is what `filing` asks, and `idempotency_mismatch` if it is not.
    public func fhirImport(_ filing: FHIRFiling, identifier: SenderIdentifier, by claimed: Actor?) async throws -> JSONValue {
        // Inside a transaction (a call with an idempotency key of its own) a refused filing would
        // end it: there the identifier is looked up first.
        if Database.isInTransaction, let id = try await sentCase(identifier, by: claimed) {
            return try await answer(id, filing, identifier, by: claimed)
        }
        do {
            switch filing {
            case .referral(var request):
                request.senderIdentifier = identifier
                return try await fileReferral(request, by: claimed).json
            case .consultation(var request):
                request.senderIdentifier = identifier
                return try await requestConsultation(request, by: claimed).json
            }
        } catch let refusal as YilianError where refusal.code != .invalidParams && !Database.isInTransaction {
            guard let id = try await sentCase(identifier, by: claimed) else { throw refusal }
            return try await answer(id, filing, identifier, by: claimed)
        }
    }

    /// The case the acting hospital filed under `identifier`, if any.
    private func sentCase(_ identifier: SenderIdentifier, by claimed: Actor?) async throws -> String? {
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) { try await ReferralRepository.sentCase(identifier, on: $0) }
    }

    /// Case `id`, filed under `identifier`, as the answer to `filing`: as it is now when it is what
    /// `filing` asks, else `idempotency_mismatch` naming it.
    private func answer(_ id: String, _ filing: FHIRFiling, _ identifier: SenderIdentifier, by claimed: Actor?) async throws -> JSONValue {
        let identity = try await identify(claimed)
        let mismatch = YilianError(
            .idempotencyMismatch, Text("fhir.identifierUsed", identifier.system, identifier.value, identity.actor.hospital, id))
        switch filing {
        case .referral(let request):
            var filed = try await referral(id, by: claimed)
            // Filed to the receiver its filing event names: a redirect changes it later.
            let filedTo = filed.history?.first?.details?["to"]?.stringValue ?? filed.to
            guard request.isFiled(as: filed.facts, filedTo: filedTo) else { throw mismatch }
            (filed.history, filed.continuations) = (nil, nil)
            return filed.json
        case .consultation(let request):
            var filed = try await consultation(id, by: claimed)
            guard request.isFiled(as: filed.facts) else { throw mismatch }
            filed.history = nil
            return filed.json
        }
    }
}
