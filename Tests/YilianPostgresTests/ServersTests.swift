import Testing
import YilianTestSupport

@testable import YilianPostgres

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

/// A formation's lost node is noticed in seconds (SPEC §12): keepalives and a TCP user timeout
/// are set unless the URI sets its own.
@Suite struct LivenessTests {
    @Test func aConnectionBoundsHowLongALostServerGoesUnnoticed() async throws {
        let url = try await TestPostgres.freshDatabase()
        let connection = try await PGConnection.connect(url)
        #expect(connection.option("tcp_user_timeout") == "10000")
        #expect(connection.option("keepalives_idle") == "5" && connection.option("keepalives_count") == "3")
        let own = try await PGConnection.connect(url + "&tcp_user_timeout=3000")
        #expect(own.option("tcp_user_timeout") == "3000")
    }
}
