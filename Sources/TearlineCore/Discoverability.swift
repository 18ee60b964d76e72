/// Who may learn, through a pointer, that an originator holds a report on an entity.
///
/// why: "discovery without disclosure" is the originator's choice, report by report. A holding
/// that is not discoverable to an asker leaves no trace in any answer that asker gets.
public enum Discoverability: Sendable, Hashable {
    /// Nobody learns of it through pointers; readers who may read it still find it.
    case none
    /// Members of the originator's own organisation (the default).
    case ownOrganization
    /// The own organisation and these partners (while the partnership is active).
    case partners([String])
    /// The own organisation and every organisation with an active partnership with the originator.
    case allPartners

    public static let `default` = Discoverability.ownOrganization

    /// Parses the API and storage form: `none`, `own-organisation`, `all-partners`, or
    /// `partners:ID,ID,…`. Nil for anything else.
    public init?(rawValue: String) {
        switch rawValue {
        case "none": self = .none
        case "own-organisation": self = .ownOrganization
        case "all-partners": self = .allPartners
        default:
            guard rawValue.hasPrefix("partners:") else { return nil }
            let ids = rawValue.dropFirst("partners:".count).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !ids.isEmpty, ids.allSatisfy({ !$0.isEmpty }) else { return nil }
            self = .partners(SortedStrings.make(ids))
        }
    }

    public var rawValue: String {
        switch self {
        case .none: "none"
        case .ownOrganization: "own-organisation"
        case .allPartners: "all-partners"
        case .partners(let ids): "partners:" + ids.joined(separator: ",")
        }
    }
}

/// The discovery rule: may `asker` (an organisation) learn that `holder` holds a report?
public enum DiscoveryRule {
    /// - The holder's own organisation discovers anything not marked `none`.
    /// - Another organisation needs an active partnership with the holder, and the report must
    ///   be discoverable to all partners or name the asker.
    @inlinable
    public static func isDiscoverable(
        _ discoverability: Discoverability, holder: String, asker: String, partnership: PartnershipTerms?
    ) -> Bool {
        if case .none = discoverability { return false }
        if asker == holder { return true }
        guard let partnership, partnership.isActive else { return false }
        switch discoverability {
        case .none, .ownOrganization: return false
        case .allPartners: return true
        case .partners(let ids): return ids.contains(asker)
        }
    }

    /// May a mention in a portion with this marking count towards a pointer for an asker from
    /// another organisation (`askerTag`: its interned id)? why: a portion that can never reach
    /// the asker — sources and methods, NOFORN, TLP:RED, or a REL TO that leaves the asker out —
    /// must not be revealed, even as a count. (Trust ceilings and ORCON approval can change, so
    /// they do not hide a pointer; the release rule still applies when access is granted.)
    @inlinable
    public static func mayPointAcross(_ label: MarkingLabel, sourcesAndMethods: Bool, askerTag: UInt32) -> Bool {
        !sourcesAndMethods && !label.noforn && !label.tlpRed && (!label.restrictsRelease || label.relTo.contains(id: askerTag))
    }
}
