/// The security marking of a portion, or the rolled-up banner of a view.
///
/// Identifiers (compartments, REL TO organisations) are kept sorted and unique so that
/// two markings that mean the same thing are equal, and so the decision rule can merge them.
public struct Marking: Hashable, Sendable {
    public var classification: Classification { didSet { label = Self.label(of: self) } }
    /// SCI-style compartments, for example `HCS`. Sorted, unique.
    public var compartments: [String] { didSet { label = Self.label(of: self) } }
    /// `NOFORN`: not releasable to any foreign organisation.
    public var noforn: Bool { didSet { label = Self.label(of: self) } }
    /// `ORCON`: originator controlled; each release needs the originator's explicit approval.
    public var orcon: Bool { didSet { label = Self.label(of: self) } }
    /// `REL TO`: the organisations this may be released to, or `nil` when no REL TO is marked. Sorted, unique.
    public var relTo: [String]? { didSet { label = Self.label(of: self) } }
    /// A TLP 2.0 level, for non-governmental communities.
    public var tlp: TLPLevel? { didSet { label = Self.label(of: self) } }
    /// The same marking as plain data for the decision rule, kept in step with the fields above.
    public private(set) var label: MarkingLabel

    /// The compartments, interned for the decision rule.
    public var compartmentTags: TagSet { label.compartments }

    public init(
        classification: Classification,
        compartments: [String] = [],
        noforn: Bool = false,
        orcon: Bool = false,
        relTo: [String]? = nil,
        tlp: TLPLevel? = nil
    ) {
        self.classification = classification
        self.compartments = SortedStrings.make(compartments)
        self.noforn = noforn
        self.orcon = orcon
        self.relTo = relTo.map { SortedStrings.make($0) }
        self.tlp = tlp
        self.label = MarkingLabel(classification: classification)
        self.label = Self.label(of: self)
    }

    static func label(of m: Marking) -> MarkingLabel {
        MarkingLabel(
            classification: m.classification, compartments: TagSet(m.compartments), relTo: TagSet(m.relTo ?? []),
            noforn: m.noforn, orcon: m.orcon, tlpRed: m.tlp == .red,
            restrictsRelease: m.classification > .unclassified || m.relTo != nil)
    }

    public static let unclassified = Marking(classification: .unclassified)

    /// True when the marking restricts foreign release, that is when a release must find the
    /// partner in REL TO. Classified portions always do (deny by default); an unclassified
    /// portion does when it carries an explicit REL TO.
    public var restrictsRelease: Bool {
        classification > .unclassified || relTo != nil
    }

    /// True when this marking is at least as restrictive as `other` in every respect: the
    /// banner of a view must dominate every portion it shows.
    public func dominates(_ other: Marking) -> Bool {
        guard classification >= other.classification else { return false }
        guard SortedStrings.isSubset(other.compartments, of: compartments) else { return false }
        if other.orcon && !orcon { return false }
        if other.noforn && !noforn { return false }
        if let otherTLP = other.tlp, (tlp ?? .clear) < otherTLP { return false }
        if !noforn, other.restrictsRelease {
            // A banner that allows release must allow no more than the portion does.
            guard let mine = relTo, SortedStrings.isSubset(mine, of: other.relTo ?? []) else { return false }
        }
        return true
    }
}

/// The facts of a marking that the decision rule reads, as plain data: copying it costs no
/// reference counting, which keeps a per-portion decision in tens of nanoseconds.
public struct MarkingLabel: Sendable, Hashable {
    public var classification: Classification
    public var compartments: TagSet
    /// The REL TO organisations; meaningful only when `restrictsRelease`.
    public var relTo: TagSet
    public var noforn: Bool
    public var orcon: Bool
    public var tlpRed: Bool
    /// Classified, or carrying an explicit REL TO: a release must find the partner in REL TO.
    public var restrictsRelease: Bool

    public init(
        classification: Classification, compartments: TagSet = TagSet(), relTo: TagSet = TagSet(), noforn: Bool = false,
        orcon: Bool = false, tlpRed: Bool = false, restrictsRelease: Bool = false
    ) {
        self.classification = classification
        self.compartments = compartments
        self.relTo = relTo
        self.noforn = noforn
        self.orcon = orcon
        self.tlpRed = tlpRed
        self.restrictsRelease = restrictsRelease
    }
}

extension Marking {
    /// REL TO in conventional order: `USA` first when present (the CAPCO convention the
    /// banner examples follow), then the rest alphabetically.
    var relToInPrintOrder: [String] {
        guard let relTo else { return [] }
        if relTo.contains("USA") { return ["USA"] + relTo.filter { $0 != "USA" } }
        return relTo
    }

    /// The banner form, for example `SECRET//HCS//ORCON/REL TO USA, GBR`.
    public var banner: String { render(portion: false) }

    /// The portion form, for example `(S//REL TO USA, GBR)`.
    public var portionMark: String { "(" + render(portion: true) + ")" }

    func render(portion: Bool) -> String {
        var segments = [portion ? classification.portionName : classification.bannerName]
        if !compartments.isEmpty { segments.append(compartments.joined(separator: "/")) }
        var controls: [String] = []
        if orcon { controls.append(portion ? "OC" : "ORCON") }
        if noforn { controls.append(portion ? "NF" : "NOFORN") }
        if relTo != nil { controls.append("REL TO " + relToInPrintOrder.joined(separator: ", ")) }
        if !controls.isEmpty { segments.append(controls.joined(separator: "/")) }
        if let tlp { segments.append("TLP:" + tlp.label) }
        return segments.joined(separator: "//")
    }
}

extension Marking: CustomStringConvertible {
    public var description: String { banner }
}
