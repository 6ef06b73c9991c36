import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// Applications and memberships (SPEC §2).
extension Services {
    // MARK: Authorization

    /// `action`: a `phrase` of the catalogue (`registerHospitals`).
    func requireAdministrator(_ actor: Actor, to action: String) throws {
        guard actor.isAdministrator else {
            throw YilianError(.forbidden, Text("error.onlyPlatform", Words("phrase", action), actor.hospital))
        }
    }

    func requireCore(_ actor: Actor, of alliance: AllianceRecord, to action: String) throws {
        guard actor.hospital == alliance.core else {
            throw YilianError(
                .forbidden, Text("error.onlyCore", alliance.core, alliance.code, Words("phrase", action)))
        }
    }

    /// The core's decisions (criteria, applications, members) are its hospital administrators'
    /// (SPEC §6); the wall refuses anyone else, and this says so in words first.
    func requireCoreAdministrator(_ actor: Actor, of alliance: AllianceRecord, to action: String, on connection: DatabaseSession)
        async throws
    {
        try requireCore(actor, of: alliance, to: action)
        guard try await UserRepository.currentDuty(on: connection) == .hospitalAdmin else {
            throw YilianError(.forbidden, Text("error.coreAdmin", alliance.core, alliance.code, Words("phrase", action), actor.tag))
        }
    }

    static func pageLimit(_ limit: Int?) throws -> Int {
        let limit = limit ?? 50
        guard (1...500).contains(limit) else { throw YilianError.invalidParams([Problem("limit", Text("problem.limit"))]) }
        return limit
    }

    static func page<Item>(_ items: [Item], limit: Int, cursor: (Item) -> String) -> Page<Item> {
        Page(items: items, nextCursor: items.count == limit ? items.last.map(cursor) : nil)
    }

    // MARK: Applications

