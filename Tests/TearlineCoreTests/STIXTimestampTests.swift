import Testing
import TearlineCore

@Suite("STIX timestamp")
struct STIXTimestampTests {
    @Test func epochAndKnownInstants() throws {
        #expect(STIXTimestamp(parsing: "1970-01-01T00:00:00Z")?.microseconds == 0)
        #expect(STIXTimestamp(parsing: "2026-11-27T01:10:35.123456Z")?.microseconds == 1_795_741_835_123_456)
        #expect(STIXTimestamp(parsing: "2000-03-01T00:00:00Z")?.microseconds == 951_868_800_000_000)
        #expect(STIXTimestamp(parsing: "1969-12-31T23:59:59.999999Z")?.microseconds == -1)
        #expect(STIXTimestamp(parsing: "0000-01-01T00:00:00Z")?.microseconds == -62_167_219_200_000_000)
    }

    @Test func formats() {
        let t = STIXTimestamp(microseconds: 1_795_741_835_123_456)
        #expect(t.stix == "2026-11-27T01:10:35.123Z")
        #expect(t.taxii == "2026-11-27T01:10:35.123456Z")
        #expect(STIXTimestamp(milliseconds: 0).stix == "1970-01-01T00:00:00.000Z")
        #expect(STIXTimestamp(microseconds: -1).taxii == "1969-12-31T23:59:59.999999Z")
        #expect(STIXTimestamp(microseconds: -1).stix == "1969-12-31T23:59:59.999Z")
        #expect(STIXTimestamp(milliseconds: 1_767_225_600_000).stix == "2026-01-01T00:00:00.000Z")
    }

    @Test(arguments: [
        "2026-11-27T01:10:35Z", "2026-11-27T01:10:35.1Z", "2026-11-27T01:10:35.123456789Z",
        "2024-02-29T23:59:59.5Z", "2000-02-29T00:00:00Z", "1900-03-01T12:00:00Z", "9999-12-31T23:59:59.999999Z",
        "1600-02-29T00:00:00Z", "1066-10-14T09:00:00Z",
    ])
    func validTextRoundTrips(text: String) throws {
        let t = try #require(STIXTimestamp(parsing: text))
        #expect(STIXTimestamp(parsing: t.taxii) == t)
        #expect(t.taxii.hasPrefix(String(text.prefix(19))))
    }

    @Test func precisionBeyondMicrosecondsIsTruncated() {
        #expect(STIXTimestamp(parsing: "2026-01-01T00:00:00.123456789Z")?.taxii == "2026-01-01T00:00:00.123456Z")
        #expect(STIXTimestamp(parsing: "2026-01-01T00:00:00.9999999Z")?.stix == "2026-01-01T00:00:00.999Z")
        #expect(STIXTimestamp(parsing: "2026-01-01T00:00:00.1Z")?.microseconds
            == STIXTimestamp(parsing: "2026-01-01T00:00:00.100000Z")?.microseconds)
    }

    @Test func leapYears() {
        #expect(STIXTimestamp(parsing: "2024-02-29T00:00:00Z") != nil)
        #expect(STIXTimestamp(parsing: "2000-02-29T00:00:00Z") != nil)
        #expect(STIXTimestamp(parsing: "1900-02-29T00:00:00Z") == nil)
        #expect(STIXTimestamp(parsing: "2023-02-29T00:00:00Z") == nil)
        #expect(STIXTimestamp(parsing: "2024-02-30T00:00:00Z") == nil)
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() throws {
        // A full Gregorian cycle, from 1800 (before the epoch) through 2199.
        var t = try #require(STIXTimestamp(parsing: "1800-01-01T12:34:56.789012Z"))
        var previous = t.taxii
        for _ in 0..<146_097 {
            t.microseconds += 86_400_000_000
            let text = t.taxii
            #expect(STIXTimestamp(parsing: text) == t)
            #expect(text > previous)
            previous = text
        }
        #expect(previous == "2200-01-01T12:34:56.789012Z")
    }

    @Test(arguments: [
        "", "2026-11-27", "2026-11-27T01:10:35", "2026-11-27t01:10:35Z", "2026-11-27T01:10:35z",
        "2026-11-27 01:10:35Z", "2026-11-27T01:10:35+00:00", "2026-11-27T01:10:35.Z", "2026-11-27T01:10:35.1234567890Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-00T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z", "26-01-01T00:00:00Z",
        "2026-1-01T00:00:00Z", "+2026-01-01T00:00:00Z", "2026-01-01T00:00:00ZZ", "2026-01-01T00:00:00.12a4Z",
        "2026/01/01T00:00:00Z", "２026-01-01T00:00:00Z",
    ])
    func invalidTextIsRefused(text: String) {
        #expect(STIXTimestamp(parsing: text) == nil)
    }

    @Test func ordering() {
        #expect(STIXTimestamp(microseconds: -5) < STIXTimestamp(microseconds: 3))
        #expect(STIXTimestamp(milliseconds: 2) > STIXTimestamp(microseconds: 1999))
    }
}
