import Foundation
import Logging
import YilianCore
import YilianJSON
import YilianRepository

/// The application services both front ends call. One use case is one database transaction;
/// authorization, idempotency and the clock live here.
public struct Services: Sendable {
    public let database: Database
    /// Where the reads that may lag go (`report.indicators`, `audit.list`): a standby of the
    /// formation (`YILIAN_READ_DATABASE_URL`, SPEC §12), else `database`.
    public let reads: Database
    public let clock: @Sendable () -> Date
    public let logger: Logger

    public init(database: Database, reads: Database? = nil, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.reads = reads ?? database
        self.logger = logger
        self.clock = clock
    }

    /// This build's version, shown by `yilian --version` and `system.version`.
    public static let version = "0.1.0"
}

/// Result of `system.version`.
public struct VersionInfo: Codable, Sendable, Equatable {
    public var version: String
    public var schemaVersion: Int
}

/// A list result: `items` and the cursor of the next page (`nil` on the last one).
public struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    public var items: [Item]
    /// `null`, not absent, on the last page.
    @Nullable public var nextCursor: String?

    public init(items: [Item], nextCursor: String? = nil) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension Services {
    public static func versionInfo() -> VersionInfo {
        VersionInfo(version: Self.version, schemaVersion: Migration.latestVersion)
    }

    public func specialties(by claimed: Actor?) async throws -> Page<Specialty> {
        let identity = try await identify(claimed)
        return Page(items: try await database.withConnection(as: identity.role) { try await SpecialtyRepository.list(on: $0) })
    }
}
