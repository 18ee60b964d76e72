/// How MISP's sharing controls become Tearline markings, as the operator chooses.
///
/// - TLP tags (`tlp:clear`/`tlp:white`, `green`, `amber`, `amber+strict`, `red`; TLP 1.0 and 2.0)
///   become the TLP of the marking; the most restrictive one wins; none gives `defaultTLP`.
/// - Under `strict` (the default), MISP's distribution levels become REL TO:
///   - 0 (your organisation only): REL TO the importing organisation, and at least TLP:AMBER+STRICT;
///   - 1 and 2 (this community, connected communities): REL TO the organisation and `community`;
///   - 3 (all communities): no REL TO;
///   - 4 (sharing group): REL TO the organisation and the group's members that are organisations
///     of this node (by id, name or MISP UUID); the others are left out, and reported;
///   - 5 (inherit, on attributes and objects): the event's.
///   An attribute or object can only narrow its event: REL TO lists intersect, TLP takes the higher.
/// - Under `tlp-only`, distribution is ignored except that level 0 raises TLP to AMBER+STRICT.
/// - Discoverability follows distribution: 0 own organisation, 1–2 the community, 3 all partners,
///   4 the group's known members (own organisation when none are known).
public struct MISPImportPolicy: Sendable {
    public enum DistributionMode: String, Sendable, CaseIterable {
        case strict
        case tlpOnly = "tlp-only"
    }

    public var organization: String
    public var classification: Classification
    public var defaultTLP: TLPLevel
    public var community: [String]
    public var mode: DistributionMode
    /// The distribution of an event that does not give one (a MISP feed's events do not), as
    /// MISP's own feed setting: 0, your organisation only, by default.
    public var missingDistribution: Int
    /// The organisations of this node, by lower-cased id, name and MISP UUID.
    public var knownOrganizations: [String: String]

    public init(organization: String, classification: Classification = .unclassified, defaultTLP: TLPLevel = .amber, community: [String] = [],
                mode: DistributionMode = .strict, missingDistribution: Int = 0, knownOrganizations: [String: String] = [:]) {
        self.missingDistribution = missingDistribution
        self.organization = organization
        self.classification = classification
        self.defaultTLP = defaultTLP
        self.community = community
        self.mode = mode
        self.knownOrganizations = knownOrganizations
    }
}

/// One report an event becomes (an event too large for one report becomes several parts).
public struct MISPReportPlan: Sendable {
    public var eventUUID: String
    public var part: Int
    public var parts: Int
    public var title: String
    public var titleMarking: Marking
    public var portions: [Portion]
    public var entities: [EntityMention]
    public var discoverability: Discoverability
}

/// What an import mapped, and what it kept only as text.
public struct MISPMappingSummary: Sendable, Codable, Hashable {
    public var events = 0
    public var reports = 0
    public var attributes = 0
    public var objects = 0
    public var entities = 0
    /// Mapped entities by kind.
    public var entityKinds: [String: Int] = [:]
    /// Attribute types that name no entity: kept as text in their portion.
    public var keptAsText: [String: Int] = [:]
    /// Values of an entity type that were not valid for it (kept as text).
    public var invalidValues = 0
    /// Events by MISP distribution level.
    public var distributions: [String: Int] = [:]
    /// Markings given, by banner.
    public var markings: [String: Int] = [:]
    /// Sharing-group members that are not organisations of this node (left out of REL TO).
    public var unknownOrganizations: [String] = []
    /// Tags other than TLP, and galaxy clusters, kept as labels in each report's first portion.
    public var labels = 0
    public init() {}

    /// Adds what `other` mapped (the events after this summary's, for an import mapped in parts):
    /// the same summary as mapping all the events in one.
    public mutating func merge(_ other: MISPMappingSummary) {
        events += other.events
        reports += other.reports
        attributes += other.attributes
        objects += other.objects
        entities += other.entities
        invalidValues += other.invalidValues
        labels += other.labels
        entityKinds.merge(other.entityKinds, uniquingKeysWith: +)
        keptAsText.merge(other.keptAsText, uniquingKeysWith: +)
        distributions.merge(other.distributions, uniquingKeysWith: +)
        markings.merge(other.markings, uniquingKeysWith: +)
        for name in other.unknownOrganizations where !unknownOrganizations.contains(name) { unknownOrganizations.append(name) }
    }
}

