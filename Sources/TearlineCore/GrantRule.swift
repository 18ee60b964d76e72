/// Who gives a member its roles, clearance and compartments.
public enum Granter: Sendable, Hashable {
    /// The node administrator: exempt from the ceiling (the exemption is audited by the caller).
    case nodeAdmin
    /// A member of an organisation, with what it holds.
    case member(GrantHolding)
}

/// What a member holds, or what is given to one: the facts ``GrantRule`` compares.
public struct GrantHolding: Sendable, Hashable {
    public var organization: String
    public var roles: Set<Role>
    public var clearance: Classification
    public var compartments: Set<String>

    public init(organization: String, roles: some Sequence<Role>, clearance: Classification, compartments: some Sequence<String>) {
        self.organization = organization
        self.roles = Set(roles)
        self.clearance = clearance
        self.compartments = Set(compartments)
    }
}

/// Nobody grants more than they hold.
///
/// A member may create (or change) a member of its own organisation only when it holds the
/// `admin` role, and only up to its own access: the clearance given is at most the granter's, and
/// the compartments given are a subset of the granter's. The node administrator is exempt.
///
/// Roles are not capped by the granter's roles: the `admin` role *is* the authority to staff the
/// organisation (an admin must be able to appoint a security officer or a releaser without being
/// one). What stops an admin from appointing a helper against the controls is elsewhere:
/// ``ThrottleLiftRule`` refuses a lift by a member the throttled member created or gave a role.
///
/// Need-to-know topics are not capped either: they are the job an admin assigns, not a security
/// ceiling; capping them would force every admin to hold every topic, widening the admin's own reads.
public enum GrantRule {
    /// May `granter` give `grant` to a member of `grant.organization`?
    ///
    /// Denials: ``DenialReasons/roleRequired`` alone when the granter is not an admin of that
    /// organisation; otherwise ``DenialReasons/grantAboveGranter`` when the clearance or a
    /// compartment exceeds the granter's.
    public static func decide(_ granter: Granter, grants grant: GrantHolding) -> Decision {
        guard case .member(let holder) = granter else { return .allow }
        // The ceiling is only worth naming to someone who may grant at all.
        guard holder.organization == grant.organization, holder.roles.contains(.admin) else { return .deny(.roleRequired) }
        return exceeds(grant, holder) ? .deny(.grantAboveGranter) : .allow
    }

    /// Whether `grant` gives more clearance or compartments than `holder` holds.
    public static func exceeds(_ grant: GrantHolding, _ holder: GrantHolding) -> Bool {
        grant.clearance > holder.clearance || !grant.compartments.isSubset(of: holder.compartments)
    }

    /// Whether the decision rests on the node administrator's exemption, which the caller must
    /// write in the audit record: the node administrator holds no clearance, so every grant it
    /// makes is above what it holds.
    public static func isExempt(_ granter: Granter) -> Bool {
        if case .nodeAdmin = granter { return true }
        return false
    }
}
