import Foundation
import YilianCore
import YilianJSON
import YilianRepository

/// Hospitals, alliances and their admission criteria (SPEC §2).
extension Services {
    // MARK: Hospitals

    public func registerHospital(_ hospital: Hospital, by claimed: Actor?) async throws -> Hospital {
        let identity = try await identify(claimed)
        let actor = identity.actor
        try requireAdministrator(actor, to: "registerHospitals")
        let registrationProblems = hospital.problems
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            var problems = registrationProblems
            let unknown = try await SpecialtyRepository.unknown(hospital.departments, on: connection)
            for (index, code) in hospital.departments.enumerated() {
                if let why = unknown[code] { problems.append(Problem("departments[\(index)]", why)) }
            }
            if !problems.isEmpty { throw YilianError.invalidParams(problems) }
            try await HospitalRepository.insert(hospital, at: now, on: connection)
            return hospital
        }
    }

    public func hospital(_ code: String, by claimed: Actor?) async throws -> Hospital {
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) { try await HospitalRepository.get(code, on: $0) }
    }

    public func hospitals(level: Int?, district: String?, specialty: String?, limit: Int?, cursor: String?, by claimed: Actor?) async throws
        -> Page<Hospital>
    {
        let identity = try await identify(claimed)
        let limit = try Self.pageLimit(limit)
        let items = try await database.withConnection(as: identity.role) {
            try await HospitalRepository.list(level: level, district: district, specialty: specialty, limit: limit, after: cursor, on: $0)
        }
        return Self.page(items, limit: limit) { $0.code }
    }

    // MARK: Alliances

    public func createAlliance(
        code: String, name: String, specialty: String, core: String, responseHours: ResponseHours?, timeZone: String? = nil,
        slotLeadDays: Int? = nil, slotRule: SlotRule? = nil, by claimed: Actor?
    ) async throws -> AllianceView {
        let identity = try await identify(claimed)
        let actor = identity.actor
        try requireAdministrator(actor, to: "createAlliances")
        var problems: [Problem] = []
        if !Codes.isValid(code) { problems.append(Problem("code", Text("problem.code"))) }
        if name.allSatisfy(\.isWhitespace) { problems.append(Problem("name", Text("problem.empty"))) }
        let hours = responseHours ?? .defaults
        for (field, value) in [("emergency", hours.emergency), ("urgent", hours.urgent), ("routine", hours.routine)]
        where !(1...8760).contains(value) {
            problems.append(Problem("responseHours.\(field)", Text("problem.hours")))
        }
        let zone = timeZone ?? AllianceDefaults.timeZone
        let lead = slotLeadDays ?? AllianceDefaults.slotLeadDays
        if TimeZone(identifier: zone) == nil || zone.count > 64 { problems.append(Problem("timeZone", Text("problem.timeZone", zone))) }
        if !(0...365).contains(lead) { problems.append(Problem("slotLeadDays", Text("problem.slotLeadDays"))) }
        let fieldProblems = problems
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            var problems = fieldProblems
            if let why = try await SpecialtyRepository.unknown([specialty], on: connection)[specialty] {
                problems.append(Problem("specialty", why))
            }
            if !problems.isEmpty { throw YilianError.invalidParams(problems) }
            let hospital = try await HospitalRepository.get(core, on: connection)
            guard hospital.level == 3 else {
                throw YilianError.ruleViolation(
                    "core_level", Text("error.coreLevel", core, hospital.level))
            }
            try await AllianceRepository.insert(
                code: code, name: name, specialty: specialty, core: core,
                responseHours: hours, timeZone: zone, slotLeadDays: lead, slotRule: slotRule, at: now, by: actor.tag, on: connection)
            return AllianceView(try await AllianceRepository.get(code, on: connection))
        }
    }

    public func alliance(_ code: String, by claimed: Actor?) async throws -> AllianceView {
        let identity = try await identify(claimed)
        return AllianceView(try await database.withConnection(as: identity.role) { try await AllianceRepository.get(code, on: $0) })
    }

    public func alliances(limit: Int?, cursor: String?, by claimed: Actor?) async throws -> Page<AllianceView> {
        let identity = try await identify(claimed)
        let limit = try Self.pageLimit(limit)
        let items = try await database.withConnection(as: identity.role) {
            try await AllianceRepository.list(limit: limit, after: cursor, on: $0)
        }
        return Self.page(items.map(AllianceView.init), limit: limit) { $0.code }
    }

    // MARK: Criteria and the 互认 catalogue

    public func setCriteria(alliance code: String, criteria document: JSONValue, by claimed: Actor?) async throws -> CriteriaView {
        _ = try CriteriaSet.parse(document)  // every problem, before anything is stored
        let version = try await publish(.criteria, document, alliance: code, by: claimed)
        return CriteriaView(alliance: code, version: version, criteria: document)
    }

    public func criteria(alliance code: String, version: Int?, by claimed: Actor?) async throws -> CriteriaView {
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) { connection in
            let (version, document) = try await Self.criteria(of: code, version: version, on: connection)
            return CriteriaView(alliance: code, version: version, criteria: document)
        }
    }

    /// Publishes a new version of the alliance's catalogue of mutually recognised results (SPEC
    /// §13), by one of its core hospital's administrators: later decisions are made against it.
    public func setRecognition(alliance code: String, catalogue document: JSONValue, by claimed: Actor?) async throws -> RecognitionView {
        let (catalogue, problems) = RecognitionCatalogue.read(document)
        guard let catalogue, problems.isEmpty else { throw YilianError.invalidParams(problems) }
        let version = try await publish(.recognition, catalogue.json, alliance: code, by: claimed)
        return RecognitionView(alliance: code, version: version, catalogue: catalogue.json)
    }

    /// The alliance's 互认 catalogue, current (when `version` is nil) or of `version`.
    public func recognition(alliance code: String, version: Int?, by claimed: Actor?) async throws -> RecognitionView {
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) { connection in
            let (version, document) = try await Self.published(.recognition, of: code, version: version, on: connection)
            return RecognitionView(alliance: code, version: version, catalogue: document)
        }
    }

    /// A new version of one of the alliance's published documents, by one of its core
    /// hospital's administrators; its number.
    private func publish(_ kind: AllianceDocument, _ document: JSONValue, alliance code: String, by claimed: Actor?) async throws -> Int {
        let identity = try await identify(claimed)
        let now = clock()
        return try await database.transaction(as: identity.role) { connection in
            let alliance = try await AllianceRepository.get(code, on: connection)
            try await requireCoreAdministrator(identity.actor, of: alliance, to: kind.phrase, on: connection)
            return try await AllianceRepository.addDocument(kind, document, to: code, by: identity.actor.tag, at: now, on: connection)
        }
    }

    /// The criteria version (current when nil) and its document.
    static func criteria(of code: String, version: Int?, on connection: DatabaseSession) async throws -> (Int, JSONValue) {
        try await published(.criteria, of: code, version: version, on: connection)
    }

    /// A version (current when nil) of one of the alliance's published documents, and the
    /// document; not found, said for that kind, when there is none.
    static func published(_ kind: AllianceDocument, of code: String, version: Int?, on connection: DatabaseSession) async throws
        -> (Int, JSONValue)
    {
        let alliance = try await AllianceRepository.get(code, on: connection)
        let current = kind == .criteria ? alliance.criteriaVersion : alliance.recognitionVersion
        let wanted = version ?? current
        guard wanted > 0, let document = try await AllianceRepository.document(kind, of: code, version: wanted, on: connection) else {
            throw YilianError(.notFound, current == 0 ? Text(kind.none, code) : Text(kind.noVersion, code, wanted, current))
        }
        return (wanted, document)
    }

    /// A dry run: what these facts would get for this role.
    public func evaluate(alliance code: String, role: MemberRole, facts: JSONValue, version: Int?, by claimed: Actor?) async throws
        -> EvaluationView
    {
        let identity = try await identify(claimed)
        return try await database.withConnection(as: identity.role) { connection in
            let (version, document) = try await Self.criteria(of: code, version: version, on: connection)
            let set = try CriteriaSet.parse(document)
            return EvaluationView(alliance: code, criteriaVersion: version, role: role, set.evaluate(facts: facts, role: role))
        }
    }
}

extension AllianceDocument {
    /// What publishing it is called in a refusal (`phrase.setCriteria`), and its sentences when
    /// none is published, or not the version asked.
    var phrase: String {
        switch self {
        case .criteria: "setCriteria"
        case .recognition: "setRecognition"
        }
    }

    var none: String {
        switch self {
        case .criteria: "error.noCriteria"
        case .recognition: "error.noRecognition"
        }
    }

    var noVersion: String {
        switch self {
        case .criteria: "error.noCriteriaVersion"
        case .recognition: "error.noRecognitionVersion"
        }
    }
}