public enum MISPMapping {
    /// Portions hold at most this many lines, reports this many listed entities.
    static let linesPerPortion = 200
    static let entitiesPerReport = 900
    static let bytesPerPortion = 60_000
    static let titleBytes = 440

    /// The reports an event becomes, and what was mapped (added to `summary`).
    public static func reports(for event: MISPEvent, policy: MISPImportPolicy, summary: inout MISPMappingSummary) throws(MISPFormatError) -> [MISPReportPlan] {
        let distributionLevel = event.distribution ?? policy.missingDistribution
        let eventRestriction = restriction(distribution: distributionLevel, sharingGroup: event.sharingGroup, tags: event.tags, policy: policy,
                                           summary: &summary)
        let eventMarking = marking(eventRestriction, policy: policy)
        summary.events += 1
        summary.distributions[String(distributionLevel), default: 0] += 1
        summary.attributes += event.attributeCount
        summary.objects += event.objects.count

        var blocks: [Block] = []
        // Loose attributes, grouped by marking in order of first appearance.
        var groups: [(Marking, [Line])] = []
        for a in event.attributes {
            let m = attributeMarking(a, parent: eventRestriction, policy: policy, summary: &summary)
            let line = try self.line(a, relation: nil, summary: &summary)
            if let i = groups.firstIndex(where: { $0.0 == m }) { groups[i].1.append(line) } else { groups.append((m, [line])) }
        }
        for (m, lines) in groups { blocks += chunk(lines, marking: m, heading: nil) }
        for o in event.objects {
            let objectRestriction = narrower(eventRestriction, restriction(distribution: o.distribution, sharingGroup: o.sharingGroup, tags: [],
                                                                           policy: policy, summary: &summary))
            var m = marking(objectRestriction, policy: policy)
            var lines: [Line] = []
            for a in o.attributes {
                m = combined(m, attributeMarking(a, parent: objectRestriction, policy: policy, summary: &summary))
                lines.append(try line(a, relation: a.relation, summary: &summary))
            }
            let heading = "Object \(o.name)" + (o.comment.isEmpty ? "" : " (\(o.comment))")
            blocks += chunk(lines, marking: m, heading: heading)
        }

        // The first portion of every part: what the event is, and its labels.
        let labels = event.tags.filter { TLPTag.level($0) == nil } + event.galaxies
        summary.labels += labels.count
        var head = "MISP event \(event.uuid.isEmpty ? "(no uuid)" : event.uuid)\nInfo: \(event.info)"
        if !event.date.isEmpty { head += "\nDate: \(event.date)" }
        head += "\nThreat level: \(threatLevel(event.threatLevel))\nAnalysis: \(analysis(event.analysis))"
        if let creator = event.creator { head += "\nCreator: \(creator)" }
        head += "\nDistribution: \(distribution(distributionLevel))" + (event.distribution == nil ? " (not given; the import's default)" : "") + (event.sharingGroup.map { " (\($0.name))" } ?? "")
        if !labels.isEmpty { head += "\nLabels: " + labels.joined(separator: "; ") }

        // Pack the blocks into reports.
        var packs: [[Block]] = [[]]
        var entityCount = 0
        for block in blocks {
            if packs[packs.count - 1].count + 1 >= Report.maxPortions || entityCount + block.entities.count > entitiesPerReport {
                packs.append([])
                entityCount = 0
            }
            packs[packs.count - 1].append(block)
            entityCount += block.entities.count
        }
        let discoverability = self.discoverability(eventRestriction, distribution: distributionLevel, policy: policy)
        let title = clipped(event.info.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "MISP event \(event.uuid)" : event.info)
        var plans: [MISPReportPlan] = []
        for (i, pack) in packs.enumerated() {
            var portions = [Portion(index: 0, marking: eventMarking, sourcesAndMethods: false,
                                    text: packs.count > 1 ? head + "\nPart: \(i + 1) of \(packs.count)" : head)]
            var entities: [EntityMention] = []
            for block in pack {
                let index = portions.count
                portions.append(Portion(index: index, marking: block.marking, sourcesAndMethods: false, text: block.text))
                for e in block.entities where !entities.contains(where: { $0.portion == index && $0.type == e.kind.rawValue && $0.value == e.key }) {
                    entities.append(EntityMention(type: e.kind.rawValue, value: e.key, portion: index))
                    summary.entityKinds[e.kind.rawValue, default: 0] += 1
                    summary.entities += 1
                }
            }
            // why: the title is seen with the first portion, so it carries that portion's marking.
            for p in portions { summary.markings[p.marking.banner, default: 0] += 1 }
            plans.append(MISPReportPlan(eventUUID: event.uuid, part: i + 1, parts: packs.count,
                                        title: packs.count > 1 ? title + " (part \(i + 1) of \(packs.count))" : title,
                                        titleMarking: eventMarking, portions: portions, entities: entities, discoverability: discoverability))
        }
        summary.reports += plans.count
        return plans
    }

