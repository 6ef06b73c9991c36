import YilianPostgres

/// One-off queries for tests.
public enum PGQuery {
    /// The text of the first column of the first row.
    public static func value(_ url: String, _ sql: String) async throws -> String? {
        try await PGConnection.connect(url).query(sql)[0].text(at: 0)
    }
}
