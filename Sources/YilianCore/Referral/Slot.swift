import YilianJSON

// `Date` only, a value with no I/O: the core stays free of Foundation proper.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reserved capacity per (hospital, specialty, date).
public struct Slot: Sendable, Equatable, Codable {
    public var hospital: String
    public var specialty: String
    public var date: String
    /// Reserved units, of which `expert` are expert slots (专家号).
    public var capacity: Int
    public var booked: Int
    public var available: Int
    public var expert: Int
    public var expertBooked: Int
    /// Every slot of that clinic on that day, when the hospital said.
    @Nullable public var total: Int?
    /// When the date was first published.
    public var publishedAt: Date

    package init(
        hospital: String, specialty: String, date: String, capacity: Int, booked: Int, available: Int, expert: Int, expertBooked: Int,
        total: Int?, publishedAt: Date
    ) {
        (self.hospital, self.specialty, self.date, self.capacity, self.booked, self.available) =
            (hospital, specialty, date, capacity, booked, available)
        (self.expert, self.expertBooked, self.total, self.publishedAt) = (expert, expertBooked, total, publishedAt)
    }
}

/// What publishing did to one date (SPEC §2): `created`, `changed` (with what it was) or
/// `unchanged`.
public struct PublishedSlot: Sendable, Equatable, Codable {
    public struct Before: Sendable, Equatable, Codable {
        public var capacity: Int
        public var expert: Int
        @Nullable public var total: Int?

        package init(capacity: Int, expert: Int, total: Int?) { (self.capacity, self.expert, self.total) = (capacity, expert, total) }
    }
    public var change: String
    @Nullable public var before: Before?
    public var slot: Slot

    package init(change: String, before: Before?, slot: Slot) { (self.change, self.before, self.slot) = (change, before, slot) }
}