    // MARK: - Markings

    /// A restriction before it is a marking: REL TO (nil: none) and TLP (nil: not given).
    struct Restriction: Equatable {
        var relTo: [String]?
        var tlp: TLPLevel?
    }

    static func restriction(distribution: Int, sharingGroup: MISPEvent.SharingGroup?, tags: [String], policy: MISPImportPolicy,
                            summary: inout MISPMappingSummary) -> Restriction {
        var r = Restriction(relTo: nil, tlp: tags.compactMap(TLPTag.level).max())
        if distribution == 0 { r.tlp = max(r.tlp ?? .amberStrict, .amberStrict) }
        guard policy.mode == .strict else { return r }
        switch distribution {
        case 0: r.relTo = [policy.organization]
        case 1, 2: r.relTo = sorted([policy.organization] + policy.community)
        case 4:
            var members = [policy.organization]
            for org in sharingGroup?.organizations ?? [] {
                if let id = policy.knownOrganizations[org.name.lowercased()] ?? org.uuid.flatMap({ policy.knownOrganizations[$0.lowercased()] }) {
                    members.append(id)
                } else if !summary.unknownOrganizations.contains(org.name) {
                    summary.unknownOrganizations.append(org.name)
                }
            }
            r.relTo = sorted(members)
        default: break
        }
        return r
    }

    static func sorted(_ ids: [String]) -> [String] { Array(Set(ids)).sorted() }

    /// The stricter of two restrictions: REL TO lists intersect, the higher TLP wins.
    static func narrower(_ a: Restriction, _ b: Restriction) -> Restriction {
        Restriction(relTo: intersection(a.relTo, b.relTo), tlp: [a.tlp, b.tlp].compactMap { $0 }.max())
    }

    /// Two REL TO lists together: nil (no REL TO) restricts nothing; two lists allow what both allow.
    static func intersection(_ a: [String]?, _ b: [String]?) -> [String]? {
        guard let a else { return b }
        guard let b else { return a }
        return a.filter(b.contains)
    }

    static func attributeMarking(_ a: MISPEvent.Attribute, parent: Restriction, policy: MISPImportPolicy, summary: inout MISPMappingSummary) -> Marking {
        let own = a.distribution == 5 ? Restriction(relTo: nil, tlp: a.tags.compactMap(TLPTag.level).max())
            : restriction(distribution: a.distribution, sharingGroup: a.sharingGroup, tags: a.tags, policy: policy, summary: &summary)
        return marking(narrower(parent, own), policy: policy)
    }

    static func marking(_ r: Restriction, policy: MISPImportPolicy) -> Marking {
        Marking(classification: policy.classification, relTo: r.relTo, tlp: r.tlp ?? policy.defaultTLP)
    }

    /// The marking that covers both: a portion holding lines of both must carry it.
    static func combined(_ a: Marking, _ b: Marking) -> Marking {
        Marking(classification: max(a.classification, b.classification), relTo: intersection(a.relTo, b.relTo), tlp: [a.tlp, b.tlp].compactMap { $0 }.max())
    }

