import Foundation
import YilianCore
import YilianJSON
import YilianPostgres
import YilianRepository

#if canImport(Glibc)
    import Glibc
#endif

/// A seeded generator (SplitMix64): a failing reliability run can be repeated exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What must hold in a Yilian database whatever happened to the processes writing it.
public enum Invariants {
    /// Each check with the number of rows breaking it; all zero when the database is sound.
    public static let checks: [(name: String, sql: String)] = [
        (
            "a referral's version equals its event count",
            "SELECT count(*) FROM referrals r WHERE r.version <> (SELECT count(*) FROM referral_events e WHERE e.referral = r.id)"
        ),
        (
            "a referral's events are numbered 1, 2, … without gaps",
            "SELECT count(*) FROM (SELECT referral FROM referral_events GROUP BY referral HAVING min(seq) <> 1 OR max(seq) <> count(*)) g"
        ),
        (
            "a referral's status is its last event's",
            """
            SELECT count(*) FROM referrals r LEFT JOIN referral_events e ON e.referral = r.id AND e.seq = r.version
            WHERE e.to_status IS DISTINCT FROM r.status
            """
        ),
        (
            "each event continues from the status the previous one left",
            """
            SELECT count(*) FROM referral_events e JOIN referral_events p ON p.referral = e.referral AND p.seq = e.seq - 1
            WHERE e.from_status IS DISTINCT FROM p.to_status
            """
        ),
        (
            "a slot's booked count equals the referrals holding it, within capacity",
            """
            SELECT count(*) FROM slots s
            WHERE s.booked > s.capacity OR s.booked <> (SELECT count(*) FROM referrals r
                WHERE r.to_hospital = s.hospital AND r.specialty = s.specialty AND r.slot_date = s.date
                  AND r.status IN ('scheduled', 'in_treatment', 'completed', 'closed'))
            """
        ),
        (
            "a scheduled referral has a slot date",
            "SELECT count(*) FROM referrals WHERE status IN ('scheduled', 'in_treatment') AND slot_date IS NULL"
        ),
    ]

    /// The broken invariants, as "name: N rows".
    public static func violations(_ url: String) async throws -> [String] {
        let connection = try await PGConnection.connect(url)
        var broken: [String] = []
        for (name, sql) in checks {
            let count = try await connection.query(sql)[0].text(at: 0) ?? "?"
            if count != "0" { broken.append("\(name): \(count) rows") }
        }
        return broken
    }
}

/// `yilian serve` driven one request at a time from a plain thread (blocking reads).
public final class ServeSession: @unchecked Sendable {
    public let running: Child
    private var buffer = Data()
    private var nextID = 0

    public init(environment: [String: String], arguments: [String] = []) throws {
        signal(SIGPIPE, SIG_IGN)  // a killed serve must not take the test process with it
        running = try YilianBinary.start(["serve"] + arguments, environment: environment)
    }

