/// What kind of party an organisation is.
public enum OrganizationKind: String, CaseIterable, Sendable, Codable {
    case state, agency, international
}

/// Organisation ids are short upper-case codes (`USA`, `USA-FBI`, `IAEA`); REL TO lists use them.
public enum OrganizationID {
    /// True when `id` is a valid organisation code.
    public static func isValid(_ id: String) -> Bool {
        Marking.isIdentifier(id, maxLength: 16)
    }
}

/// Compartment names are upper-case codes such as `HCS` or `SI-G`, up to 32 characters.
public enum CompartmentID {
    public static func isValid(_ id: String) -> Bool {
        Marking.isIdentifier(id, maxLength: 32)
    }
}
