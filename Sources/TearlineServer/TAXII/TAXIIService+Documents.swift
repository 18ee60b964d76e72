import Foundation
import TearlineCore
import TearlineStore

/// Reports and releases as STIX in the holdings and received collections. Listing works on the
/// objects' facts alone (decided with the rule, nothing read or audited); only the documents
/// whose objects land on a page are read, through the same path as GET /v1 (audited,
/// throttled, fingerprinted per member).
extension TAXIIService {
    /// The generated objects of a collection that pass the filter, in collection order. An
    /// object shared by several documents (an originator's identity, a marking definition, an
    /// entity) is listed once, with the first document that carries it.
    func generatedItems(_ s: any StoreSession, collection c: TAXIICollectionRecord, member: MemberRecord, filter: TAXIIFilter) throws -> [TAXIIItem] {
        guard c.kind != .community, c.organization == member.organization else { return [] }
        let documents = try readableDocuments(s, kind: c.kind, member: member)
        var seen = Set<String>()
        var items: [TAXIIItem] = []
        var names: [String: String] = [:]
        for doc in documents {
            let input = try mappingInput(s, doc, names: &names)
            let objects = STIXDocumentMapping.objects(for: input)
            for object in [objects.report] + objects.related {
                guard let id = object["id"]?.stringValue, seen.insert(id).inserted,
                      let type = object["type"]?.stringValue else { continue }
                let versionText = object["modified"]?.stringValue ?? object["created"]?.stringValue
                let version = versionText.flatMap(STIXTimestamp.init(parsing:))?.microseconds ?? doc.createdAt * 1000
                let descriptor = TAXIIDescriptor(stixId: id, type: type, version: version, specVersion: "2.1", dateAdded: doc.createdAt * 1000)
                if filter.admits(descriptor) { items.append(TAXIIItem(descriptor: descriptor, body: nil, document: doc.id)) }
            }
        }
        items.sort { $0.descriptor.position < $1.descriptor.position }
        return items
    }

    /// A report or release the member may read some of, with what it shows.
    struct ReadableDocument {
        var id: String
        var kind: STIXDocumentInput.Kind
        var report: Report
        var view: View
        var recipient: String?
        var createdAt: Int64
    }

    /// The documents of a holdings (own reports) or received (releases) collection that the
    /// member may read, oldest first. Decided with the rule; nothing is read or audited here.
    func readableDocuments(_ s: any StoreSession, kind: TAXIICollectionKind, member: MemberRecord) throws -> [ReadableDocument] {
        var documents: [ReadableDocument] = []
        var cursor: String?
        switch kind {
        case .community:
            return []
        case .holdings:
            repeat {
                let page = try s.reportIds(originator: member.organization, after: cursor, limit: 500)
                for id in page.items {
                    guard let stored = try s.report(id: id) else { continue }
                    let view = View.of(stored.report, for: member.reader, hasGrant: try s.hasGrant(member: member.id, report: id), channel: .originator)
                    guard !view.isEmpty else { continue }
                    documents.append(ReadableDocument(id: id, kind: .report, report: stored.report, view: view, recipient: nil, createdAt: stored.report.createdAt))
                }
                cursor = page.next
            } while cursor != nil
        case .received:
            repeat {
                let page = try s.releases(recipient: member.organization, after: cursor, limit: 500)
                for release in page.items {
                    guard case .recipient(_, let stored, let channel) = try releases.releaseAccess(s, id: release.id, member: member),
                          let copy = try s.releaseContent(id: release.id)?.applied(to: stored.report) else { continue }
                    let view = View.of(copy, for: member.reader, hasGrant: try s.hasGrant(member: member.id, report: release.reportId), channel: channel)
                    guard !view.isEmpty else { continue }
                    documents.append(ReadableDocument(id: release.id, kind: .release, report: copy, view: view, recipient: release.recipient,
                                                      createdAt: release.createdAt))
                }
                cursor = page.next
            } while cursor != nil
        }
        documents.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return documents
    }