    static func discoverability(_ r: Restriction, distribution: Int, policy: MISPImportPolicy) -> Discoverability {
        switch policy.mode {
        case .tlpOnly:
            return distribution == 3 ? .allPartners : .ownOrganization
        case .strict:
            guard let relTo = r.relTo else { return .allPartners }
            let partners = relTo.filter { $0 != policy.organization }
            return partners.isEmpty ? .ownOrganization : .partners(partners)
        }
    }

    // MARK: - Text

    struct Line {
        var text: String
        var entities: [NormalizedEntity]
    }

    struct Block {
        var marking: Marking
        var text: String
        var entities: [NormalizedEntity]
    }

    static func line(_ a: MISPEvent.Attribute, relation: String?, summary: inout MISPMappingSummary) throws(MISPFormatError) -> Line {
        var text = (relation.map { "\($0) (\(a.type))" } ?? "\(a.category.isEmpty ? "" : a.category + " ")\(a.type)") + ": " + a.value
        if a.toIDS { text += " [IDS]" }
        if !a.comment.isEmpty { text += " (\(a.comment))" }
        text = text.replacingOccurrences(of: "\r", with: " ")
        guard text.utf8.count <= bytesPerPortion else { throw MISPFormatError("a \(a.type) attribute is longer than \(bytesPerPortion) bytes.") }
        let entities = MISPAttributeTypes.entities(type: a.type, value: a.value)
        if entities.isEmpty {
            if a.type.split(separator: "|").contains(where: { MISPAttributeTypes.kind(of: String($0), value: a.value) != nil }) {
                summary.invalidValues += 1
            } else {
                summary.keptAsText[a.type, default: 0] += 1
            }
        }
        return Line(text: text, entities: entities)
    }

    static func chunk(_ lines: [Line], marking: Marking, heading: String?) -> [Block] {
        var blocks: [Block] = []
        var text = heading ?? ""
        var entities: [NormalizedEntity] = []
        var count = 0
        for line in lines {
            if count == linesPerPortion || text.utf8.count + line.text.utf8.count + 1 > bytesPerPortion {
                blocks.append(Block(marking: marking, text: text, entities: entities))
                text = heading.map { $0 + " (continued)" } ?? ""
                entities = []
                count = 0
            }
            text += (text.isEmpty ? "" : "\n") + line.text
            entities += line.entities
            count += 1
        }
        if count > 0 || (heading != nil && blocks.isEmpty) { blocks.append(Block(marking: marking, text: text, entities: entities)) }
        return blocks
    }

    static func clipped(_ title: String) -> String {
        guard title.utf8.count > titleBytes else { return title }
        var out = ""
        for c in title {
            if out.utf8.count + String(c).utf8.count > titleBytes - 3 { break }
            out.append(c)
        }
        return out + "…"
    }

    static func threatLevel(_ n: Int) -> String { name(n, in: [nil, "High", "Medium", "Low", "Undefined"]) ?? "Undefined" }
    static func analysis(_ n: Int) -> String { name(n, in: ["Initial", "Ongoing", "Completed"]) ?? "Initial" }
    static func distribution(_ n: Int) -> String {
        name(n, in: ["Your organisation only", "This community only", "Connected communities", "All communities", "Sharing group", "Inherit event"]) ?? "Unknown"
    }

    /// MISP's name for a level, nil when the level is not one.
    static func name(_ n: Int, in names: [String?]) -> String? { names.indices.contains(n) ? names[n] : nil }
}

/// MISP's TLP tags, in the `tlp` taxonomy (1.0 and 2.0).
public enum TLPTag {
    public static func level(_ tag: String) -> TLPLevel? {
        switch tag.lowercased().replacingOccurrences(of: "\"", with: "") {
        case "tlp:white", "tlp:clear": .clear
        case "tlp:green": .green
        case "tlp:amber": .amber
        case "tlp:amber+strict": .amberStrict
        case "tlp:red": .red
        default: nil
        }
    }
}
