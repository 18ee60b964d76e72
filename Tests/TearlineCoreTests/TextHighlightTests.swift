import PropertyBased
import Testing
import TearlineCore

@Suite("Highlighting entities in text")
struct TextHighlightTests {
    static let textLetters = Array("abAB <>&\"'é ")
    static let valueLetters = Array("abAB<")
    static let texts = Gen.int(in: 0...(textLetters.count - 1)).array(of: 0...40).map { String($0.map { textLetters[$0] }) }
    static let values = Gen.int(in: 0...(valueLetters.count - 1)).array(of: 0...4).map { String($0.map { valueLetters[$0] }) }

    @Test func marksEveryOccurrenceWithoutRegardToCase() {
        let runs = TextHighlight.runs("Petrov called; then PETROV left.", marking: [("petrov", "person")])
        #expect(runs == [
            TextRun(text: "Petrov", entity: "person"), TextRun(text: " called; then ", entity: nil),
            TextRun(text: "PETROV", entity: "person"), TextRun(text: " left.", entity: nil),
        ])
    }

    @Test func overlappingValuesGiveTheEarlierThenTheLonger() {
        let runs = TextHighlight.runs("call +44 20 7946 0958 now", marking: [("20 7946", "phone"), ("+44 20 7946 0958", "phone")])
        #expect(runs.map(\.text) == ["call ", "+44 20 7946 0958", " now"])
        #expect(runs[1].entity == "phone")
    }

    @Test func emptyValuesAndAbsentValuesMarkNothing() {
        #expect(TextHighlight.runs("plain text", marking: [("", "person"), ("absent", "person")]) == [TextRun(text: "plain text", entity: nil)])
        #expect(TextHighlight.runs("", marking: [("x", "person")]).isEmpty)
    }

    @Test func theRunsGiveBackTheTextExactly() async {
        await propertyCheck(count: 300, input: Self.texts, Self.values) { text, value in
            let runs = TextHighlight.runs(text, marking: [(value, "person")])
            #expect(runs.map(\.text).joined() == text)
            for run in runs where run.entity != nil { #expect(run.text.lowercased() == value.lowercased()) }
        }
    }
}
