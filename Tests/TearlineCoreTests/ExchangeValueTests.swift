import Testing
import TearlineCore

private func grade(_ code: String) -> SourceGrade {
    do { return try SourceGrade(code: code) } catch { fatalError("\(code) is a valid grade") }
}

private func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

@Suite("Exchange value")
struct ExchangeValueTests {
    static let ascending = Classification.allCases.sorted()

    @Test func classificationWeightsDoubleFromUnclassified() {
        // why: UNCLASSIFIED 1, RESTRICTED 2, CONFIDENTIAL 4, SECRET 8, TOP SECRET 16.
        #expect(Self.ascending.map(ExchangeValue.classificationWeight) == [1, 2, 4, 8, 16])
    }

    @Test func reliabilityAndCredibilityFactors() {
        #expect("ABCDEF".map(ExchangeValue.reliabilityFactor) == [1.0, 0.9, 0.75, 0.6, 0.5, 0.6])
        #expect((1...6).map(ExchangeValue.credibilityFactor) == [1.0, 0.9, 0.75, 0.6, 0.5, 0.6])
    }

    @Test func documentedExamples() {
        // (8 + 4) × 0.9 × 0.9 × 1.5 = 14.58 — the example in the doc comment.
        #expect(near(ExchangeValue.value(portions: [.secret, .confidential], sourceGrade: grade("B2"), interest: 0.5), 14.58))
        // 16 × 1 × 1 × 1 = 16.
        #expect(near(ExchangeValue.value(portions: [.topSecret], sourceGrade: grade("A1"), interest: 0), 16))
        // 1 × 0.6 × 0.6 × 2 = 0.72: "cannot be judged" on both axes counts as 0.6.
        #expect(near(ExchangeValue.value(portions: [.unclassified], sourceGrade: grade("F6"), interest: 1), 0.72))
        // (1 + 2 + 4 + 8 + 16) × 0.5 × 0.5 × 1.25 = 9.6875.
        #expect(near(ExchangeValue.value(portions: Self.ascending, sourceGrade: grade("E5"), interest: 0.25), 9.6875))
    }

    @Test func noPortionsAreWorthNothing() {
        for code in ["A1", "C3", "F6"] {
            #expect(ExchangeValue.value(portions: [], sourceGrade: grade(code), interest: 1) == 0)
        }
    }

    @Test func eachPortionAdds() {
        let one = ExchangeValue.value(portions: [.secret], sourceGrade: grade("B2"), interest: 0)
        let two = ExchangeValue.value(portions: [.secret, .secret], sourceGrade: grade("B2"), interest: 0)
        #expect(near(two, 2 * one))
    }

    @Test func monotoneInClassification() {
        let values = Self.ascending.map { ExchangeValue.value(portions: [$0], sourceGrade: grade("C3"), interest: 0.5) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "\(values)")
    }

    @Test func monotoneInGrade() {
        // A is better than B … E; 1 is better than 2 … 5. F and 6 (cannot be judged) sit at 0.6.
        let byReliability = "ABCDE".map { ExchangeValue.value(portions: [.secret], sourceGrade: grade("\($0)2"), interest: 0) }
        #expect(zip(byReliability, byReliability.dropFirst()).allSatisfy { $0 > $1 }, "\(byReliability)")
        let byCredibility = (1...5).map { ExchangeValue.value(portions: [.secret], sourceGrade: grade("B\($0)"), interest: 0) }
        #expect(zip(byCredibility, byCredibility.dropFirst()).allSatisfy { $0 > $1 }, "\(byCredibility)")
        #expect(ExchangeValue.value(portions: [.secret], sourceGrade: grade("F2"), interest: 0)
            == ExchangeValue.value(portions: [.secret], sourceGrade: grade("D2"), interest: 0))
        #expect(ExchangeValue.value(portions: [.secret], sourceGrade: grade("B6"), interest: 0)
            == ExchangeValue.value(portions: [.secret], sourceGrade: grade("B4"), interest: 0))
    }

    @Test func monotoneInInterestAndClamped() {
        let value = { (interest: Double) in
            ExchangeValue.value(portions: [.confidential], sourceGrade: grade("A1"), interest: interest)
        }
        #expect(value(0) == 4 && value(0.5) == 6 && value(1) == 8)
        // why: interest is a share, clamped to 0...1.
        #expect(value(3) == value(1))
        #expect(value(-2) == value(0))
        #expect(value(.nan) == value(0))
    }

    @Test func interestIsTheShareOfTopicsDeclared() {
        #expect(ExchangeValue.interest(reportTopics: ["cyber", "finance", "maritime", "terrorism"],
                                       declared: ["cyber", "terrorism", "proliferation"]) == 0.5)
        #expect(ExchangeValue.interest(reportTopics: ["cyber"], declared: ["cyber"]) == 1)
        #expect(ExchangeValue.interest(reportTopics: ["cyber"], declared: []) == 0)
        // A repeated topic counts once.
        #expect(ExchangeValue.interest(reportTopics: ["cyber", "cyber", "finance"], declared: ["cyber"]) == 0.5)
        // A report without topics interests nobody, and does not divide by zero.
        #expect(ExchangeValue.interest(reportTopics: [], declared: ["cyber"]) == 0)
    }
}
