extension Catalogue {
    /// English.
    public static let en: [String: String] = [
        // Referral statuses, actions and fields.
        "status.requested": "requested", "status.info_requested": "info requested", "status.accepted": "accepted",
        "status.rejected": "rejected", "status.scheduled": "scheduled", "status.in_treatment": "in treatment", "status.no_show": "no-show",
        "status.completed": "completed", "status.closed": "closed", "status.cancelled": "cancelled", "status.expired": "expired",
        "action.file": "file", "action.accept": "accept", "action.reject": "reject", "action.requestInfo": "request info",
        "action.provideInfo": "provide info", "action.redirect": "redirect", "action.schedule": "schedule", "action.reschedule": "reschedule",
        "action.arrive": "arrive", "action.noShow": "no-show", "action.complete": "complete", "action.acknowledge": "acknowledge",
        "action.cancel": "cancel", "action.escalate": "escalate", "action.expire": "expire",
        "priority.routine": "routine", "priority.urgent": "urgent", "priority.emergency": "emergency",
        "setting.outpatient": "outpatient", "setting.inpatient": "inpatient",
        "direction.up": "up", "direction.down": "down",
        "sex.male": "male", "sex.female": "female", "sex.unknown": "unknown",
        "rejectReason.capacity_full": "capacity full", "rejectReason.outside_scope": "outside scope",
        "rejectReason.insufficient_information": "insufficient information", "rejectReason.patient_declined": "patient declined",
        "rejectReason.not_indicated": "not indicated", "rejectReason.other": "other",
        "recommendation.down_refer": "down-refer", "recommendation.follow_up": "follow up", "recommendation.discharge": "discharge",
        "attachment.lab": "lab", "attachment.imaging": "imaging", "attachment.document": "document",
        "duty.coordinator": "coordinator", "duty.physician": "physician", "duty.hospital_admin": "hospital admin", "duty.auditor": "auditor",
        "duty.integration": "integration", "duty.platform_admin": "platform admin",

        // A referral's line, card and timeline.
        "referral.line": "{1} {2} {3} → {4}, {5} {6}, {7}", "referral.then": ", {1}", "referral.filed": "Filed {1}",
        "detail.date": "date {1}", "detail.previousDate": "was {1}", "detail.to": "to {1}", "detail.previousTo": "was to {1}",
        "detail.escalation": "escalation {1}",
        "worklist.size": " ({1})",
        "referral.overdue": " (overdue)",
        "referral.appointment": "appointment {1}",
        "referral.respondBy": "respond by {1}",
        "show.referral": "referral", "show.alliance": "alliance", "show.patient": "patient", "show.phone": "phone",
        "show.patientLine": "{1}, {2}, born {3}, ID {4}",
        "show.diagnosis": "diagnosis", "show.reason": "reason", "show.summary": "summary", "show.attachments": "attachments",
        "show.recognized": " (mutually recognised)", "show.respondBy": "respond by", "show.appointment": "appointment", "show.version": "version",
        "show.fhirStatus": "FHIR status", "show.escalation": "escalation", "show.outcome": "outcome", "show.outcomeLine": "outcome: {1} → {2}", "show.continues": "continues",
        "show.continuedBy": "continued by", "show.episode": "Episode", "show.created": "filed", "show.updated": "updated",
        "timeline.seq": "#", "timeline.at": "When", "timeline.action": "Action", "timeline.from": "From", "timeline.to": "To",
        "timeline.by": "By", "timeline.note": "Note",
        "list.id": "Id", "list.direction": "Dir", "list.from": "From", "list.to": "To", "list.priority": "Priority",
        "list.patient": "Patient", "list.status": "Status", "list.when": "Respond by / appointment",
        "list.nothing": "Nothing found.", "list.more": "More: --cursor {1}",
        "yes": "yes", "no": "no",

        // Worklist.
        "worklist.title": "Worklist of {1}",
        "section.incoming": "Incoming", "section.overdue": "Overdue", "section.toSchedule": "To schedule", "section.expected": "Expected",
        "section.inTreatment": "In treatment", "section.toAcknowledge": "To acknowledge", "section.outgoing": "Outgoing",
        "worklist.count": "{1}", "worklist.cut": "first {1} of {2}",

        // Sweep.
        "sweep.result": "Escalated {1}, expired {2}.",
    ]
}
