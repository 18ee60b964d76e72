import Crypto
import Foundation

/// A copy a leak might come from: one document as served to one recipient.
public struct CanaryCandidate: Sendable, Hashable {
    /// The document id the copy was marked with.
    public let document: String
    /// The recipient id the copy was marked with.
    public let recipient: String

    public init(document: String, recipient: String) {
        self.document = document
        self.recipient = recipient
    }
}

/// How well a leak matches one candidate copy.
public struct CanaryScore: Sendable {
    /// The copy scored.
    public let candidate: CanaryCandidate
    /// Observations whose form is the one this copy shows.
    public let matches: Int
    /// Observations scored (distinct contexts).
    public let observed: Int
    /// `matches / observed`, in [0, 1]; 0 when nothing was observed.
    public var score: Double { observed == 0 ? 0 : Double(matches) / Double(observed) }
    /// The probability that a copy with random choices matches at least `matches` of `observed`
    /// (binomial, p = ½). Small means the match is no accident. It is per candidate: among N candidates,
    /// the chance that some wrong one does as well is at most N times this.
    public let chance: Double

    public init(candidate: CanaryCandidate, matches: Int, observed: Int, chance: Double) {
        self.candidate = candidate
        self.matches = matches
        self.observed = observed
        self.chance = chance
    }
}

/// Names the copy a leak came from.
public enum CanaryTrace {
    /// Candidates ranked best first: highest score, then most matches, then by document and recipient.
    ///
    /// Pass only observations whose contexts occur in the candidates' document (see
    /// ``sharedContexts(_:with:)``): text from elsewhere matches every copy by chance only and
    /// dilutes the score. Repeated contexts count once.
    public static func rank(
        _ observations: [CanaryObservation], candidates: [CanaryCandidate], key: SymmetricKey
    ) -> [CanaryScore] {
        var seen: Set<UInt64> = []
        let distinct = observations.filter { seen.insert($0.context).inserted }
        let n = distinct.count
        var chances: [Int: Double] = [:]
        let scores = candidates.map { candidate -> CanaryScore in
            let marker = Canary.marker(key: key, document: candidate.document, recipient: candidate.recipient)
            var chooser = CanaryChooser(copyKey: marker.copyKey)
            var matches = 0
            for o in distinct where Int(chooser.bit(o.context)) == o.alternative { matches += 1 }
            let chance = chances[matches] ?? self.chance(matches: matches, observed: n)
            chances[matches] = chance
            return CanaryScore(candidate: candidate, matches: matches, observed: n, chance: chance)
        }
        return scores.sorted { x, y in
            if x.matches != y.matches { return x.matches > y.matches }
            if x.candidate.document != y.candidate.document { return x.candidate.document < y.candidate.document }
            return x.candidate.recipient < y.candidate.recipient
        }
    }

    /// P(X ≥ matches) for X ~ Binomial(observed, ½): how likely a copy with random choices would match
    /// at least this well.
    public static func chance(matches: Int, observed: Int) -> Double {
        guard matches > 0 else { return 1 }
        guard matches <= observed else { return 0 }
        // Sum C(n, i) / 2^n for i in k...n in log space, so thousands of observations do not overflow.
        let n = Double(observed)
        var logTerm = -n * log(2.0)  // log(C(n, n) / 2^n)
        var logSum = logTerm
        var i = observed
        while i > matches {
            // C(n, i-1) = C(n, i) · i / (n - i + 1)
            logTerm += log(Double(i)) - log(n - Double(i) + 1)
            let (hi, lo) = logSum > logTerm ? (logSum, logTerm) : (logTerm, logSum)
            logSum = hi + log1p(exp(lo - hi))
            i -= 1
        }
        return min(1, max(0, exp(logSum)))
    }

    /// How many of a leak's observed contexts occur in an original text: a leak comes from the document
    /// that shares the most (compare with `observations.count`).
    public static func sharedContexts(_ observations: [CanaryObservation], with documentText: String) -> Int {
        sharedContexts(observations, with: Canary.contexts(of: documentText))
    }

    /// How many of a leak's observed contexts are in `contexts` (from ``Canary/contexts(of:)``).
    public static func sharedContexts(_ observations: [CanaryObservation], with contexts: Set<UInt64>) -> Int {
        Set(observations.map(\.context)).intersection(contexts).count
    }

    /// The observations whose contexts occur in `contexts`: what to rank once the document is known.
    public static func restrict(_ observations: [CanaryObservation], to contexts: Set<UInt64>) -> [CanaryObservation] {
        observations.filter { contexts.contains($0.context) }
    }
}
