/// The documented value of a release, for the exchange ledger: what one side gave the other.
///
/// ```
/// value = (Σ over released portions of weight(classification))
///         × reliability(grade) × credibility(grade)
///         × (1 + clamp(interest, 0...1))
/// ```
///
/// - weight: UNCLASSIFIED 1, RESTRICTED 2, CONFIDENTIAL 4, SECRET 8, TOP SECRET 16;
/// - reliability: A 1.0, B 0.9, C 0.75, D 0.6, E 0.5, F 0.6 (F, "cannot be judged", counts as 0.6);
/// - credibility: 1 1.0, 2 0.9, 3 0.75, 4 0.6, 5 0.5, 6 0.6 (6, "cannot be judged", counts as 0.6);
/// - interest: the share of the report's topics that the recipient declared as interests
///   (see ``interest(reportTopics:declared:)``); NaN counts as 0.
///
/// For example two portions, SECRET and CONFIDENTIAL, graded B2, with half the topics of
/// interest: (8 + 4) × 0.9 × 0.9 × 1.5 = 14.58.
///
/// why: story 3 — partners bargain and trade intelligence for concessions; the ledger needs a
/// stated, checkable measure of what each release was worth.
public enum ExchangeValue {
    /// The value of a release of portions with these classifications; see the type's formula.
    public static func value(portions: [Classification], sourceGrade: SourceGrade, interest: Double) -> Double {
        let weight = portions.reduce(0.0) { $0 + classificationWeight($1) }
        let clamped = interest.isNaN ? 0 : min(max(interest, 0), 1)
        return weight * reliabilityFactor(sourceGrade.reliability) * credibilityFactor(sourceGrade.credibility)
            * (1 + clamped)
    }

    /// The share of the report's distinct topics that are among the recipient's `declared`
    /// interests, in `0...1`; 0 for a report without topics.
    public static func interest(reportTopics: [String], declared: Set<String>) -> Double {
        let topics = Set(reportTopics)
        guard !topics.isEmpty else { return 0 }
        return Double(topics.intersection(declared).count) / Double(topics.count)
    }

    /// The weight of one portion: doubling with each classification level, UNCLASSIFIED 1 … TOP SECRET 16.
    public static func classificationWeight(_ classification: Classification) -> Double {
        switch classification {
        case .unclassified: 1
        case .restricted: 2
        case .confidential: 4
        case .secret: 8
        case .topSecret: 16
        }
    }

    /// The factor for an Admiralty reliability letter. `F` (cannot be judged) counts as 0.6, like `D`.
    public static func reliabilityFactor(_ reliability: Character) -> Double {
        switch reliability {
        case "A": 1.0
        case "B": 0.9
        case "C": 0.75
        case "D": 0.6
        case "E": 0.5
        default: 0.6  // "F"; SourceGrade admits nothing else.
        }
    }

    /// The factor for an Admiralty credibility digit. `6` (cannot be judged) counts as 0.6, like `4`.
    public static func credibilityFactor(_ credibility: Int) -> Double {
        switch credibility {
        case 1: 1.0
        case 2: 0.9
        case 3: 0.75
        case 4: 0.6
        case 5: 0.5
        default: 0.6  // 6; SourceGrade admits nothing else.
        }
    }
}
