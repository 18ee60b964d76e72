/// An originator's accuracy, estimated from the feedback verdicts on its releases.
///
/// The estimate is a Beta posterior over the share of releases that prove accurate:
///
/// - the prior is `Beta(1, 1)` (uniform: no record says nothing);
/// - `confirmed` adds 1 to `alpha`;
/// - `refuted` adds 1 to `beta`;
/// - `partly-confirmed` adds 0.5 to each;
/// - `cannot-judge` adds nothing, but is counted.
///
/// `mean` is `alpha / (alpha + beta)`; `low` and `high` bound the 95% equal-tailed credible
/// interval (the 2.5% and 97.5% quantiles).
///
/// why: story 8 — GBR marks a USA release refuted and USA's track record drops; recipients
/// see it beside the source grade. The interval shows how much the record rests on.
public struct TrackRecord: Sendable, Hashable {
    public let confirmed: Int
    public let partlyConfirmed: Int
    public let refuted: Int
    public let cannotJudge: Int
    /// The posterior's first shape: 1 + confirmed + partlyConfirmed / 2.
    public let alpha: Double
    /// The posterior's second shape: 1 + refuted + partlyConfirmed / 2.
    public let beta: Double
    /// The posterior mean accuracy.
    public let mean: Double
    /// The 2.5% quantile of the posterior.
    public let low: Double
    /// The 97.5% quantile of the posterior.
    public let high: Double
    /// The verdicts that say something about accuracy: all but `cannot-judge`.
    public let judged: Int

    /// The record of an originator with no verdicts: the uniform prior.
    public static let empty = TrackRecord(verdicts: [FeedbackVerdict]())

    /// The record built from every verdict on an originator's releases.
    public init(verdicts: some Sequence<FeedbackVerdict>) {
        var counts: [FeedbackVerdict: Int] = [:]
        for verdict in verdicts { counts[verdict, default: 0] += 1 }
        self.init(
            confirmed: counts[.confirmed] ?? 0, partlyConfirmed: counts[.partlyConfirmed] ?? 0,
            refuted: counts[.refuted] ?? 0, cannotJudge: counts[.cannotJudge] ?? 0)
    }

    /// The record from counts of each verdict, as a store would hold them.
    ///
    /// - Precondition: every count is zero or more.
    public init(confirmed: Int, partlyConfirmed: Int, refuted: Int, cannotJudge: Int) {
        precondition(confirmed >= 0 && partlyConfirmed >= 0 && refuted >= 0 && cannotJudge >= 0,
                     "verdict counts cannot be negative")
        self.confirmed = confirmed
        self.partlyConfirmed = partlyConfirmed
        self.refuted = refuted
        self.cannotJudge = cannotJudge
        // why: a partly-confirmed release is half right and half wrong; cannot-judge is no evidence.
        let alpha = 1 + Double(confirmed) + Double(partlyConfirmed) / 2
        let beta = 1 + Double(refuted) + Double(partlyConfirmed) / 2
        self.alpha = alpha
        self.beta = beta
        self.mean = alpha / (alpha + beta)
        self.low = BetaDistribution.quantile(0.025, alpha: alpha, beta: beta)
        self.high = BetaDistribution.quantile(0.975, alpha: alpha, beta: beta)
        self.judged = confirmed + partlyConfirmed + refuted
    }
}
