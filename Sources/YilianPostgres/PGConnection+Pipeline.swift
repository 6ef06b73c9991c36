import CLibpq

#if canImport(Glibc)
    import Glibc
#endif

// Sending statements: one round trip for several (libpq's pipeline mode), each prepared once per
// session, and every result read and checked.
extension PGConnection {
    /// The name `statement` is prepared under in this session, and whether it still has to be
    /// prepared (`preparing`: the ones being prepared in the same pipeline, by SQL text); nil
    /// when it is sent unprepared.
    func preparedName(_ statement: Statement, preparing: [String: String] = [:]) -> (name: String, isNew: Bool)? {
        if statement.control { return nil }
        if let name = prepared[statement.sql] ?? preparing[statement.sql] { return (name, false) }
        guard prepared.count + preparing.count < Self.preparedLimit else { return nil }
        return ("yilian_\(prepared.count + preparing.count + 1)", true)
    }

    /// Sends `statements` in one round trip (one already prepared, or sent unprepared, the plain
    /// way; otherwise in libpq pipeline mode with one sync, a statement's preparation with its
    /// execution) and reads every result: each statement's in order, or the first error.
    /// `received` sees each statement's result as it arrives (until something failed); its error
    /// fails the call once every result has been read.
    func runPipeline(_ statements: [Statement], received: (Int, PGResult) throws -> Void = { _, _ in }) throws -> [PGResult] {
        if statements.count == 1, preparedName(statements[0])?.isNew != true {
            let statement = statements[0]
            let result = try withCStrings(statement.parameters) { values in
                let count = Int32(values.count)
                guard let (name, _) = preparedName(statement) else {
                    return try check(PQexecParams(handle, statement.sql, count, nil, values, nil, nil, 0))
                }
                return try check(PQexecPrepared(handle, name, count, values, nil, nil, 0))
            }
            try received(0, result)
            return [result]
        }
        guard PQenterPipelineMode(handle) == 1 else { throw PGError(.connectionLost, message: lastErrorMessage) }
        var sent = true
        var preparing: [String: String] = [:]
        var prepareResults: [(sql: String, name: String, index: Int)] = []
        /// Where each statement's own result is among the results read (prepares have theirs).
        var statementResults: [Int] = []
        var expected = 0
        for statement in statements where sent {
            sent = withCStrings(statement.parameters) { values in
                let count = Int32(values.count)
                guard let (name, isNew) = preparedName(statement, preparing: preparing) else {
                    statementResults.append(expected)
                    expected += 1
                    return PQsendQueryParams(handle, statement.sql, count, nil, values, nil, nil, 0) == 1
                }
                if isNew {
                    preparing[statement.sql] = name
                    prepareResults.append((statement.sql, name, expected))
                    expected += 1
                    guard PQsendPrepare(handle, name, statement.sql, count, nil) == 1 else { return false }
                }
                statementResults.append(expected)
                expected += 1
                return PQsendQueryPrepared(handle, name, count, values, nil, nil, 0) == 1
            }
        }
        sent = sent && PQpipelineSync(handle) == 1
        // Each command's result is followed by a null; after the last, the sync's result. An
        // error aborts the commands after it, which then report PGRES_PIPELINE_ABORTED.
        var outcomes: [Result<PGResult, any Error>] = []
        if sent {
            var failed = false
            for index in 0..<expected {
                let raw = PQgetResult(handle)
                var outcome = Result { try check(raw) }
                if !failed, case .success(let result) = outcome, let statement = statementResults.firstIndex(of: index) {
                    do { try received(statement, result) } catch { outcome = .failure(error) }
                }
                if case .failure = outcome { failed = true }
                outcomes.append(outcome)
                guard raw != nil else { break }
                while let extra = PQgetResult(handle) { PQclear(extra) }
            }
            if let sync = PQgetResult(handle) { PQclear(sync) }
        }
        guard PQexitPipelineMode(handle) == 1, sent, outcomes.count == expected else {
            // Unsent or unread: the session is in an unknown state and is replaced (a transaction
            // is then broken, so nothing else of it runs on the new one).
            let message = lastErrorMessage
            try? renewSession()
            throw PGError(.connectionLost, message: message)
        }
        for (sql, name, index) in prepareResults {
            if case .success = outcomes[index] { prepared[sql] = name }
        }
        for case .failure(let error) in outcomes { throw error }
        return try statementResults.map { try outcomes[$0].get() }
    }

    func withCStrings<T>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> T) rethrows -> T {
        let copies = texts.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        return try body(copies.map { UnsafePointer($0) })
    }

    /// Takes ownership of `raw` and returns it, or throws its error (read before it is cleared).
    func check(_ raw: OpaquePointer?) throws -> PGResult {
        guard let raw else {
            throw PGError(PQstatus(handle) == CONNECTION_OK ? .server : .connectionLost, message: lastErrorMessage)
        }
        let result = PGResult(owning: raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            // Read every error field before `result` is released (and the PGresult cleared).
            func field(_ code: UInt8) -> String? {
                PQresultErrorField(raw, Int32(code)).map { String(cString: $0) }
            }
            let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(raw))
            let lost = PQstatus(handle) != CONNECTION_OK
            throw PGError(
                lost ? .connectionLost : .server,
                sqlState: field(UInt8(ascii: "C")).map(SQLState.init(rawValue:)),
                message: message.trimmingTrailingWhitespace(),
                detail: field(UInt8(ascii: "D")),
                constraint: field(UInt8(ascii: "n")))
        }
    }
}
extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
