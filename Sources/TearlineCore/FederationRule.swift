/// The rules of sharing between nodes that are not the release and read rules themselves
/// (those apply on both nodes unchanged).
public enum FederationRule {
    /// A partner node acts for `organization` only when the key it presented over mutual TLS is
    /// one of the pins registered for that organisation; without a presented key it acts for nobody.
    public static func admits(presentedPin: String?, pinnedFor pins: [String]) -> Bool {
        guard let presentedPin else { return false }
        return pins.contains(presentedPin)
    }

    /// A partner node speaks (receipts, feedback, consent requests, refusals) only about releases
    /// made to its own organisation by an organisation hosted on this node.
    public static func maySpeakAbout(releaseRecipient: String, originatorIsHostedHere: Bool, speaker: String) -> Bool {
        releaseRecipient == speaker && originatorIsHostedHere
    }

    /// The recipient node's record of a partnership after the originator's node reported the
    /// originator's own stance (its trust in the recipient, and whether it suspended).
    ///
    /// why: trust is directional and each side's suspension is its own. The originator's node is
    /// the authority on the originator's stance, so the recipient node applies it as reported —
    /// a lowered trust or a withdrawal of support reaches every copy at once, and a lift is
    /// honoured — but nothing the originator's node reports ever changes the recipient's own
    /// stance, so a suspension the recipient made stands until the recipient lifts it.
    public static func mirror(reported: PartnershipStance, of originator: String, onto sides: PartnershipSides) -> PartnershipSides {
        sides.setting(reported, for: originator)
    }
}
