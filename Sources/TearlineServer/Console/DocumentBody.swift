import Foundation
import TearlineCore

/// A report or a release as its reader may see it: each portion with its mark and its
/// sources-and-methods flag, entities highlighted in the text, corroboration, track record.
struct DocumentBody: Sendable {
    struct PortionItem: Sendable {
        let number: Int
        let mark: String
        let runs: [TextRun]
        let sourcesAndMethods: Bool
        let entities: [EntityView]
        let hasEntities: Bool
    }

    let kind: String
    let isRelease: Bool
    let id: String
    let reportId: String
    let originator: String
    let recipient: String?
    let title: String?
    let titleMarking: String?
    let sourceGrade: String
    let topics: String
    let date: String
    let portions: [PortionItem]
    let withheldPortions: Int
    let hasWithheld: Bool
    let revoked: Bool
    let corroboration: String?
    let trackRecord: String?
    /// For a releaser of the originator, on a report: where to release it.
    var releaseHref: String?
    /// For a recipient, on a release: the organisations it could try to pass it to (the third-party rule refuses).
    var forwardTargets: [String] = []
    var canForward = false
    /// The judgements given on a release, and the verdicts a recipient may give.
    var feedback: [FeedbackItem] = []
    var hasFeedback = false
    let verdicts: [Verdict] = [
        Verdict(value: "confirmed", label: "Confirmed"), Verdict(value: "partly-confirmed", label: "Partly confirmed"),
        Verdict(value: "refuted", label: "Refuted"), Verdict(value: "cannot-judge", label: "Cannot judge"),
    ]

    struct Verdict: Sendable {
        let value: String
        let label: String
    }

    struct FeedbackItem: Sendable {
        let organization: String
        let verdict: String
        let note: String?
        let date: String

        init(_ f: FeedbackView) {
            organization = f.organization
            verdict = f.verdict
            note = f.note
            date = ConsoleDate.day(f.createdAt)
        }
    }

    init(_ d: DocumentView) {
        kind = d.kind == "release" ? "Release" : "Report"
        isRelease = d.kind == "release"
        id = d.id
        reportId = d.reportId
        originator = d.originator
        recipient = d.recipient
        title = d.title
        titleMarking = d.titleMarking
        sourceGrade = d.sourceGrade
        topics = d.topics.joined(separator: ", ")
        date = d.createdAt
        portions = d.portions.map { p in
            let mentioned = d.entities.filter { $0.portion == p.index }
            return PortionItem(number: p.index + 1, mark: p.marking,
                               runs: TextHighlight.runs(p.text, marking: mentioned.map { ($0.value, $0.type) }),
                               sourcesAndMethods: p.sourcesAndMethods, entities: mentioned, hasEntities: !mentioned.isEmpty)
        }
        withheldPortions = d.withheldPortions
        hasWithheld = d.withheldPortions > 0
        revoked = d.revoked ?? false
        corroboration = d.corroboration.map { c in
            c.independentOriginators == 0 ? "No other originator you may know of holds reports on these entities."
                : "\(c.independentOriginators) other originator(s) hold reports on these entities: \(c.originators.joined(separator: ", "))."
        }
        trackRecord = d.kind == "release" ? TrackRecordText.summary(d.trackRecord) : nil
    }
}

/// The caller's own organisation's reports.
struct HoldingsBody: Sendable {
    struct Item: Sendable {
        let href: String
        let id: String
        let banner: BannerStyle
        let title: String?
        let titleMarking: String?
        let sourceGrade: String
        let topics: String
        let date: String
    }

    let items: [Item]
    let next: String?
    let isEmpty: Bool

    init(list: DocumentList) {
        items = list.items.map { d in
            Item(href: "/reports/\(d.id)", id: d.id, banner: BannerStyle(text: d.banner), title: d.title, titleMarking: d.titleMarking,
                 sourceGrade: d.sourceGrade, topics: d.topics.joined(separator: ", "), date: ConsoleDate.day(d.createdAt))
        }
        isEmpty = items.isEmpty
        next = list.next.map { cursor in
            var components = URLComponents()
            components.path = "/holdings"
            components.queryItems = [URLQueryItem(name: "cursor", value: cursor)]
            return components.string ?? "/holdings"
        }
    }
}
