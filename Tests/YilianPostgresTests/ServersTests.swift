import Testing
import YilianPostgres

/// The servers of a formation's multi-host URI (SPEC §12, `yilian db status`), as libpq reads it.
@Suite struct ServersTests {
    @Test func aMultiHostURINamesEachServerWithItsPort() throws {
        let servers = try PGConnection.servers(
            in: "postgresql://yilian@h1:6001,h2:6002,h3/yilian?target_session_attrs=read-write")
        #expect(servers.map(\.name) == ["h1:6001", "h2:6002", "h3"])
        #expect(try PGConnection.servers(in: "host=a,b port=5433 dbname=yilian").map(\.name) == ["a:5433", "b:5433"])
        #expect(try PGConnection.servers(in: "host=/run/yilian dbname=yilian").count == 1)
        #expect(throws: PGError.self) { try PGConnection.servers(in: "host=a port") }
    }
}
