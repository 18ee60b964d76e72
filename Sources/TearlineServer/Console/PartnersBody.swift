import Foundation
import TearlineCore

/// The partners table: given, received and balance, track records both ways with intervals,
/// trust in each direction, breaches, open terms.
struct PartnersBody: Sendable {
    struct Row: Sendable {
        let partner: String
        let href: String
        let kind: String
        let ourTrust: String
        let theirTrust: String
        let status: String
        let given: String
        let received: String
        let balance: String
        let termsOwedToUs: Int
        let termsOwedByUs: Int
        let partnerTrackRecord: String
        let ourTrackRecord: String
        let breachesByPartner: Int
        let breachesByUs: Int

        init(_ r: PartnerRow) {
            partner = r.partner
            href = "/partners/\(r.partner)"
            kind = r.kind
            ourTrust = r.trustLevel
            theirTrust = r.partnerTrustLevel
            status = r.status
            given = "\(r.given.releases) release(s), value \(ConsoleNumber.format(r.given.value))"
            received = "\(r.received.releases) release(s), value \(ConsoleNumber.format(r.received.value))"
            balance = ConsoleNumber.signed(r.balance)
            termsOwedToUs = r.openTermsOwedToUs
            termsOwedByUs = r.openTermsOwedByUs
            partnerTrackRecord = TrackRecordText.summary(r.partnerTrackRecord)
            ourTrackRecord = TrackRecordText.summary(r.ourTrackRecordWithPartner)
            breachesByPartner = r.breachesByPartner
            breachesByUs = r.breachesByUs
        }
    }

    let rows: [Row]
    let isEmpty: Bool

    init(_ rows: [PartnerRow]) {
        self.rows = rows.map(Row.init)
        isEmpty = rows.isEmpty
    }
}

/// One partner: its row, the exchange over time as a chart, and the trust what-if.
struct PartnerBody: Sendable {

    let row: PartnersBody.Row
    let chart: SeriesChart?
    let levels: [ConsoleOption]
    let whatIf: String?
    let whatIfLevel: String
    let hasWhatIf: Bool
    let affected: [String]
    /// Requests for information between us and this partner, either way.
    var rfis: [RFI] = []
    var hasRFIs = false

    struct RFI: Sendable {
        let direction: String
        let question: String
        let status: String
        let date: String
    }

    init(row: PartnerRow, series: [ExchangePoint], whatIf: WhatIfResponse?) {
        self.row = PartnersBody.Row(row)
        chart = SeriesChart(series)
        let chosen = whatIf?.trustLevel ?? row.trustLevel
        levels = ["none", "minimal", "limited", "low", "high", "full"].map { ConsoleOption(value: $0, selected: $0 == chosen) }
        whatIfLevel = chosen
        hasWhatIf = whatIf != nil
        affected = whatIf?.releases.filter { !$0.lostPortions.isEmpty }
            .map { "Release \($0.releaseId): portions \($0.lostPortions.map { String($0 + 1) }.joined(separator: ", ")) would be hidden" } ?? []
        self.whatIf = whatIf.map { w in
            w.portionsLost == 0
                ? "Setting our trust in \(w.partner) to \(w.trustLevel) would hide nothing \(w.partner) holds from us."
                : "Setting our trust in \(w.partner) to \(w.trustLevel) would hide \(w.portionsLost) portion(s) of \(w.releasesAffected) release(s) \(w.partner) holds from us."
        }
    }
}

/// Cumulative value given and received over time, as two SVG polylines (numbers only).
struct SeriesChart: Sendable {
    let width = 720
    let height = 240
    let given: String
    let received: String
    let maximum: String
    let first: String
    let last: String

    init?(_ series: [ExchangePoint]) {
        guard !series.isEmpty else { return nil }
        let top = max(series.map { max($0.given, $0.received) }.max() ?? 1, 1)
        let left = 50.0, right = 700.0, bottom = 210.0, up = 20.0
        func points(_ value: (ExchangePoint) -> Double) -> String {
            series.enumerated().map { i, p in
                let x = series.count == 1 ? left : left + (right - left) * Double(i) / Double(series.count - 1)
                let y = bottom - (bottom - up) * value(p) / top
                return "\(Int(x.rounded())),\(Int(y.rounded()))"
            }.joined(separator: " ")
        }
        given = points(\.given)
        received = points(\.received)
        maximum = ConsoleNumber.format(top)
        first = ConsoleDate.day(series.first!.at)
        last = ConsoleDate.day(series.last!.at)
    }
}

enum ConsoleNumber {
    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func signed(_ value: Double) -> String {
        value > 0 ? "+" + format(value) : format(value)
    }
}