    public func apply(alliance code: String, hospital: String, role: MemberRole, facts: JSONValue, by claimed: Actor?) async throws
        -> ApplicationView
    {
        let identity = try await identify(claimed)
        let actor = identity.actor
        guard actor.hospital == hospital else {
            throw YilianError(.forbidden, Text("error.applyOwn", hospital, actor.hospital))
        }
        guard case .object = facts else { throw YilianError.invalidParams([Problem("facts", Text("problem.object"))]) }
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let alliance = try await AllianceRepository.get(code, on: connection)
            guard alliance.status == "active" else {
                throw YilianError.ruleViolation("alliance_active", Text("error.allianceClosed", code, alliance.status))
            }
            let applicant = try await HospitalRepository.get(hospital, on: connection)
            guard role != .core else {
                throw YilianError.ruleViolation("role", Text("error.oneCore"))
            }
            guard applicant.level == role.requiredLevel else {
                throw YilianError.ruleViolation(
                    "role_level", Text("error.roleLevel", role.rawValue, role.requiredLevel, hospital, applicant.level))
            }
            let membership = try await MembershipRepository.membership(alliance: code, hospital: hospital, on: connection)
            if let membership, !MembershipMachine.mayApply(from: membership.status) {
                throw YilianError.ruleViolation("already_member", Text("error.alreadyMember", hospital, code, membership.status.rawValue))
            }
            let (version, evaluation) = try await Self.judge(applicant, facts: facts, role: role, alliance: code, on: connection)
            let id = try await MembershipRepository.insert(
                ApplicationRecord(
                    id: "", alliance: code, hospital: hospital, role: role, status: .submitted, facts: facts, criteriaVersion: version,
                    evaluation: try evaluation.stored(), createdAt: now, updatedAt: now),
                by: actor.tag, on: connection)
            // Judged just now: the view shows that evaluation, not the one stored.
            return ApplicationView(try await MembershipRepository.get(id, on: connection), evaluation: evaluation)
        }
    }

    /// Evaluates an applicant against the alliance's current criteria (or version `wanted`).
    static func judge(
        _ hospital: Hospital, facts: JSONValue, role: MemberRole, alliance: String, version wanted: Int? = nil,
        on connection: DatabaseSession
    ) async throws -> (Int, EvaluationView) {
        let (version, document): (Int, JSONValue)
        do {
            (version, document) = try await criteria(of: alliance, version: wanted, on: connection)
        } catch let error as YilianError where error.code == .notFound && wanted == nil {
            throw YilianError.ruleViolation("criteria_published", Text("error.noCriteriaToJudge", alliance))
        }
        let set = try CriteriaSet.parse(document)
        let evaluation = set.evaluate(facts: hospital.evaluationFacts(submitted: facts), role: role)
        return (
            version,
            EvaluationView(
                alliance: alliance, criteriaVersion: version, role: role, evaluation, registryOverrode: hospital.overridden(in: facts))
        )
    }

    /// The applicant answers a request for information: new facts, evaluated again.
    public func updateApplication(_ id: String, facts: JSONValue, by claimed: Actor?) async throws -> ApplicationView {
        let identity = try await identify(claimed)
        guard case .object = facts else { throw YilianError.invalidParams([Problem("facts", Text("problem.object"))]) }
        return try await changeApplication(id, as: identity, action: .update, reason: nil) { application, connection in
            let hospital = try await HospitalRepository.get(application.hospital, on: connection)
            let (version, evaluation) = try await Self.judge(
                hospital, facts: facts, role: application.role, alliance: application.alliance, on: connection)
            application.facts = facts
            application.criteriaVersion = version
            application.evaluation = try evaluation.stored()
        }
    }

    public enum MembershipDecision: String, CaseIterable, Sendable {
        case approve, reject
        case requestInfo = "request_info"
    }

    public func decide(
        _ id: String, decision: MembershipDecision, reason: String, override: String?, by claimed: Actor?
    ) async throws -> ApplicationView {
        let identity = try await identify(claimed)
        guard !reason.allSatisfy(\.isWhitespace) else { throw YilianError.invalidParams([Problem("reason", Text("problem.empty"))]) }
        let action: ApplicationMachine.Action
        switch decision {
        case .approve: action = .approve
        case .reject: action = .reject
        case .requestInfo: action = .requestInfo
        }
        return try await changeApplication(id, as: identity, action: action, reason: reason, override: override) { application, _ in
            application.decisionReason = reason
        }
    }

    public func withdrawApplication(_ id: String, by claimed: Actor?) async throws -> ApplicationView {
        let identity = try await identify(claimed)
        return try await changeApplication(id, as: identity, action: .withdraw, reason: nil) { _, _ in }
    }

    /// One application action: authorize, check the transition, change, and write it with its
    /// event (an approval also admits the applicant). The core's approval judges the stored facts
    /// again against the criteria version they were submitted under: the evaluation stored with
    /// them is the applicant's, kept for display, never an input to a decision (SPEC §6).
    private func changeApplication(
        _ id: String, as identity: Identity, action: ApplicationMachine.Action, reason: String?, override: String? = nil,
        change: @escaping @Sendable (inout ApplicationRecord, DatabaseSession) async throws -> Void
    ) async throws -> ApplicationView {
        let actor = identity.actor
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            var application = try await MembershipRepository.get(id, on: connection)
            let alliance = try await AllianceRepository.get(application.alliance, on: connection)
            let party: ApplicationMachine.Party
            if actor.hospital == application.hospital {
                party = .applicant
            } else if actor.hospital == alliance.core {
                party = .core
                try await requireCoreAdministrator(actor, of: alliance, to: "decideApplications", on: connection)
            } else {
                throw YilianError(
                    .forbidden, Text("error.notApplicationParty", id, application.hospital, alliance.core))
            }
            var machine = ApplicationMachine(status: application.status)
            let decision = action == .approve ? try await Self.judged(application, on: connection).decision : .eligible
            let from = application.status
            try machine.apply(action, by: party, decision: decision, override: override)
            application.status = machine.status
            application.updatedAt = now
            if action == .approve { application.override = decision == .eligible ? nil : override }
            try await change(&application, connection)
            let note = application.override.map { "\(reason ?? "") (override: \($0))" } ?? reason
            try await MembershipRepository.act(
                application,
                MembershipEvent(
                    application: id, action: action.rawValue, fromStatus: from.rawValue, toStatus: machine.status.rawValue,
                    actor: actor.tag, at: now, reason: note),
                on: connection)
            let stored = try await MembershipRepository.get(id, on: connection)
            return ApplicationView(stored, evaluation: try await Self.judged(stored, on: connection))
        }
    }

    /// An application's stored facts judged again under the criteria version they were judged
    /// by when submitted (or last updated). The evaluation stored with them is the applicant's
    /// (a psql login can store any), so no reader and no decision takes it (SPEC §6).
    static func judged(_ application: ApplicationRecord, on connection: DatabaseSession) async throws -> EvaluationView {
        let hospital = try await HospitalRepository.get(application.hospital, on: connection)
        return try await judge(
            hospital, facts: application.facts, role: application.role, alliance: application.alliance,
            version: application.criteriaVersion,
            on: connection
        ).1
    }

    public func application(_ id: String, by claimed: Actor?) async throws -> ApplicationView {
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) { connection in
            let record = try await MembershipRepository.get(id, on: connection)
            let events = try await MembershipRepository.events(alliance: record.alliance, hospital: record.hospital, on: connection)
            return ApplicationView(record, evaluation: try await Self.judged(record, on: connection), history: events)
        }
    }

    public func applications(alliance: String, status: ApplicationMachine.Status?, limit: Int?, cursor: String?, by claimed: Actor?)
        async throws -> Page<ApplicationView>
    {
        let identity = try await identify(claimed)
        let limit = try Self.pageLimit(limit)
        let views = try await database.withConnection(as: identity.role) { connection in
            _ = try await AllianceRepository.get(alliance, on: connection)
            var views: [ApplicationView] = []
            for record in try await MembershipRepository.list(
                alliance: alliance, status: status, limit: limit, after: cursor, on: connection)
            {
                views.append(ApplicationView(record, evaluation: try await Self.judged(record, on: connection)))
            }
            return views
        }
        return Self.page(views, limit: limit) { $0.id }
    }

    // MARK: Membership lifecycle

    public func changeMembership(
        _ action: MembershipMachine.Action, alliance code: String, hospital: String, reason: String, by claimed: Actor?
    ) async throws -> AllianceView {
        let identity = try await identify(claimed)
        let actor = identity.actor
        guard !reason.allSatisfy(\.isWhitespace) else { throw YilianError.invalidParams([Problem("reason", Text("problem.empty"))]) }
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let alliance = try await AllianceRepository.get(code, on: connection)
            try await requireCoreAdministrator(actor, of: alliance, to: "\(action.rawValue)Members", on: connection)
            guard let membership = try await MembershipRepository.membership(alliance: code, hospital: hospital, on: connection) else {
                throw YilianError(.notFound, Text("error.notMember", hospital, code))
            }
            guard membership.role != .core else {
                throw YilianError.ruleViolation("core_member", Text("error.coreMember", hospital))
            }
            var machine = MembershipMachine(status: membership.status)
            try machine.apply(action)
            try await MembershipRepository.change(
                alliance: code, hospital: hospital,
                MembershipEvent(
                    application: nil, action: action.rawValue, fromStatus: membership.status.rawValue,
                    toStatus: machine.status.rawValue, actor: actor.tag, at: now, reason: reason),
                on: connection)
            return AllianceView(try await AllianceRepository.get(code, on: connection))
        }
    }

    /// Re-evaluates every active member against the current criteria with its latest facts and
    /// reports those that no longer meet them. Changes nothing. The core hospital is not
    /// reviewed: it is named when the alliance is created and cannot be suspended or revoked.
    public func review(alliance code: String, by claimed: Actor?) async throws -> ReviewResult {
        let identity = try await identify(claimed)
        let actor = identity.actor
        return try await database.withConnection(as: identity.role) { connection in
            let alliance = try await AllianceRepository.get(code, on: connection)
            try await requireCoreAdministrator(actor, of: alliance, to: "reviewMembers", on: connection)
            let (version, document) = try await Self.criteria(of: code, version: nil, on: connection)
            let set = try CriteriaSet.parse(document)
            var failing: [ReviewResult.Finding] = []
            let active = alliance.members.filter { $0.status == .active && $0.role != .core }
            for member in active {
                let hospital = try await HospitalRepository.get(member.hospital, on: connection)
                let facts = try await MembershipRepository.latestFacts(alliance: code, hospital: member.hospital, on: connection)
                let evaluation = set.evaluate(facts: hospital.evaluationFacts(submitted: facts), role: member.role)
                guard evaluation.decision != .eligible else { continue }
                failing.append(
                    ReviewResult.Finding(
                        hospital: member.hospital, name: hospital.name, role: member.role, decision: evaluation.decision,
                        score: evaluation.score, passScore: evaluation.passScore,
                        criteria: evaluation.criteria.filter { $0.result != .pass }))
            }
            return ReviewResult(alliance: code, criteriaVersion: version, reviewed: active.count, failing: failing)
        }
    }
}

