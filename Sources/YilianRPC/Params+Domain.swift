import YilianCore
import YilianServices

/// `actor` {user, hospital}: who acts (`hospital` = `admin` for the platform administrator).
extension Actor: RPCParams {
    public init(reading reader: ParamReader) {
        self.init(user: reader.required("user", "Who acts."), hospital: reader.required("hospital", "The actor's hospital code, or admin."))
    }
}

extension MemberRole: ParamEnum {}
extension SlotRule: ParamEnum {}
extension Hospital.Grade: ParamEnum {}
extension Hospital.Kind: ParamEnum {}
extension ApplicationMachine.Status: ParamEnum {}
extension Services.MembershipDecision: ParamEnum {}

/// `responseHours` {emergency, urgent, routine}.
extension ResponseHours: RPCParams {
    public init(reading reader: ParamReader) {
        self.init(
            emergency: reader.required("emergency", "Hours to respond to an emergency referral."),
            urgent: reader.required("urgent", "Hours to respond to an urgent referral."),
            routine: reader.required("routine", "Hours to respond to a routine referral."))
    }
}

/// `limit` and `cursor` of list methods.
struct Paging {
    let limit: Int?
    let cursor: String?

    init(_ reader: ParamReader) {
        limit = reader.optional("limit", "At most this many items (default 50, at most 500).")
        cursor = reader.optional("cursor", "The nextCursor of the previous page.")
    }
}
