import CLibpq
import Synchronization

/// The rows of one query. Owns its `PGresult` and clears it when released. Read-only after
/// creation, so it may be shared between tasks.
public final class PGResult: @unchecked Sendable {
    private let handle: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int
    /// Column name → index, built at the first lookup by name (rows read by position, as a
    /// referral's, never need it).
    private let columnIndex = Mutex<[String: Int]?>(nil)

    init(owning handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
        columnCount = Int(PQnfields(handle))
    }

    deinit { PQclear(handle) }

    /// Rows changed by an INSERT/UPDATE/DELETE, 0 when not applicable.
    public var affectedRows: Int {
        Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    public subscript(row: Int) -> PGRow { PGRow(result: self, row: row) }

    public var rows: [PGRow] { (0..<rowCount).map { PGRow(result: self, row: $0) } }

    func column(named name: String) throws -> Int {
        let column = columnIndex.withLock { index in
            if index == nil {
                index = Dictionary((0..<columnCount).map { (self.name(of: $0), $0) }, uniquingKeysWith: { _, last in last })
            }
            return index![name]
        }
        guard let column else {
            throw PGError(.decoding, message: "no column \(name) in the result")
        }
        return column
    }

    func name(of column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }

    func text(row: Int, column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }
}

/// One row of a `PGResult`, read by column name or position.
public struct PGRow: Sendable {
    let result: PGResult
    let row: Int

    /// The raw text of a column, `nil` for NULL.
    public func text(_ column: String) throws -> String? {
        result.text(row: row, column: try result.column(named: column))
    }

    public func text(at column: Int) -> String? { result.text(row: row, column: column) }

    /// Decodes a non-NULL column; NULL is a decoding error.
    public func decode<T: PGDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try decode(at: try result.column(named: column))
    }

    /// Decodes a column that may be NULL.
    public func decodeIfPresent<T: PGDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decodeIfPresent(at: try result.column(named: column))
    }

    /// Decodes the non-NULL column at a position: for rows read many at a time, where looking
    /// each column up by name costs (`ReferralRepository` reads its columns so).
    public func decode<T: PGDecodable>(at column: Int, as type: T.Type = T.self) throws -> T {
        guard let text = text(at: column) else {
            throw PGError(.decoding, message: "column \(result.name(of: column)) is NULL")
        }
        return try T(pgText: text)
    }

    public func decodeIfPresent<T: PGDecodable>(at column: Int, as type: T.Type = T.self) throws -> T? {
        try text(at: column).map { try T(pgText: $0) }
    }
}
