extension DenialReasons {
    /// A denial reason in words, for the people who read it (the stable code stays the contract).
    public static func words(forCode code: String) -> String {
        switch code {
        case "sources-and-methods": "sources and methods never leave the originator"
        case "noforn": "NOFORN: not releasable to foreign partners"
        case "not-rel-to": "REL TO does not name this partner"
        case "trust-ceiling": "above the classification the originator's trust in this partner allows"
        case "orcon-not-approved": "ORCON: the originator must approve its release"
        case "tlp-red": "TLP:RED stays with its named recipients"
        case "clearance": "above the reader's clearance"
        case "compartments": "in a compartment the reader is not read into"
        case "need-to-know": "outside the reader's topics (need-to-know)"
        case "partnership-suspended": "the partnership is suspended"
        case "no-partnership": "no partnership with this organisation"
        case "third-party-rule": "third-party rule: a recipient never passes material on without the originator's consent"
        case "role-required": "this needs a role the member does not hold"
        case "marking-above-author": "above what the author may write"
        case "self-release": "an organisation does not release to itself"
        case "release-revoked": "the release was revoked"
        case "portion-not-released": "the portion was not released"
        case "member-throttled": "the member is throttled for bulk access"
        case "member-suspended": "the member is suspended"
        case "no-access-path": "no access path"
        default: code
        }
    }
}
