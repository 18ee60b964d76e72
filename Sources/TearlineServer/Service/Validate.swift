import TearlineCore

/// Validation of identifiers that arrive from outside.
enum Validate {
    static func organizationId(_ id: String, field: String) throws(ServiceError) {
        guard OrganizationID.isValid(id) else {
            throw .badRequest("\(field) \"\(id)\" is not an organisation id: use 1–16 upper-case letters, digits and hyphens, starting with a letter.")
        }
    }

    /// An organisation's id, name and kind, as the node admin gives them for a new or a partner organisation.
    static func organization(id: String, idField: String, name: String, kind: String) throws(ServiceError) -> OrganizationKind {
        try organizationId(id, field: idField)
        try text(name, field: "name", max: 200)
        guard let parsed = OrganizationKind(rawValue: kind) else {
            throw .badRequest("kind \"\(kind)\" must be one of state, agency, international.")
        }
        return parsed
    }

    /// Topics: lower-case letters, digits, '-', '.', '_', 1–64 characters.
    static func topics(_ topics: [String], field: String) throws(ServiceError) {
        for topic in topics {
            let ok = !topic.isEmpty && topic.count <= 64 && topic.utf8.allSatisfy { b in
                (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F
            }
            guard ok else { throw .badRequest("\(field) \"\(topic)\" is not a topic: use 1–64 lower-case letters, digits, '-', '.', '_'.") }
        }
    }

    static func compartments(_ values: [String], field: String) throws(ServiceError) {
        for value in values where !CompartmentID.isValid(value) {
            throw .badRequest("\(field) \"\(value)\" is not a compartment: use upper-case letters, digits and hyphens.")
        }
    }

    static func text(_ value: String, field: String, max: Int) throws(ServiceError) {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .badRequest("\(field) must not be empty.") }
        guard value.utf8.count <= max else { throw .badRequest("\(field) is longer than \(max) bytes.") }
    }

    static func clearance(_ text: String) throws(ServiceError) -> Classification {
        guard let level = Classification(anyName: text) else {
            throw .badRequest("clearance \"\(text)\" is not a classification (UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET).")
        }
        return level
    }

    static func marking(_ text: String, field: String) throws(ServiceError) -> Marking {
        do { return try Marking.parse(text) } catch { throw ServiceError.invalidMarking(error, at: field) }
    }
}
