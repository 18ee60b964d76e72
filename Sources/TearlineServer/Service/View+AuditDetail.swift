import TearlineCore

extension View {
    /// What an audit entry of a read records: the count shown, and each portion withheld with its
    /// reasons (`withheld=2 [1:clearance,3:need-to-know]`). Never text.
    var auditDetail: String {
        let base = "shown=\(shown.count) withheld=\(withheld.count)"
        guard !withheld.isEmpty else { return base }
        return base + " [" + withheld.map { "\($0.index):\($0.reasons.codes.joined(separator: "+"))" }.joined(separator: ",") + "]"
    }
}
