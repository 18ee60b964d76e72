/// Who asks to lift a throttle.
public enum Lifter: Sendable, Hashable {
    /// The node administrator: always allowed (the caller audits it). This is how an organisation
    /// whose only security member is throttled, or is the throttled member's appointee, recovers.
    case nodeAdmin
    case member(LifterFacts)
}

/// The facts about a member who asks to lift a throttle.
public struct LifterFacts: Sendable, Hashable {
    public var id: String
    public var organization: String
    public var roles: Set<Role>
    public var isSuspended: Bool
    public var isThrottled: Bool
    /// Every member the lifter's appointment descends from: who created the lifter or gave it a
    /// role, who created or gave a role to those, and so on. Unknown appointers (members created
    /// before Tearline recorded them, with no audit record of it) are simply absent.
    public var appointedBy: Set<String>

    public init(id: String, organization: String, roles: some Sequence<Role>, isSuspended: Bool = false, isThrottled: Bool = false,
                appointedBy: Set<String> = []) {
        self.id = id
        self.organization = organization
        self.roles = Set(roles)
        self.isSuspended = isSuspended
        self.isThrottled = isThrottled
        self.appointedBy = appointedBy
    }
}

/// Who may lift a member's throttle.
///
/// A throttle is lifted only by an active, unthrottled `security` member of the throttled
/// member's organisation who is not the throttled member, and whom the throttled member neither
/// created nor gave a role, directly or through members it appointed. The node administrator
/// may always lift a throttle.
public enum ThrottleLiftRule {
    /// May `lifter` lift the throttle of `member` (an id) of `organization`?
    ///
    /// Denials: ``DenialReasons/noAccessPath`` for another organisation's member (answer as if it
    /// did not exist), ``DenialReasons/roleRequired`` without the `security` role,
    /// ``DenialReasons/memberSuspended`` / ``DenialReasons/memberThrottled`` for a lifter who may
    /// not act, ``DenialReasons/conflictOfInterest`` for the member itself or its appointee.
    public static func decide(_ lifter: Lifter, lifts member: String, of organization: String) -> Decision {
        guard case .member(let facts) = lifter else { return .allow }
        // why: another organisation's members do not exist for the lifter; nothing else is said.
        guard facts.organization == organization else { return .deny(.noAccessPath) }
        var reasons = DenialReasons()
        if !facts.roles.contains(.security) { reasons.insert(.roleRequired) }
        if facts.isSuspended { reasons.insert(.memberSuspended) }
        if facts.isThrottled { reasons.insert(.memberThrottled) }
        // why: a throttle the throttled member could lift through itself or its own appointee controls nothing.
        if facts.id == member || facts.appointedBy.contains(member) { reasons.insert(.conflictOfInterest) }
        return .from(reasons)
    }
}
