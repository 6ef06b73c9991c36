import Foundation
import YilianCore
import YilianJSON
import YilianRepository

extension Services {
    /// `audit.list`: the access log, newest first. An auditor reads its own hospital's; the
    /// platform reads every hospital's (or `hospital`'s); nobody else reads it.
    public func accessLog(
        hospital: String?, referral: String?, from: String?, to: String?, limit: Int?, cursor: String?, by claimed: Actor?
    ) async throws -> Page<AccessRecord> {
        let identity = try await identify(claimed)
        var problems: [Problem] = []
        let period = Self.period(from: from, to: to, problems: &problems)
        let limit = try? Self.pageLimit(limit)
        if limit == nil { problems.append(Problem("limit", Text("problem.limit"))) }
        let before = cursor.flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
        if cursor != nil && before == nil { problems.append(Problem("cursor", Text("problem.cursor"))) }
        guard let limit, problems.isEmpty else { throw YilianError.invalidParams(problems) }
        let records = try await reads.withConnection(as: identity.role) { connection in
            switch try await UserRepository.currentDuty(on: connection) {
            case .platformAdmin:
                break
            case .auditor where hospital == nil || hospital == identity.actor.hospital:
                break
            case .auditor:
                throw YilianError(
                    .forbidden, Text("error.auditOwn", identity.actor.tag, identity.actor.hospital, hospital ?? ""))
            case .coordinator, .physician, .hospitalAdmin, .integration, nil:
                throw YilianError(
                    .forbidden, Text("error.auditDuty", identity.actor.tag))
            }
            return try await AccessLogRepository.list(
                hospital: hospital, referral: referral, from: period.lower, to: period.upper, limit: limit, before: before,
                on: connection)
        }
        return Self.page(records, limit: limit, cursor: \.cursor)
    }

    /// The instants bounding the days `from` through `to` (dates YYYY-MM-DD, inclusive, days of
    /// China's time zone; either may be absent), with a problem appended for each that is not such a date or when
    /// `to` is before `from`.
    static func period(from: String?, to: String?, problems: inout [Problem]) -> (lower: Date?, upper: Date?) {
        func date(_ text: String?, _ name: String) -> CalendarDate? {
            guard let text else { return nil }
            guard let date = CalendarDate(text) else {
                problems.append(Problem(name, CalendarDate.rule))
                return nil
            }
            return date
        }
        let start = date(from, "from")
        let end = date(to, "to")
        if let start, let end, end < start { problems.append(Problem("to", Text("problem.beforeFrom"))) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: AllianceDefaults.timeZone) ?? .gmt
        func midnight(_ date: CalendarDate, plus days: Int) -> Date? {
            calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day + days))
        }
        return (start.flatMap { midnight($0, plus: 0) }, end.flatMap { midnight($0, plus: 1) })
    }
}
