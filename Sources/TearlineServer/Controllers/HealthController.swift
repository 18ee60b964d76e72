import Foundation
import Hummingbird
import NIOCore
import TearlineStore

/// `/healthz` (liveness: the process answers; it also shows an outstanding storage fault) and
/// `/readyz` (readiness: the store answers, its schema is current and no storage fault is
/// outstanding). Neither needs credentials, and neither says anything about what is stored.
struct HealthController {
    let service: TearlineService
    let draining: ShutdownSignal

    func register(on router: Router<TearlineRequestContext>) {
        let store = service.store
        router.get("/healthz") { _, _ in
            let storage = store.storageHealth.fault?.rawValue ?? "ok"
            return Self.json(["status": "ok", "storage": storage], status: .ok)
        }
        router.get("/readyz") { _, _ in
            let readiness = await store.readiness()
            var checks = [
                "store": readiness.answers ? "ok" : "unreachable",
                "migrations": readiness.migrationsCurrent ? "current" : (readiness.answers ? "not-current" : "unknown"),
                "storage": readiness.fault?.rawValue ?? "ok",
            ]
            let stopping = draining.isDraining
            checks["lifecycle"] = stopping ? "draining" : "serving"
            let ready = readiness.isReady && !stopping
            var response = Self.json(["status": ready ? "ready" : "not-ready"], checks: checks, status: ready ? .ok : .serviceUnavailable)
            if !ready { response.headers[.retryAfter] = "5" }
            return response
        }
    }

    private static func json(_ fields: [String: String], checks: [String: String]? = nil, status: HTTPResponse.Status) -> Response {
        var object: [String: Any] = fields
        if let checks { object["checks"] = checks }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
