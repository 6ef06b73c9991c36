import Foundation
import YilianCore
import YilianPostgres

extension EmbeddedCluster {
    /// What the bootstrap superuser closes to users, in every database of the cluster (those made
    /// later copy `template1`): the statistics functions, whose counters showed a user which rows
    /// the owner's functions had read for it (an attacker recovered a whole resident ID in six
    /// seconds from `pg_stat_xact_user_tables`), and the `postgres` and `template1` databases,
    /// where a user could connect, make temporary tables and hold a lock on its own role that
    /// kept it from being disabled; and the large objects, the one thing a user could still
    /// create. The owner and `pg_read_all_stats` keep the statistics.
    /// docs/operations.md gives the same script for a shared server.
    public static let closedToUsers = """
        DO $$
        DECLARE
            f regprocedure;
        BEGIN
            FOR f IN SELECT oid::regprocedure FROM pg_proc
                     WHERE pronamespace = 'pg_catalog'::regnamespace AND proname LIKE 'pg\\_stat\\_get\\_%' LOOP
                EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO \(userName), pg_read_all_stats', f);
            END LOOP;
        END
        $$;
        REVOKE EXECUTE ON FUNCTION lo_creat(integer), lo_create(oid), lo_from_bytea(oid, bytea), lo_import(text), lo_import(text, oid)
            FROM PUBLIC;
        REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC;
        GRANT CONNECT ON DATABASE postgres, template1 TO \(userName);
        """

    /// Runs `closedToUsers` in every database that takes connections, as the bootstrap superuser
    /// (a cluster without one, made before the owner was split from it, is left as it is).
    func closeToUsers() async throws {
        do {
            guard let superuser = try? await PGConnection.connect(url(database: "postgres", user: Self.superuserName)) else { return }
            let databases = try await superuser.query("SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname")
            for row in databases.rows {
                let database = try await PGConnection.connect(url(database: try row.decode("datname"), user: Self.superuserName))
                try await database.runScript(Self.closedToUsers)
            }
        } catch let error as PGError {
            throw YilianError(pgError: error)
        }
    }
}
