import Foundation
import YilianCore
import YilianRepository

/// Who acts in one call (SPEC §6): the actor recorded in history, and the role whose rights the
/// database applies.
public struct Identity: Sendable, Equatable {
    public var actor: Actor
    public var role: SessionRole
}

/// Result of `system.whoami`.
public struct WhoAmI: Codable, Sendable, Equatable {
    public var user: String
    public var hospital: String
    public var duty: Duty
}

extension Services {
    /// Who acts when a call names `claimed` (nil: nobody). The database's owner acts as the
    /// registered user it names, with that user's rights (the database refuses anyone else), or
    /// as the platform when it names nobody. A registered user's login acts as itself; naming
    /// another hospital is `forbidden`, naming another user of its own hospital is allowed to
    /// integrations only.
    public func identify(_ claimed: Actor?) async throws -> Identity {
        switch try await database.login() {
        case .owner:
            guard let claimed else { return Identity(actor: .platform, role: .platform) }
            return Identity(actor: claimed, role: .user(claimed.tag))
        case .user(let login):
            guard let claimed, claimed != login else { return Identity(actor: login, role: .login) }
            guard claimed.hospital == login.hospital else {
                throw YilianError(.forbidden, Text("error.otherHospital", login.tag, login.hospital, claimed.tag))
            }
            let allowed = try await database.withConnection(as: .login) { try await UserRepository.integrationMayName(claimed, on: $0) }
            guard allowed else {
                throw YilianError(.forbidden, Text("error.integrationOnly", login.tag, claimed.tag))
            }
            return Identity(actor: claimed, role: .login)
        }
    }

    /// Whether a call naming nobody acts as the platform, which sees no patient data: the
    /// session is the database's owner (SPEC §3: who acts is never a mystery).
    public func namingNobodyActsAsThePlatform() async throws -> Bool {
        try await database.login() == .owner
    }

    /// `system.whoami`: the acting user, its hospital and duty.
    public func whoami(by claimed: Actor?) async throws -> WhoAmI {
        let identity = try await identify(claimed)
        let duty = try await database.withConnection(as: identity.role) { try await UserRepository.currentDuty(on: $0) }
        guard let duty else { throw YilianError(.forbidden, Text("error.notRegisteredUser", identity.actor.tag)) }
        return WhoAmI(user: identity.actor.user, hospital: identity.actor.hospital, duty: duty)
    }

    /// Registers `user` of `hospital` with `duty` and creates its login role (with `password`,
    /// when given, as a SCRAM verifier). The platform adds anyone; a hospital's administrator
    /// adds its own hospital's users.
    public func addUser(
        _ user: String, hospital: String, duty: Duty, password: String?, displayName: String? = nil, by claimed: Actor?
    ) async throws -> UserRecord {
        var problems: [Problem] = []
        if let displayName, !UserRecord.isValidDisplayName(displayName) {
            problems.append(Problem("displayName", Text("problem.displayName")))
        }
        if !UserName.isValid(user) {
            problems.append(Problem("user", Text("problem.userName")))
        }
        if (hospital == "admin") != (duty == .platformAdmin) {
            problems.append(Problem("duty", Text("problem.platformDuty")))
        }
        // A NUL would cut the password short where libpq reads it as a C string.
        if let password, !(12...1024).contains(password.count) || password.contains("\u{0}") {
            problems.append(Problem("password", Text("problem.password")))
        }
        if !problems.isEmpty { throw YilianError.invalidParams(problems) }
        let identity = try await identify(claimed)
        let login = Actor(user: user, hospital: hospital)
        do {
            return try await database.transaction(as: identity.role) { connection in
                if hospital != "admin" { _ = try await HospitalRepository.get(hospital, on: connection) }
                return try await UserRepository.add(login, duty: duty, password: password, displayName: displayName, on: connection)
            }
        } catch let error as YilianError where error.code == .alreadyExists {
            throw YilianError(.alreadyExists, Text("error.userExists", login.tag))
        }
    }

    /// Disables a user: it can no longer log in or be acted as; its history stays.
    public func disableUser(_ user: String, hospital: String, by claimed: Actor?) async throws -> UserRecord {
        let identity = try await identify(claimed)
        return try await database.transaction(as: identity.role) {
            try await UserRepository.disable(Actor(user: user, hospital: hospital), on: $0)
        }
    }

    /// The users the acting user may see: its hospital's (the platform: everyone's).
    public func users(hospital: String?, by claimed: Actor?) async throws -> Page<UserRecord> {
        let identity = try await identify(claimed)
        return Page(
            items: try await database.withConnection(as: identity.role) { try await UserRepository.list(hospital: hospital, on: $0) })
    }
}
