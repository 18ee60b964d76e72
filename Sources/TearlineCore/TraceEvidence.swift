/// Whether a leak trace names a copy.
public enum TraceVerdict: String, Sendable, Hashable, Codable {
    /// One copy, and only one, matches far beyond chance: it is named.
    case conclusive
    /// Nothing matches, or nothing matches well enough to single out one copy: nobody is named.
    case inconclusive
}

/// The evidence rule of leak attribution (story 7): when a ranking may name a copy.
///
/// A copy is named only when the chance that *any* candidate copy with random fingerprint choices
/// matches as well as the best is at most ``threshold``, and no other candidate clears that bar
/// too. The per-candidate chance (``CanaryScore/chance``) is multiplied by the number of
/// candidates (Bonferroni): among 50 copies, a 1-in-50 match happens to one of them about once.
public struct TraceEvidence: Sendable, Hashable {
    /// 10⁻⁶, the chance at or below which a traced leak also counts as a breach.
    ///
    /// why: accusing a member or a partner of a leak has consequences (a breach, a suspended
    /// partnership); one false accusation in a million traces is the bar the README sets. A leak of
    /// one paragraph of real prose carries 30–40 slots, a chance near 2⁻³⁵ ≈ 3·10⁻¹¹, so real leaks
    /// clear it with a wide margin while a text that was never served (chance ~10⁻¹) does not.
    public static let threshold = 1e-6

    public let verdict: TraceVerdict
    /// The chance that some candidate with random choices matches as well as the best one:
    /// the best's chance times the number of candidates, at most 1; 1 when nothing was ranked.
    public let chance: Double

    public var isConclusive: Bool { verdict == .conclusive }

    /// Judges a ranking, best first (as ``CanaryTrace/rank(_:candidates:key:)`` and
    /// ``LeakAttribution/attribute(_:documents:key:)`` give it).
    public static func judge(_ ranking: [CanaryScore]) -> TraceEvidence {
        guard let best = ranking.first else { return TraceEvidence(verdict: .inconclusive, chance: 1) }
        let candidates = Double(ranking.count)
        func corrected(_ score: CanaryScore) -> Double { min(1, score.chance * candidates) }
        let chance = corrected(best)
        // why: two copies that both match beyond chance (say a text stitched from two copies)
        // single out neither; naming one of them would be a guess.
        let alone = ranking.dropFirst().allSatisfy { corrected($0) > threshold }
        let conclusive = best.observed > 0 && chance <= threshold && alone
        return TraceEvidence(verdict: conclusive ? .conclusive : .inconclusive, chance: chance)
    }
}
