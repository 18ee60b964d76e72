/// What a member may do besides reading.
public enum Role: String, CaseIterable, Sendable, Codable, Comparable {
    case analyst
    /// May release the organisation's reports to partners and decide consent requests.
    case releaser
    /// Reads the organisation's audit log and receives alerts.
    case security
    /// Seconded from a dominant partner.
    case liaison
    /// Manages the organisation's members.
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Whether a member may act at all.
public enum MemberStatus: String, Sendable, Codable, CaseIterable {
    case active, suspended
}

/// The facts about a member that the decision rule reads.
public struct Reader: Sendable, Hashable {
    public var organization: String
    public var clearance: Classification
    /// Sorted, unique.
    public var compartments: [String] { didSet { compartmentTags = TagSet(compartments) } }
    /// Need-to-know topics. Sorted, unique.
    public var topics: [String] { didSet { topicTags = TagSet(topics) } }
    /// Interned forms of the above, for the decision rule.
    public private(set) var compartmentTags: TagSet
    public private(set) var topicTags: TagSet
    public var isThrottled: Bool
    public var isSuspended: Bool

    public init(
        organization: String,
        clearance: Classification,
        compartments: [String] = [],
        topics: [String] = [],
        isThrottled: Bool = false,
        isSuspended: Bool = false
    ) {
        self.organization = organization
        self.clearance = clearance
        self.compartments = SortedStrings.make(compartments)
        self.topics = SortedStrings.make(topics)
        self.compartmentTags = TagSet(self.compartments)
        self.topicTags = TagSet(self.topics)
        self.isThrottled = isThrottled
        self.isSuspended = isSuspended
    }
}
