import Foundation
import Testing
import TearlineCore
import TearlineStore
@testable import TearlineServer

/// The hand-written encoders on the hot path must say exactly what Foundation would.
@Suite struct EncodingTests {
    /// The expected RFC 3339 text, from Foundation's calendar (whole seconds) and integer milliseconds.
    static func expected(_ ms: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(ms - seconds * 1000))
    }

    @Test(arguments: [
        Int64(0), 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 1_795_708_161_123, 253_402_300_799_999, 86_399_999,
    ])
    func timestampsAreRFC3339InUTC(_ ms: Int64) {
        #expect(Timestamp.string(ms) == Self.expected(ms))
        #expect(Timestamp.parse(Timestamp.string(ms)) == ms)
    }

    @Test func knownTimestamps() {
        #expect(Timestamp.string(0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.string(951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp.string(1_795_708_161_123) == "2026-11-26T15:49:21.123Z")
    }

    @Test func randomTimestampsAreRFC3339InUTC() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let ms = Int64.random(in: 0..<4_102_444_800_000, using: &generator)
            #expect(Timestamp.string(ms) == Self.expected(ms), "\(ms)")
        }
    }

    @Test func documentViewJSONMatchesCodable() throws {
        let text = "Quote \" backslash \\ newline \n tab \t bell \u{07} slash / unicode é 🛰"
        let report = Report(
            id: "rpt_1", originator: "USA", title: "Title \"with\" quotes", titleMarking: try Marking.parse("(U)"),
            sourceGrade: try SourceGrade(code: "B2"), topics: ["iran", "counter-terrorism"],
            entities: [EntityMention(type: "person", value: "Ali \"X\"", portion: 0)],
            portions: [
                Portion(index: 0, marking: try Marking.parse("(S//REL TO USA, GBR)"), text: text),
                Portion(index: 1, marking: try Marking.parse("(C)"), sourcesAndMethods: true, text: "second"),
            ],
            createdBy: "mem_1", createdAt: 1_795_708_161_123)
        let reader = Reader(organization: "USA", clearance: .topSecret, topics: ["iran"])
        let view = View.of(report, for: reader, hasGrant: false, channel: .originator)
        let release = ReleaseRecord(
            id: "rel_1", reportId: "rpt_1", originator: "USA", recipient: "GBR", portions: PortionSet([0, Report.titleIndex]),
            banner: try Marking.parse("SECRET//REL TO USA, GBR"), orconApproved: false, createdBy: "mem_1", createdAt: 5, signature: Data())
        for document in [DocumentView(report: report, view: view, release: nil), DocumentView(report: report, view: view, release: release)] {
            var writer = JSONWriter()
            document.write(to: &writer)
            let fast = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? NSDictionary
            let codable = try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as? NSDictionary
            #expect(fast != nil)
            #expect(fast == codable)
            let decoded = try JSONDecoder().decode(DocumentView.self, from: Data(writer.bytes))
            #expect(decoded.portions.first?.text == text)
        }
    }
}
