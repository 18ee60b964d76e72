/// What the inbox is narrowed to: releases from one originator, on one topic.
public struct InboxFilter: Sendable, Hashable {
    public var originator: String?
    public var topic: String?

    public init(originator: String? = nil, topic: String? = nil) {
        self.originator = originator
        self.topic = topic
    }

    var isEmpty: Bool { originator == nil && topic == nil }

    /// The filter in the audit record (an organisation id and a topic: no report text).
    var auditDetail: String {
        (originator.map { " originator=\($0)" } ?? "") + (topic.map { " topic=\($0)" } ?? "")
    }
}
