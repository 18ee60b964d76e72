import Foundation
import PropertyBased
import Testing
import TearlineCore

/// Independent oracles for the Beta CDF, derived without the continued fraction.
enum BetaOracle {
    /// For integer shapes, `I_x(a, b) = P(Binomial(a+b−1, x) ≥ a) = Σ_{j=a}^{n} C(n, j) x^j (1−x)^(n−j)`.
    static func binomialTail(_ x: Double, a: Int, b: Int) -> Double {
        let n = a + b - 1
        var sum = 0.0
        for j in a...n {
            sum += choose(n, j) * pow(x, Double(j)) * pow(1 - x, Double(n - j))
        }
        return sum
    }

    static func choose(_ n: Int, _ k: Int) -> Double {
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result
    }

    /// `Beta(1/2, 1/2)` is the arcsine law: `F(x) = (2/π) asin(√x)`.
    static func arcsine(_ x: Double) -> Double { 2 / Double.pi * asin(x.squareRoot()) }
}

@Suite("Beta distribution")
struct BetaDistributionTests {
    static let grid = stride(from: 0.01, through: 0.99, by: 0.01).map { $0 }

    @Test func uniformCdfAndQuantileAreTheIdentity() {
        // why: Beta(1, 1) is uniform, so its quantiles are p itself.
        for p in Self.grid {
            #expect(abs(BetaDistribution.quantile(p, alpha: 1, beta: 1) - p) < 1e-9, "p = \(p)")
            #expect(abs(BetaDistribution.cdf(p, alpha: 1, beta: 1) - p) < 1e-12, "x = \(p)")
        }
    }

    @Test func symmetricBetaHasMedianOneHalf() {
        #expect(abs(BetaDistribution.cdf(0.5, alpha: 2, beta: 2) - 0.5) < 1e-12)
        #expect(abs(BetaDistribution.quantile(0.5, alpha: 2, beta: 2) - 0.5) < 1e-9)
        #expect(abs(BetaDistribution.quantile(0.5, alpha: 37.5, beta: 37.5) - 0.5) < 1e-9)
    }

    @Test func beta25AtOneFifthMatchesTheBinomialSum() {
        // 1 − 0.8^6 − 6 · 0.2 · 0.8^5 = 0.34464 exactly.
        let oracle = BetaOracle.binomialTail(0.2, a: 2, b: 5)
        #expect(abs(oracle - 0.34464) < 1e-12)
        #expect(abs(BetaDistribution.cdf(0.2, alpha: 2, beta: 5) - oracle) < 1e-12)
    }

    @Test func integerShapesMatchTheBinomialSum() {
        // Covers both sides of the continued fraction's switch at x = (a+1)/(a+b+2).
        for a in [1, 2, 3, 5, 8, 13, 30] {
            for b in [1, 2, 4, 7, 12, 25, 60] {
                for x in stride(from: 0.05, through: 0.95, by: 0.05) {
                    let expected = BetaOracle.binomialTail(x, a: a, b: b)
                    let actual = BetaDistribution.cdf(x, alpha: Double(a), beta: Double(b))
                    #expect(abs(actual - expected) < 1e-11, "I_\(x)(\(a), \(b))")
                }
            }
        }
    }

    @Test func nonIntegerShapesMatchClosedForms() {
        for x in Self.grid {
            // Arcsine law.
            #expect(abs(BetaDistribution.cdf(x, alpha: 0.5, beta: 0.5) - BetaOracle.arcsine(x)) < 1e-11, "x = \(x)")
            // Beta(a, 1) has F(x) = x^a; Beta(1, b) has F(x) = 1 − (1−x)^b.
            #expect(abs(BetaDistribution.cdf(x, alpha: 2.7, beta: 1) - pow(x, 2.7)) < 1e-11, "x = \(x)")
            #expect(abs(BetaDistribution.cdf(x, alpha: 1, beta: 4.3) - (1 - pow(1 - x, 4.3))) < 1e-11, "x = \(x)")
        }
    }

    @Test func quantileInvertsTheBinomialSum() {
        // The oracle is independent of the continued fraction, so this checks the inversion too.
        for (a, b) in [(2, 5), (5, 3), (11, 4), (40, 60)] {
            for p in [0.025, 0.1, 0.5, 0.9, 0.975] {
                let x = BetaDistribution.quantile(p, alpha: Double(a), beta: Double(b))
                #expect(abs(BetaOracle.binomialTail(x, a: a, b: b) - p) < 1e-9, "Beta(\(a), \(b)) q(\(p))")
            }
        }
    }

    @Test func cdfAndQuantileAreMonotone() {
        for (a, b) in [(0.6, 0.8), (2.0, 5.0), (150.0, 3.5)] {
            let cdfs = Self.grid.map { BetaDistribution.cdf($0, alpha: a, beta: b) }
            let quantiles = Self.grid.map { BetaDistribution.quantile($0, alpha: a, beta: b) }
            #expect(zip(cdfs, cdfs.dropFirst()).allSatisfy { $0 <= $1 }, "cdf of Beta(\(a), \(b))")
            #expect(zip(quantiles, quantiles.dropFirst()).allSatisfy { $0 < $1 }, "quantile of Beta(\(a), \(b))")
        }
    }

    @Test func endsAndOutOfRangeArguments() {
        #expect(BetaDistribution.cdf(0, alpha: 3, beta: 2) == 0)
        #expect(BetaDistribution.cdf(1, alpha: 3, beta: 2) == 1)
        #expect(BetaDistribution.cdf(-0.5, alpha: 3, beta: 2) == 0)
        #expect(BetaDistribution.cdf(1.5, alpha: 3, beta: 2) == 1)
        #expect(BetaDistribution.quantile(0, alpha: 3, beta: 2) == 0)
        #expect(BetaDistribution.quantile(1, alpha: 3, beta: 2) == 1)
    }

    @Test func quantileInvertsCdfForRandomShapes() async {
        await propertyCheck(count: 300, input: Gen.double(in: 0.5...200), Gen.double(in: 0.5...200),
                            Gen.double(in: 0.01...0.99)) { a, b, p in
            let x = BetaDistribution.quantile(p, alpha: a, beta: b)
            #expect((0...1).contains(x))
            #expect(abs(BetaDistribution.cdf(x, alpha: a, beta: b) - p) < 1e-9, "Beta(\(a), \(b)) p = \(p)")
            // The mirror identity I_x(a, b) = 1 − I_{1−x}(b, a) ties the two branches together.
            let mirrored = 1 - BetaDistribution.cdf(1 - x, alpha: b, beta: a)
            #expect(abs(mirrored - p) < 1e-9, "mirror of Beta(\(a), \(b)) at \(x)")
        }
    }
}
