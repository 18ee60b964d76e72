import PropertyBased
import Testing
import TearlineCore

@Suite("Track record")
struct TrackRecordTests {
    @Test func verdictCodesAreStable() {
        #expect(FeedbackVerdict.allCases.map(\.rawValue) == ["confirmed", "partly-confirmed", "refuted", "cannot-judge"])
        #expect(FeedbackVerdict(rawValue: "partly-confirmed") == .partlyConfirmed)
        #expect(FeedbackVerdict(rawValue: "partlyConfirmed") == nil)
    }

    @Test func noVerdictsIsTheUniformPrior() {
        let record = TrackRecord.empty
        #expect(record.alpha == 1 && record.beta == 1)
        #expect(record.mean == 0.5)
        // why: the prior is Beta(1, 1), whose 95% equal-tailed interval is [0.025, 0.975].
        #expect(abs(record.low - 0.025) < 1e-9)
        #expect(abs(record.high - 0.975) < 1e-9)
        #expect(record.judged == 0)
        #expect(record == TrackRecord(verdicts: []))
    }

    @Test func confirmedAddsOneToAlpha() {
        let record = TrackRecord(verdicts: [.confirmed, .confirmed])
        #expect(record.alpha == 3 && record.beta == 1)
        #expect(record.confirmed == 2 && record.judged == 2)
        #expect(record.mean == 0.75)
    }

    @Test func refutedAddsOneToBeta() {
        let record = TrackRecord(verdicts: [.refuted])
        #expect(record.alpha == 1 && record.beta == 2)
        #expect(record.refuted == 1 && record.judged == 1)
        #expect(abs(record.mean - 1.0 / 3) < 1e-15)
    }

    @Test func partlyConfirmedAddsHalfToEach() {
        let record = TrackRecord(verdicts: [.confirmed, .partlyConfirmed])
        #expect(record.alpha == 2.5 && record.beta == 1.5)
        #expect(record.partlyConfirmed == 1 && record.judged == 2)
        #expect(record.mean == 2.5 / 4)
    }

    @Test func cannotJudgeChangesNothingButItsCount() {
        let without = TrackRecord(verdicts: [.confirmed, .refuted, .partlyConfirmed])
        let with = TrackRecord(verdicts: [.cannotJudge, .confirmed, .cannotJudge, .refuted, .partlyConfirmed])
        #expect(with.cannotJudge == 2 && without.cannotJudge == 0)
        #expect(with.alpha == without.alpha && with.beta == without.beta)
        #expect(with.mean == without.mean && with.low == without.low && with.high == without.high)
        #expect(with.judged == without.judged)
    }

    @Test func refutedReleaseLowersTheOriginatorsRecord() {
        // why: story 8 — GBR marks a USA release refuted, and USA's track record drops.
        let before = TrackRecord(verdicts: [.confirmed, .confirmed, .confirmed, .partlyConfirmed])
        let after = TrackRecord(verdicts: [.confirmed, .confirmed, .confirmed, .partlyConfirmed, .refuted])
        #expect(after.mean < before.mean)
        #expect(after.low < before.low)
        #expect(after.high < before.high)
    }

    @Test func intervalIsTheEqualTailed95PercentOfThePosterior() {
        // 4 confirmed, 2 refuted: Beta(5, 3). Checked against the binomial-sum CDF.
        let record = TrackRecord(verdicts: [.confirmed, .refuted, .confirmed, .confirmed, .refuted, .confirmed])
        #expect(record.alpha == 5 && record.beta == 3)
        #expect(abs(BetaOracle.binomialTail(record.low, a: 5, b: 3) - 0.025) < 1e-9)
        #expect(abs(BetaOracle.binomialTail(record.high, a: 5, b: 3) - 0.975) < 1e-9)
    }

    @Test func intervalNarrowsAsJudgedCountGrows() {
        // Same 3:1 ratio of confirmed to refuted, ever more verdicts.
        let widths = [1, 2, 5, 10, 50].map { scale in
            let verdicts = Array(repeating: FeedbackVerdict.confirmed, count: 3 * scale)
                + Array(repeating: FeedbackVerdict.refuted, count: scale)
            let record = TrackRecord(verdicts: verdicts)
            return record.high - record.low
        }
        #expect(zip(widths, widths.dropFirst()).allSatisfy { $0 > $1 }, "\(widths)")
    }

    @Test func countsInitAgreesWithVerdictsInit() {
        let verdicts: [FeedbackVerdict] = [.refuted, .confirmed, .cannotJudge, .partlyConfirmed, .confirmed]
        #expect(TrackRecord(verdicts: verdicts)
            == TrackRecord(confirmed: 2, partlyConfirmed: 1, refuted: 1, cannotJudge: 1))
    }

    static let verdict = Gen.int(in: 0...3).map { FeedbackVerdict.allCases[$0] }

    @Test func intervalBracketsTheMeanInsideZeroOne() async {
        await propertyCheck(count: 300, input: Self.verdict.array(of: 0...80)) { verdicts in
            let record = TrackRecord(verdicts: verdicts)
            #expect(0 <= record.low && record.low <= record.mean, "\(record)")
            #expect(record.mean <= record.high && record.high <= 1, "\(record)")
            #expect(record.confirmed + record.partlyConfirmed + record.refuted + record.cannotJudge == verdicts.count)
            #expect(record.judged == verdicts.count - record.cannotJudge)
            // Order does not matter: a record is a count.
            #expect(TrackRecord(verdicts: verdicts.reversed()) == record)
        }
    }
}
