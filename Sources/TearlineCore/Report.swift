/// An entity mentioned in a report, tied to the portion it came from so that it carries
/// that portion's marking.
public struct EntityMention: Sendable, Hashable, Codable {
    public var type: String
    public var value: String
    public var portion: Int

    public init(type: String, value: String, portion: Int) {
        self.type = type
        self.value = value
        self.portion = portion
    }
}

/// A piece of intelligence held by its originator.
public struct Report: Sendable, Hashable {
    /// The title is marked like a portion and travels, or is withheld, like one.
    public static let titleIndex = PortionSet.capacity - 1
    /// Content portions are numbered `0..<maxPortions`.
    public static let maxPortions = PortionSet.capacity - 1

    public var id: String
    public var originator: String
    public var title: String
    public var titleMarking: Marking
    public var sourceGrade: SourceGrade
    /// Sorted, unique.
    public var topics: [String] { didSet { topicTags = TagSet(topics) } }
    /// The topics, interned for the decision rule.
    public private(set) var topicTags: TagSet
    public var entities: [EntityMention]
    public var portions: [Portion]
    public var createdBy: String
    /// Milliseconds since 1970.
    public var createdAt: Int64

    public init(
        id: String, originator: String, title: String, titleMarking: Marking, sourceGrade: SourceGrade,
        topics: [String], entities: [EntityMention], portions: [Portion], createdBy: String, createdAt: Int64
    ) {
        self.id = id
        self.originator = originator
        self.title = title
        self.titleMarking = titleMarking
        self.sourceGrade = sourceGrade
        self.topics = SortedStrings.make(topics)
        self.topicTags = TagSet(self.topics)
        self.entities = entities
        self.portions = portions
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// The banner of the whole report: its title and every portion.
    public var banner: Marking {
        Banner.rollUp([titleMarking] + portions.map(\.marking)) ?? .unclassified
    }
}