    /// Writes one raw line; false when serve is gone.
    @discardableResult
    public func send(_ line: String) -> Bool {
        let data = Data((line + "\n").utf8)
        return data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(running.stdin.fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    /// The next line serve wrote, or nil at the end of its output (or when `seconds` pass first).
    public func readLine(within seconds: Double? = nil) -> String? {
        let descriptor = running.stdout.fileDescriptor
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[(newline + 1)...])
                return line
            }
            if let deadline {
                var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
                if left == 0 || poll(&ready, 1, left) <= 0 { return nil }
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(descriptor, &chunk, chunk.count)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Sends one request and returns its response (nil if serve died first).
    public func call(_ method: String, _ params: JSONValue) throws -> JSONValue? {
        nextID += 1
        let request: JSONValue = ["jsonrpc": "2.0", "id": .integer(nextID), "method": .string(method), "params": params]
        guard send(String(decoding: try JSONEncoder().encode(request), as: UTF8.self)), let line = readLine() else { return nil }
        return try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
    }

    /// Closes stdin and waits for serve to exit; returns its exit status.
    public func finish() throws -> Int32 {
        try running.stdin.close()
        return running.wait().status
    }
}

/// The alliance the reliability tests work in: 中日友好医院 (core, level 3) with 密云区医院 and
/// 健宫医院 (level 2) admitted, and reserved slots on the given dates.
public enum ReliabilityFixture {
    public static let admin: JSONValue = ["user": "ops", "hospital": "admin"]
    public static let core: JSONValue = ["user": "li", "hospital": "ZRYY"]
    public static func coordinator(_ hospital: String) -> JSONValue { ["user": "wang", "hospital": .string(hospital)] }

    /// Seeds `url`; every request must succeed.
    public static func seed(_ url: String, slots: [(date: String, capacity: Int)]) throws {
        let session = try ServeSession(environment: ["YILIAN_DATABASE_URL": url])
        var calls: [(String, JSONValue)] = [
            ("hospital.register", ["code": "ZRYY", "name": "中日友好医院", "level": 3, "departments": ["pain"], "actor": admin]),
            ("hospital.register", ["code": "MYQYY", "name": "密云区医院", "level": 2, "departments": ["pain"], "actor": admin]),
            ("hospital.register", ["code": "JGYY", "name": "健宫医院", "level": 2, "departments": ["pain"], "actor": admin]),
            (
                "alliance.create",
                ["code": "PAIN-BJ", "name": "北京地区疼痛专科医联体", "specialty": "pain", "core": "ZRYY", "slotRule": "beijing", "actor": admin]
            ),
            (
                "criteria.set",
                [
                    "alliance": "PAIN-BJ", "actor": core,
                    "criteria": [
                        "passScore": 0, "criteria": [["id": "level", "title": "level", "rule": ["fact": "level", "op": "exists"]]],
                    ],
                ]
            ),
        ]
        for (number, hospital) in ["MYQYY", "JGYY"].enumerated() {
            calls.append(
                (
                    "membership.apply",
                    [
                        "alliance": "PAIN-BJ", "hospital": .string(hospital), "role": "cooperating", "facts": [:],
                        "actor": coordinator(hospital),
                    ]
                ))
            calls.append(
                ("membership.decide", ["id": .string("A-00000\(number + 1)"), "decision": "approve", "reason": "ok", "actor": core]))
        }
        for slot in slots {
            calls.append(
                (
                    "slots.publish",
                    [
                        "hospital": "ZRYY", "specialty": "pain", "from": .string(slot.date), "capacity": .integer(slot.capacity),
                        "actor": core,
                    ]
                ))
        }
        for (method, params) in calls {
            let response = try session.call(method, params)
            guard response?["result"] != nil else { throw SeedFailure(method: method, response: response) }
        }
        _ = try session.finish()
    }

    /// A referral from `from` to ZRYY; free-text fields can be replaced. Always the same patient,
    /// so `allowDuplicate` is given.
    /// `consultation.request` params: `from` asks ZRYY for written advice on 张三.
    public static func consulting(from: String) -> JSONValue {
        [
            "alliance": "PAIN-BJ", "from": .string(from), "to": "ZRYY", "mode": "advice", "priority": "routine",
            "patient": ["name": "张三", "sex": "male", "birthDate": "1980-01-01", "idNumber": "11010519800101018X"],
            "consent": true, "diagnosis": [["code": "M79.2", "name": "神经痛"]], "question": "是否需要介入治疗？，HIV阳性",
            "actor": ["user": "wang", "hospital": .string(from)],
        ]
    }

    public static func filing(from: String, reason: String = "疼痛控制不佳", patientName: String = "张三") -> JSONValue {
        [
            "alliance": "PAIN-BJ", "from": .string(from), "to": "ZRYY", "setting": "outpatient", "priority": "routine",
            "patient": ["name": .string(patientName), "sex": "male", "birthDate": "1980-01-01", "idNumber": "11010519800101018X"],
            "consent": true, "diagnosis": [["code": "M79.2", "name": "神经痛"]], "reason": .string(reason), "allowDuplicate": true,
            "actor": coordinator(from),
        ]
    }

    public struct SeedFailure: Error, CustomStringConvertible {
        public let method: String
        public let response: JSONValue?
        public var description: String { "seeding failed at \(method): \(String(describing: response))" }
    }
}

extension ReliabilityFixture {
    /// A cluster of the test's own (to stop and start under Yilian), migrated, with the test
    /// users and the alliance of `seed`; the caller stops it.
    public static func cluster(_ label: String) async throws -> EmbeddedCluster {
        let cluster = EmbeddedCluster(home: try TestPostgres.makeHome(label), settings: ["fsync": "off"])
        try await cluster.start()
        let owner = try await PGConnection.connect(cluster.url)
        try await Migrator().migrate(on: owner)
        try await TestPostgres.registerUsers(on: owner)
        try seed(cluster.url, slots: [])
        return cluster
    }
}

extension PGConnection {
    /// Whether `count` sessions (at least one) wait on a lock within 30 s (polled every 100 ms):
    /// requests have reached the database and wait there.
    public func someoneWaitsOnALock(count: Int = 1) async throws -> Bool {
        for _ in 0..<300 {
            let waiting = try await query("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if try waiting[0].decode("n", as: Int.self) >= count { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
