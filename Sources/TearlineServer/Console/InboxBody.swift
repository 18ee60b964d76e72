import Foundation
import TearlineCore

/// The inbox page: releases received, newest first, with their originator, banner, title,
/// source grade and the originator's track record.
struct InboxBody: Sendable {
    struct Item: Sendable {
        let href: String
        let id: String
        let originator: String
        let banner: BannerStyle
        let title: String?
        let titleMarking: String?
        let withheldPortions: Int
        let hasWithheld: Bool
        let sourceGrade: String
        let topics: String
        let trackRecord: String
        let date: String
    }


    let items: [Item]
    let originators: [ConsoleOption]
    let topic: String
    let filtered: Bool
    /// The link to the next page, or `nil` on the last one.
    let next: String?

    let isEmpty: Bool

    init(list: DocumentList, partners: [String], filter: InboxFilter) {
        items = list.items.map { d in
            Item(href: "/releases/\(d.id)", id: d.id, originator: d.originator, banner: BannerStyle(text: d.banner), title: d.title,
                 titleMarking: d.titleMarking, withheldPortions: d.withheldPortions, hasWithheld: d.withheldPortions > 0, sourceGrade: d.sourceGrade,
                 topics: d.topics.joined(separator: ", "), trackRecord: TrackRecordText.summary(d.trackRecord), date: ConsoleDate.day(d.createdAt))
        }
        isEmpty = items.isEmpty
        originators = partners.map { ConsoleOption(value: $0, selected: $0 == filter.originator) }
        topic = filter.topic ?? ""
        filtered = !filter.isEmpty
        next = list.next.map { cursor in
            var query = [URLQueryItem(name: "cursor", value: cursor)]
            if let originator = filter.originator { query.append(URLQueryItem(name: "originator", value: originator)) }
            if let topic = filter.topic { query.append(URLQueryItem(name: "topic", value: topic)) }
            var components = URLComponents()
            components.path = "/inbox"
            components.queryItems = query
            return components.string ?? "/inbox"
        }
    }
}

/// A track record as analysts read it: the mean with its 95% interval, and how many judgements.
enum TrackRecordText {
    static func summary(_ record: TrackRecordView?) -> String {
        guard let record, record.judged > 0 else { return "no feedback yet" }
        return "\(percent(record.mean)) (95% interval \(percent(record.low))–\(percent(record.high)), \(record.judged) judged)"
    }

    static func percent(_ value: Double) -> String {
        "\(Int((value * 100).rounded()))%"
    }
}

/// Dates as the console shows them: the day of an RFC 3339 timestamp.
enum ConsoleDate {
    static func day(_ timestamp: String) -> String {
        String(timestamp.prefix(10))
    }
}
