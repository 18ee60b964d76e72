/// Why the marking of a posted STIX object could not be determined. Posting is refused:
/// Tearline cannot honour a marking it cannot read.
public struct STIXMarkingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The marking-definition id at fault, when one is.
    public let ref: String?
    public let problem: String

    public init(ref: String?, problem: String) {
        self.ref = ref
        self.problem = problem
    }

    public var description: String {
        if let ref { return "marking \(ref): \(problem)" }
        return problem
    }
}

extension STIXMarkings {
    /// The marking-definition objects among `objects`, by id (for example from a TAXII envelope).
    public static func definitions(in objects: [JSONObject]) -> [String: JSONObject] {
        var result: [String: JSONObject] = [:]
        for object in objects where object["type"]?.stringValue == "marking-definition" {
            if let id = object["id"]?.stringValue { result[id] = object }
        }
        return result
    }

    /// The Tearline marking of a posted STIX object.
    ///
    /// Every ref in `object_marking_refs` and in `granular_markings` counts, and the result is
    /// the most restrictive combination of them (``Banner/rollUp(_:)``): Tearline stores a
    /// posted object as one portion, so a granular marking on any part of it marks the whole.
    ///
    /// - TLP 1.0 and 2.0 ids give an unclassified marking with that TLP (TLP 1.0 WHITE is CLEAR).
    /// - A Tearline definition must be in `envelopeDefinitions`; its `banner` is parsed and the
    ///   definition id recomputed from it must equal the ref, so an edited banner is refused.
    /// - A `statement` definition restricts nothing, but must be in `envelopeDefinitions`.
    /// - Any other ref is refused (deny by default), as is an object with no restricting
    ///   marking when `default` is nil.
    public static func marking(
        of object: JSONObject, envelopeDefinitions: [String: JSONObject], default defaultMarking: Marking?
    ) throws(STIXMarkingError) -> Marking {
        var refs: [String] = []
        if let value = object["object_marking_refs"] {
            guard let array = value.arrayValue else { throw STIXMarkingError(ref: nil, problem: "object_marking_refs must be a list of marking-definition ids") }
            for element in array {
                guard let ref = element.stringValue else { throw STIXMarkingError(ref: nil, problem: "object_marking_refs must be a list of marking-definition ids") }
                refs.append(ref)
            }
        }
        if let value = object["granular_markings"] {
            guard let array = value.arrayValue else { throw STIXMarkingError(ref: nil, problem: "granular_markings must be a list of granular markings") }
            for element in array {
                guard let granular = element.objectValue else { throw STIXMarkingError(ref: nil, problem: "granular_markings must be a list of granular markings") }
                guard let ref = granular["marking_ref"] else { continue }  // a `lang` marking restricts nothing
                guard let text = ref.stringValue else { throw STIXMarkingError(ref: nil, problem: "a granular marking_ref must be a marking-definition id") }
                refs.append(text)
            }
        }

        var markings: [Marking] = []
        var tlp: TLPLevel? = nil
        var seen = Set<String>()
        for ref in refs where seen.insert(ref).inserted {
            guard ref.hasPrefix("marking-definition--") else {
                throw STIXMarkingError(ref: ref, problem: "not a marking-definition id")
            }
            if let level = STIXTLP.level(ofMarkingID: ref) {
                tlp = max(tlp ?? level, level)
                continue
            }
            guard let definition = envelopeDefinitions[ref] else {
                throw STIXMarkingError(ref: ref, problem: "unknown marking definition; include it in the envelope or use a TLP or Tearline marking")
            }
            if let marking = try resolve(definition, ref: ref) { markings.append(marking) }
        }
        // why a single marking is kept as is: the roll-up writes a classified marking without
        // REL TO as NOFORN, which means the same to the decision rule but would not round-trip.
        let combined = markings.count == 1 ? markings[0] : Banner.rollUp(markings)
        if var marking = combined ?? tlp.map({ Marking(classification: .unclassified, tlp: $0) }) {
            if let tlp { marking.tlp = max(marking.tlp ?? tlp, tlp) }
            return marking
        }
        if let defaultMarking { return defaultMarking }
        throw STIXMarkingError(ref: nil, problem: "the object carries no TLP or Tearline marking and no default marking applies")
    }

    /// The marking a definition stands for, nil for a statement, or an error.
    static func resolve(_ definition: JSONObject, ref: String) throws(STIXMarkingError) -> Marking? {
        guard definition["type"]?.stringValue == "marking-definition", definition["id"]?.stringValue == ref else {
            throw STIXMarkingError(ref: ref, problem: "the definition given for it is not a marking-definition with that id")
        }
        if let body = definition["extensions"]?.objectValue?[STIXTearline.extensionID] {
            guard let banner = body.objectValue?["banner"]?.stringValue else {
                throw STIXMarkingError(ref: ref, problem: "Tearline marking definition without a banner")
            }
            let marking: Marking
            do throws(MarkingError) {
                marking = try Marking.parseBanner(banner)
            } catch {
                throw STIXMarkingError(ref: ref, problem: error.description)
            }
            guard definitionID(for: marking) == ref else {
                throw STIXMarkingError(ref: ref, problem: "the id does not match the banner \"\(banner)\"")
            }
            return marking
        }
        if definition["definition_type"]?.stringValue == "statement" { return nil }
        if definition["definition_type"]?.stringValue == "tlp" || definition["extensions"]?.objectValue?[STIXTLP.extensionID] != nil {
            throw STIXMarkingError(ref: ref, problem: "a TLP marking must use the official TLP marking-definition id")
        }
        throw STIXMarkingError(ref: ref, problem: "unsupported marking definition: only TLP, Tearline and statement markings are understood")
    }
}
