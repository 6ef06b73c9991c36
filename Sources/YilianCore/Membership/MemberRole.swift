/// A member's role in an alliance, and the hospital level it requires (SPEC §2).
public enum MemberRole: String, CaseIterable, Sendable, Codable {
    case core
    case collaborating
    case cooperating
    case primary

    /// 核心 and 协作 units are tertiary (3), 合作 units secondary (2), 基层 primary (1).
    public var requiredLevel: Int {
        switch self {
        case .core, .collaborating: return 3
        case .cooperating: return 2
        case .primary: return 1
        }
    }
}
