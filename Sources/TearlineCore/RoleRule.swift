/// Something a member does by virtue of a role, besides reading (which ``DecisionRule`` governs).
public enum Duty: String, Sendable, Hashable, CaseIterable {
    /// Write a report for the organisation.
    case writeReports
    /// Release the organisation's reports to partners, revoke releases.
    case release
    /// Decide consent requests and access requests addressed to the organisation.
    case decide
    /// Follow the organisation's consent requests, access requests and its reports' releases.
    case oversee
    /// Follow what colleagues asked of partners (their outgoing access requests).
    case followColleagues
    /// Set a report's discoverability (its author may too).
    case setDiscoverability
    /// Read the audit log, alerts and access receipts; trace leaks; lift throttles.
    case investigate
    /// Record a breach by a partner.
    case recordBreaches
    /// Read a partnership's history and the partners table.
    case readPartnerships
    /// Manage the organisation: members, its side of partnerships, breach policy, interests.
    case administer
    /// List the organisation's members.
    case listMembers
    /// Give a colleague need-to-know for one of the organisation's own reports.
    case grantReports
    /// Give a colleague need-to-know for a release the organisation received.
    case grantReleases
    /// Ask a partner for information.
    case askForInformation
    /// Settle the terms of the ledger.
    case settleTerms
}

/// The role table: which roles carry which duty. Pure, like the decision rule; every service
/// asks it instead of checking roles inline.
///
/// why: the design's roles — an `analyst` writes, a `releaser` releases and decides consent,
/// `security` reads the audit and receives alerts, `admin` manages the organisation, a `liaison`
/// only watches (its right to receipts is ``OversightRule``'s).
public enum RoleRule {
    public static let table: [Duty: Set<Role>] = [
        .writeReports: [.analyst, .releaser],
        .release: [.releaser],
        .decide: [.releaser],
        .oversee: [.releaser, .security, .admin],
        .followColleagues: [.security, .admin],
        .setDiscoverability: [.releaser],
        .investigate: [.security],
        .recordBreaches: [.security, .admin],
        .readPartnerships: [.admin, .security, .releaser],
        .administer: [.admin],
        .listMembers: [.admin, .security],
        .grantReports: [.admin, .releaser],
        .grantReleases: [.admin],
        .askForInformation: [.analyst, .releaser],
        .settleTerms: [.releaser, .admin],
    ]

    /// True when one of `roles` carries `duty`.
    public static func permits<S: Sequence>(_ duty: Duty, roles: S) -> Bool where S.Element == Role {
        guard let allowed = table[duty] else { return false }
        return roles.contains { allowed.contains($0) }
    }
}
