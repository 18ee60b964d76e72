/// The `WHERE` clauses of TAXII's filters over `taxiiObject AS o`, shared by both backends.
///
/// - `match[version]` `first` and `last` are taken per organisation: each organisation's
///   versions of an id are a history of their own, so another organisation's later version (which
///   the reader may not read) never hides the reader's.
/// - Without `match[spec_version]`, a listing shows each id in its latest spec version only
///   (TAXII 2.1 §3.4.2), and `first`/`last` are taken within it; with it, within the versions listed.
/// - A delete without `match[spec_version]` takes every spec version.
enum TAXIIFilterSQL {
    enum Argument {
        case text(String)
        case int(Int64)
    }

    static func clauses(ids: [String], types: [String], specVersions: [String], versions: [TAXIIVersionMatch],
                        latestSpecByDefault: Bool) -> (sql: String, arguments: [Argument]) {
        var sql = ""
        var arguments: [Argument] = []
        func list(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            sql += " AND \(column) IN (" + Array(repeating: "?", count: values.count).joined(separator: ",") + ")"
            arguments += values.map(Argument.text)
        }
        let history = "v.collection = o.collection AND v.stixId = o.stixId AND v.owner = o.owner"
        list("stixId", ids)
        list("type", types)
        list("specVersion", specVersions)
        let defaultSpec = specVersions.isEmpty && latestSpecByDefault
        if defaultSpec {
            sql += " AND specVersion = (SELECT MAX(v.specVersion) FROM taxiiObject v WHERE \(history))"
        }
        guard !versions.contains(.all) else { return (sql, arguments) }
        var clauses: [String] = []
        for match in versions {
            var scope = history
            var scopeArguments: [Argument] = []
            if defaultSpec {
                scope += " AND v.specVersion = o.specVersion"
            } else if !specVersions.isEmpty {
                scope += " AND v.specVersion IN (" + Array(repeating: "?", count: specVersions.count).joined(separator: ",") + ")"
                scopeArguments = specVersions.map(Argument.text)
            }
            switch match {
            case .all: break
            case .first:
                clauses.append("version = (SELECT MIN(v.version) FROM taxiiObject v WHERE \(scope))")
                arguments += scopeArguments
            case .last:
                clauses.append("version = (SELECT MAX(v.version) FROM taxiiObject v WHERE \(scope))")
                arguments += scopeArguments
            case .at(let t):
                clauses.append("version = ?")
                arguments.append(.int(t))
            }
        }
        if !clauses.isEmpty { sql += " AND (" + clauses.joined(separator: " OR ") + ")" }
        return (sql, arguments)
    }
}
