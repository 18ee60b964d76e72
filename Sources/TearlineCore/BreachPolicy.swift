/// A breach of a partner's obligations that can cost it trust. Raw values are stable API codes.
public enum BreachKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A leaked text was traced to the partner's copy (story 7).
    case leakTraced = "leak-traced"
    /// The partner tried to forward a release without consent (story 4, the third-party rule).
    case refusedForward = "refused-forward"
    /// The partner passed material on against a denied or absent consent.
    case consentViolation = "consent-violation"
}

/// How an originator has chosen to respond to a breach. Raw values are stable API codes.
public enum BreachResponse: String, Sendable, Hashable, CaseIterable, Codable {
    /// Tearline recommends a trust downgrade; a person decides.
    case recommend
    /// Tearline downgrades trust at once.
    case automatic
}

/// The trust change a breach calls for.
public enum TrustResponse {
    /// The next lower trust level, or `level` itself when it is already the lowest (`none`).
    ///
    /// why: story 4 — after a third-party-rule breach the originator can lower its trust in
    /// the partner; one step at a time, so a single breach does not end the partnership.
    public static func downgrade(from level: TrustLevel) -> TrustLevel {
        let ordered = TrustLevel.allCases.sorted()
        guard let position = ordered.firstIndex(of: level), position > ordered.startIndex else { return level }
        return ordered[ordered.index(before: position)]
    }
}
