/// What a TAXII collection is a view of.
public enum CollectionKind: String, Sendable, Hashable, CaseIterable {
    /// Members of the reader and writer organisations post and read STIX content, each object
    /// through the decision rule.
    case community
    /// An organisation's own holdings: its reports as STIX, and the STIX objects its members posted.
    case holdings
    /// The releases an organisation received, as STIX.
    case received
}

/// What a member may do with a collection. A collection it may neither read nor write does not
/// exist for it (404).
public struct CollectionAccess: Sendable, Hashable {
    public var canRead: Bool
    public var canWrite: Bool
    public var isVisible: Bool { canRead || canWrite }

    public init(canRead: Bool, canWrite: Bool) {
        self.canRead = canRead
        self.canWrite = canWrite
    }
}

/// Who may read, write and delete in a collection. Reading each object is then decided by the
/// decision rule (``DecisionRule/shared(_:holding:isCollectionReader:partnership:)`` for shared
/// holdings, the read rule for reports and releases); this rule only opens the collection.
public enum CollectionRule {
    /// - Parameters:
    ///   - owner: the organisation a holdings or received collection belongs to.
    ///   - readers, writers: the organisations of a community collection.
    ///   - organization: the member's organisation.
    public static func access(
        kind: CollectionKind, owner: String?, readers: [String], writers: [String], organization: String, memberSuspended: Bool
    ) -> CollectionAccess {
        var access: CollectionAccess
        switch kind {
        case .community:
            access = CollectionAccess(canRead: readers.contains(organization), canWrite: writers.contains(organization))
        case .holdings:
            // why: an organisation's holdings are its own; partners get releases, never the holdings.
            access = CollectionAccess(canRead: owner == organization, canWrite: owner == organization)
        case .received:
            // why: releases come from their originators only; nobody posts into what a partner received.
            access = CollectionAccess(canRead: owner == organization, canWrite: false)
        }
        // why: a suspended member keeps seeing that a collection exists, but posts nothing.
        if memberSuspended { access.canWrite = false }
        return access
    }

    /// Only the organisation that posted an object deletes it; a reader of another's object may not.
    public static func mayDelete(postedBy owner: String, organization: String) -> Bool {
        owner == organization
    }
}