    /// The mapping's input for what a view shows (texts as stored: ids do not depend on them).
    private func mappingInput(_ s: any StoreSession, _ doc: ReadableDocument, names: inout [String: String]) throws -> STIXDocumentInput {
        let shown = Set(doc.view.shown.map(\.index))
        return try mappingInput(
            s, id: doc.id, kind: doc.kind, report: doc.report, recipient: doc.recipient, title: doc.view.titleShown ? doc.report.title : nil,
            banner: doc.view.banner ?? .unclassified, portions: doc.view.shown,
            entities: doc.report.entities.filter { shown.contains($0.portion) }.map { ($0.type, $0.value, $0.portion) },
            createdAt: doc.createdAt, names: &names)
    }

    private func mappingInput(
        _ s: any StoreSession, id: String, kind: STIXDocumentInput.Kind, report: Report, recipient: String?, title: String?, banner: Marking,
        portions: [Portion], entities: [(String, String, Int)], createdAt: Int64, names: inout [String: String]
    ) throws -> STIXDocumentInput {
        let name: String
        if let known = names[report.originator] {
            name = known
        } else {
            name = try s.organization(id: report.originator)?.name ?? report.originator
            names[report.originator] = name
        }
        let time = STIXTimestamp(milliseconds: createdAt)
        return STIXDocumentInput(
            id: id, kind: kind, reportId: report.id, originator: (id: report.originator, name: name), recipient: recipient, title: title,
            banner: banner, portions: portions,
            entities: entities.compactMap { e in EntityKind(rawValue: e.0).map { (kind: $0, value: e.1, portion: e.2) } },
            sourceGrade: report.sourceGrade, topics: report.topics, created: time, modified: time)
    }

    /// Reads the documents behind a page's generated objects, as GET /v1 would (audited,
    /// throttled, fingerprinted for this member), and fills in their JSON.
    func renderGenerated(_ s: any StoreSession, _ items: inout [TAXIIItem], kind: TAXIICollectionKind, member: MemberRecord, caller: Caller, now: Int64) throws -> ServiceError? {
        var documents: [String] = []
        for item in items { if let d = item.document, !documents.contains(d) { documents.append(d) } }
        guard !documents.isEmpty else { return nil }
        var bodies: [String: [UInt8]] = [:]
        var names: [String: String] = [:]
        for id in documents {
            let result = kind == .received ? try releases.viewRelease(s, id: id, caller: caller, now: now) : try reports.viewReport(s, id: id, caller: caller, now: now)
            let view: DocumentView
            switch result {
            case .failure(let error): return error
            case .success(let v): view = v
            }
            // why one lookup: the release record gives both the report behind it and the release's own date.
            let release = view.kind == "release" ? try s.release(id: id) : nil
            guard let report = try release.map({ try s.report(id: $0.reportId)?.report }) ?? s.report(id: id)?.report else { continue }
            let portions = try view.portions.map { p in
                Portion(index: p.index, marking: try Marking.parse(p.marking), sourcesAndMethods: p.sourcesAndMethods, text: p.text)
            }
            let input = try mappingInput(
                s, id: id, kind: view.kind == "release" ? .release : .report, report: report, recipient: view.recipient, title: view.title,
                banner: try Marking.parse(view.banner), portions: portions, entities: view.entities.map { ($0.type, $0.value, $0.portion) },
                createdAt: release?.createdAt ?? report.createdAt, names: &names)
            let objects = STIXDocumentMapping.objects(for: input)
            for object in [objects.report] + objects.related {
                guard let oid = object["id"]?.stringValue, bodies[oid] == nil else { continue }
                var bytes: [UInt8] = []
                JSONValue.object(object).write(into: &bytes)
                bodies[oid] = bytes
            }
        }
        for i in items.indices where items[i].document != nil {
            items[i].body = bodies[items[i].descriptor.stixId]
        }
        return nil
    }
}
