import Testing
import TearlineCore

@Suite("Source grade")
struct SourceGradeTests {
    @Test func everyAdmiraltyCodeParses() throws {
        for reliability in "ABCDEF" {
            for credibility in 1...6 {
                let code = "\(reliability)\(credibility)"
                let grade = try SourceGrade(code: code)
                #expect(grade.reliability == reliability)
                #expect(grade.credibility == credibility)
                #expect(grade.code == code)
                #expect(grade.description == code)
            }
        }
    }

    @Test(arguments: ["", "B", "B22", "G1", "A0", "A7", "b2", "2B", "BB", "B-", " B2", "B2 ", "B\u{0662}", "Ｂ2", "B\u{20DD}2", "C\u{0308}3"])
    func malformedCodesAreRefused(code: String) {
        let error = #expect(throws: SourceGradeError.self) { try SourceGrade(code: code) }
        #expect(error?.text == code)
    }

    @Test func memberwiseInitValidatesToo() {
        #expect(throws: SourceGradeError.self) { try SourceGrade(reliability: "G", credibility: 1) }
        #expect(throws: SourceGradeError.self) { try SourceGrade(reliability: "A", credibility: 0) }
        #expect(throws: SourceGradeError.self) { try SourceGrade(reliability: "A", credibility: 7) }
        #expect(throws: SourceGradeError.self) { try SourceGrade(reliability: "D\u{20DD}", credibility: 2) }
    }

    @Test func errorSaysWhatIsExpected() {
        let error = #expect(throws: SourceGradeError.self) { try SourceGrade(code: "Z9") }
        #expect(error?.description
            == "invalid source grade \"Z9\": expected reliability A–F followed by credibility 1–6, for example B2")
    }
}
