import CoreMetrics
import Foundation

/// What the store reports to swift-metrics (exported by the server at `/metrics`): decisions as
/// the audit log records them, once committed; alerts raised; the size of audit group commits;
/// and how long transactions wait for the database. Labels are codes (actions, decisions,
/// reasons, alert kinds, backends); never text, titles, names or tokens.
enum StoreMetrics {
    /// Counts the decisions of audit records that were committed, and the alerts.
    static func committed(audit: [AuditRecord], alertKinds: [String]) {
        for record in audit {
            Counter(label: "tearline_decisions_total", dimensions: [("action", record.action), ("decision", record.decision)]).increment()
            if record.decision == "deny" {
                for reason in record.reasons { Counter(label: "tearline_denials_total", dimensions: [("reason", reason)]).increment() }
            }
        }
        for kind in alertKinds {
            Counter(label: "tearline_alerts_total", dimensions: [("kind", kind)]).increment()
            if kind == "member-throttled" { Counter(label: "tearline_throttles_total").increment() }
        }
    }

    /// One group commit of read audit, `size` records in it.
    static func auditBatch(size: Int) {
        Counter(label: "tearline_audit_appends_total").increment(by: Int64(size))
        Recorder(label: "tearline_audit_batch_size").record(size)
    }

    /// How long a transaction waited for its connection or the writer (`kind` is read or write).
    static func waited(backend: String, kind: String, since start: ContinuousClock.Instant) {
        CoreMetrics.Timer(label: "tearline_store_wait_seconds", dimensions: [("backend", backend), ("kind", kind)])
            .recordInterval(since: start)
    }
}

extension CoreMetrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
