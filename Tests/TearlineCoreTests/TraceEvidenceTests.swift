import Crypto
import Foundation
import TearlineCore
import Testing

@Suite("Canary trap: the evidence a trace needs to name a copy")
struct TraceEvidenceTests {
    typealias F = CanaryFixture

    static func score(_ recipient: String, matches: Int, observed: Int) -> CanaryScore {
        CanaryScore(candidate: CanaryCandidate(document: F.document, recipient: recipient), matches: matches, observed: observed,
                    chance: CanaryTrace.chance(matches: matches, observed: observed))
    }

    @Test func aWholeLeakedCopyIsConclusive() {
        for recipient in F.recipients.prefix(10) {
            let ranking = CanaryTrace.rank(Canary.observe(F.mark(F.report, for: recipient)), candidates: F.candidates, key: F.key)
            let evidence = TraceEvidence.judge(ranking)
            #expect(evidence.verdict == .conclusive, "\(recipient)")
            #expect(evidence.chance <= TraceEvidence.threshold)
            #expect(ranking.first?.candidate.recipient == recipient)
        }
    }

    @Test func aTextThatWasNeverServedIsInconclusive() {
        // The same prose, fingerprinted for a document nobody was served: some copy matches best, by chance.
        let leak = F.mark(F.report, for: "USA-m07", document: "RPT-2024-0118")
        let ranking = CanaryTrace.rank(Canary.observe(leak), candidates: F.candidates, key: F.key)
        let evidence = TraceEvidence.judge(ranking)
        #expect(evidence.verdict == .inconclusive)
        #expect(evidence.chance > TraceEvidence.threshold)
        // The original, as its author wrote it, was never served either.
        #expect(TraceEvidence.judge(CanaryTrace.rank(Canary.observe(F.report), candidates: F.candidates, key: F.key)).verdict == .inconclusive)
    }

    @Test func nothingRankedOrNothingObservedIsInconclusive() {
        #expect(TraceEvidence.judge([]) == TraceEvidence.judge([]))
        #expect(TraceEvidence.judge([]).verdict == .inconclusive && TraceEvidence.judge([]).chance == 1)
        let ranking = CanaryTrace.rank(Canary.observe("The courier meets his handler on Tuesdays."), candidates: F.candidates, key: F.key)
        #expect(TraceEvidence.judge(ranking).verdict == .inconclusive)
    }

    @Test func theChanceIsCorrectedForTheNumberOfCandidates() {
        // 22 of 22 slots: 2.4e-7 for one copy; conclusive among 4 candidates, not among 5.
        let best = Self.score("A", matches: 22, observed: 22)
        #expect(best.chance < TraceEvidence.threshold)
        let few = [best] + (1...3).map { Self.score("B\($0)", matches: 11, observed: 22) }
        #expect(TraceEvidence.judge(few).verdict == .conclusive)
        let many = [best] + (1...4).map { Self.score("B\($0)", matches: 11, observed: 22) }
        #expect(TraceEvidence.judge(many).verdict == .inconclusive)
        #expect(TraceEvidence.judge(many).chance == min(1, best.chance * 5))
    }

    @Test func twoCopiesThatBothMatchBeyondChanceSingleOutNeither() {
        let ranking = [Self.score("A", matches: 60, observed: 60), Self.score("B", matches: 58, observed: 60), Self.score("C", matches: 30, observed: 60)]
        #expect(TraceEvidence.judge(ranking).verdict == .inconclusive)
        #expect(TraceEvidence.judge([ranking[0], ranking[2]]).verdict == .conclusive)
    }

    @Test func theThresholdIsTheBreachThresholdOfTheReadme() {
        #expect(TraceEvidence.threshold == 1e-6)
    }
}
