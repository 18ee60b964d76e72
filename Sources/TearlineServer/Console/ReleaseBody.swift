import Foundation
import TearlineCore

/// The release page: pick a partner, then the original and what the partner would receive side
/// by side, each withheld portion with its reasons; approve ORCON, add terms, release.
struct ReleaseBody: Sendable {

    struct Reason: Sendable {
        let code: String
        let words: String
    }

    struct Row: Sendable {
        let label: String
        let mark: String
        let runs: [TextRun]
        let goes: Bool
        let reasons: [Reason]
    }

    let reportId: String
    let reportHref: String
    let partners: [ConsoleOption]
    let hasPartners: Bool
    let hasPreview: Bool
    let recipient: String
    let rows: [Row]
    let copyBanner: BannerStyle?
    let nothingGoes: Bool
    let orconPending: Bool
    let approveOrcon: Bool
    let terms: String
    var errors: [String] = []
    var hasErrors: Bool = false

    init(reportId: String, partners: [String], preview: ReleasePreview?, approveOrcon: Bool, terms: String = "") {
        self.reportId = reportId
        reportHref = "/reports/\(reportId)"
        self.partners = partners.map { ConsoleOption(value: $0, selected: $0 == preview?.recipient) }
        hasPartners = !partners.isEmpty
        hasPreview = preview != nil
        recipient = preview?.recipient ?? ""
        self.approveOrcon = approveOrcon
        self.terms = terms
        guard let preview else {
            rows = []
            copyBanner = nil
            nothingGoes = false
            orconPending = false
            return
        }
        let withheld = Dictionary(uniqueKeysWithValues: preview.withheld.map { ($0.index, $0.reasons) })
        let going = Set(preview.portions)
        var rows: [Row] = []
        if let title = preview.original.title {
            let reasons = withheld[Report.titleIndex] ?? []
            rows.append(Row(label: "Title", mark: preview.original.titleMarking ?? "", runs: [TextRun(text: title, entity: nil)],
                            goes: preview.titleIncluded, reasons: reasons.map { Reason(code: $0, words: DenialReasons.words(forCode: $0)) }))
        }
        for p in preview.original.portions {
            let reasons = withheld[p.index] ?? []
            rows.append(Row(label: "Portion \(p.index + 1)", mark: p.marking, runs: [TextRun(text: p.text, entity: nil)],
                            goes: going.contains(p.index), reasons: reasons.map { Reason(code: $0, words: DenialReasons.words(forCode: $0)) }))
        }
        self.rows = rows
        copyBanner = preview.banner.map(BannerStyle.init(text:))
        nothingGoes = preview.portions.isEmpty
        orconPending = !preview.orconPending.isEmpty || approveOrcon
    }
}

/// Consent requests: incoming (to decide, for the originator's releasers) and outgoing.
struct ConsentBody: Sendable {
    struct Item: Sendable {
        let id: String
        let releaseId: String
        let reportId: String
        let originator: String
        let holder: String
        let target: String
        let status: String
        let date: String
        let decidable: Bool
        let resultingReleaseId: String?
    }

    let incoming: [Item]
    let outgoing: [Item]
    let hasIncoming: Bool
    let hasOutgoing: Bool

    init(_ requests: [ConsentRequestResponse], organization: String?, mayDecide: Bool) {
        let items = requests.map { c in
            Item(id: c.id, releaseId: c.releaseId, reportId: c.reportId, originator: c.originator, holder: c.holder, target: c.target,
                 status: c.status, date: ConsoleDate.day(c.createdAt), decidable: mayDecide && c.status == "pending" && c.originator == organization,
                 resultingReleaseId: c.resultingReleaseId)
        }
        incoming = items.filter { $0.originator == organization }
        outgoing = items.filter { $0.holder == organization }
        hasIncoming = !incoming.isEmpty
        hasOutgoing = !outgoing.isEmpty
    }
}

/// A forward refused by the third-party rule, and the consent request it created.
struct ForwardRefusalBody: Sendable {
    let releaseId: String
    let message: String
    let consentRequestId: String?
    let reasons: [ReleaseBody.Reason]
}
