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

    /// The status to set on the recipient node's record of a partnership, given what the
    /// originator's node reports now and reported last time (nil the first time), or nil to leave it.
    ///
    /// why: withdrawing support reaches every copy at once, so a change on the originator's side
    /// is applied; but the recipient decides its own side too, so a status the originator merely
    /// repeats never undoes a suspension the recipient made.
    public static func statusToApply(
        reported: PartnershipStatus, previouslyReported: PartnershipStatus?, local: PartnershipStatus
    ) -> PartnershipStatus? {
        let previous = previouslyReported ?? .active
        guard reported != previous, reported != local else { return nil }
        return reported
    }
}
