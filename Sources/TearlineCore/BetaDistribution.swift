#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Beta distribution on `[0, 1]`: its cumulative distribution function (the regularized
/// incomplete beta function `I_x(a, b)`) and its inverse.
///
/// Used to turn feedback verdicts into a credible interval for an originator's accuracy.
public enum BetaDistribution {
    /// `P(X ≤ x)` for `X ~ Beta(alpha, beta)`: the regularized incomplete beta function `I_x(alpha, beta)`.
    ///
    /// Evaluated with the continued fraction for `I_x` (modified Lentz), on the side of the
    /// symmetry `I_x(a, b) = 1 − I_{1−x}(b, a)` where it converges fast. Relative accuracy is
    /// about 1e-14 for shapes up to a few thousand.
    ///
    /// - Precondition: `alpha > 0`, `beta > 0`, and `x` is not NaN. `x` outside `[0, 1]` is clamped.
    public static func cdf(_ x: Double, alpha: Double, beta: Double) -> Double {
        precondition(alpha > 0 && beta > 0, "Beta shapes must be positive")
        precondition(!x.isNaN, "x must be a number")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // The prefactor x^a (1−x)^b / B(a, b), in logs so large shapes do not overflow.
        let logFront = lgamma(alpha + beta) - lgamma(alpha) - lgamma(beta) + alpha * log(x) + beta * log1p(-x)
        let front = exp(logFront)
        // why: the continued fraction converges quickly only for x < (a+1)/(a+b+2); beyond it,
        // evaluate the mirrored distribution instead.
        if x < (alpha + 1) / (alpha + beta + 2) {
            return min(1, max(0, front * continuedFraction(x, alpha, beta) / alpha))
        } else {
            return min(1, max(0, 1 - front * continuedFraction(1 - x, beta, alpha) / beta))
        }
    }

    /// The `p`-quantile of `Beta(alpha, beta)`: the `x` with `cdf(x) = p`.
    ///
    /// Found by bisection on `[0, 1]`, which cannot diverge because the CDF is monotone, until
    /// the bracket is narrower than 1e-12 (well inside the 1e-9 the track record needs).
    ///
    /// - Precondition: `alpha > 0`, `beta > 0`, and `p` is not NaN. `p ≤ 0` gives 0; `p ≥ 1` gives 1.
    public static func quantile(_ p: Double, alpha: Double, beta: Double) -> Double {
        precondition(alpha > 0 && beta > 0, "Beta shapes must be positive")
        precondition(!p.isNaN, "p must be a number")
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var low = 0.0
        var high = 1.0
        while high - low > 1e-12 {
            let mid = (low + high) / 2
            // Stop when the bracket can no longer be split in double precision.
            if mid <= low || mid >= high { break }
            if cdf(mid, alpha: alpha, beta: beta) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// The continued fraction of the incomplete beta function, by the modified Lentz method
    /// (Numerical Recipes, `betacf`). Valid for `0 < x < (a+1)/(a+b+2)`.
    static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-15
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for step in 1...10_000 {
            let m = Double(step)
            let m2 = 2 * m
            // The even step of the fraction.
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // The odd step.
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}