// MARK: - Import

extension Services {
    /// Imports a registry file all-or-nothing: every bad row is reported (`line N: column:
    /// problem`) and nothing is stored unless every row is good. `progress` is told the number of
    /// rows stored so far.
    public func importHospitals(
        csv text: String, file: String, by claimed: Actor?, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> ImportResult {
        let identity = try await identify(claimed)
        let actor = identity.actor
        try requireAdministrator(actor, to: "importHospitals")
        let (rows, parseProblems) = HospitalCSV.parse(text)
        if !parseProblems.isEmpty { throw Self.refused(parseProblems, file: file) }
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            var problems = FileProblems()
            let departments = Array(Set(rows.flatMap(\.hospital.departments)))
            let unknown = try await SpecialtyRepository.unknown(departments, on: connection)
            let existing = try await HospitalRepository.existing(rows.map(\.hospital.code), on: connection)
            for (line, hospital) in rows {
                if existing.contains(hospital.code) {
                    problems.add(line: line, "code", Text("import.registered", hospital.code))
                }
                for code in hospital.departments {
                    if let why = unknown[code] { problems.add(line: line, "departments", why) }
                }
            }
            if !problems.isEmpty { throw Self.refused(problems, file: file) }
            let hospitals = rows.map(\.hospital)
            for start in stride(from: 0, to: hospitals.count, by: 10_000) {
                let chunk = Array(hospitals[start..<min(start + 10_000, hospitals.count)])
                try await HospitalRepository.insertMany(chunk, at: now, on: connection)
                progress(start + chunk.count, hospitals.count)
            }
            return ImportResult(imported: hospitals.count)
        }
    }
}

extension Services {
    /// An imported file refused: its first 100 problems, and how many more (SPEC §10).
    static func refused(_ problems: FileProblems, file: String) -> YilianError {
        var error = YilianError.invalidParams(problems.listed)
        let text =
            problems.unlisted > 0
            ? Text("error.importRefusedMore", file, problems.rows, Listed(problems.located), problems.unlisted)
            : Text("error.importRefused", file, problems.rows, Listed(problems.located))
        (error.message, error.text) = (text.description, text)
        error.data["unlisted"] = .integer(problems.unlisted)
        return error
    }
}
