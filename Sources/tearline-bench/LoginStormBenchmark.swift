import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TearlineServer

/// `--login-storm`: does a burst of wrong HTTP Basic passwords slow everything else down? A
/// release-built `tearline serve` in its own process; this process measures `/healthz` and
/// report views (closed loop, a few keep-alive connections) with and without 50 wrong Basic
/// logins a second arriving at the same time, each on a connection of its own.
enum LoginStormBenchmark {
    struct Latencies {
        var p50: Double
        var p99: Double
        var count: Int
    }

    struct Storm {
        var sent = 0
        var unauthorized = 0
        var busy = 0
        var other = 0
    }

    static func run(binary: String, db: String, port: Int, seconds: Int, rate: Int) async throws {
        let seeded = try await HTTPBenchmark.seed(path: db, reports: 200)
        let service = try await TearlineService.open(databasePath: db)
        _ = try await service.taxii.setPassword(member: try await memberId(service, token: seeded.reader), login: "storm", password: "the right passphrase", by: .nodeAdmin)
        let server = try HTTPBenchmark.startServer(binary: binary, db: db, port: port)
        defer { server.terminate(); server.waitUntilExit() }
        let views = seeded.reportIds.map { "/v1/reports/\($0)" }
        let bearer = "Bearer \(seeded.reader)"
        func measure(storming: Bool) throws -> (health: Latencies, views: Latencies, storm: Storm) {
            let stop = StopFlag()
            let stormResult = StormCounter()
            let stormThread = storming ? Thread {
                storm(port: port, rate: rate, stop: stop, counter: stormResult)
            } : nil
            stormThread?.start()
            Thread.sleep(forTimeInterval: storming ? 1 : 0)   // let the storm reach its rate
            let health = try closedLoop(port: port, seconds: seconds, connections: 4) { _ in ("/healthz", nil) }
            let reports = try closedLoop(port: port, seconds: seconds, connections: 4) { i in (views[i % views.count], bearer) }
            stop.set()
            Thread.sleep(forTimeInterval: 0.5)
            return (health, reports, stormResult.value)
        }
        let quiet = try measure(storming: false)
        let stormy = try measure(storming: true)
        func line(_ name: String, _ l: Latencies) -> String {
            String(format: "%@ p50 %6.2f ms  p99 %6.2f ms  (%d requests)", name, l.p50, l.p99, l.count)
        }
        print("login storm (4 keep-alive connections, closed loop, \(seconds) s each; \(ProcessInfo.processInfo.activeProcessorCount) cores):")
        print("  quiet:        " + line("/healthz     ", quiet.health))
        print("                " + line("report views ", quiet.views))
        print("  \(rate) bad logins/s: " + line("/healthz     ", stormy.health))
        print("                " + line("report views ", stormy.views))
        print("  the storm: \(stormy.storm.sent) wrong Basic logins sent, \(stormy.storm.unauthorized) answered 401 (scrypt checked), "
              + "\(stormy.storm.busy) answered 503 (pool full), \(stormy.storm.other) other")
    }

    private static func memberId(_ service: TearlineService, token: String) async throws -> String {
        guard case .member(let m)? = try await service.members.authenticate(token: token) else { throw BenchError("no member for the token") }
        return m.id
    }

    /// Sends `rate` wrong Basic logins a second, each on its own connection and thread, until stopped.
    private static func storm(port: Int, rate: Int, stop: StopFlag, counter: StormCounter) {
        let credentials = Data("storm:a wrong password".utf8).base64EncodedString()
        let interval = 1.0 / Double(rate)
        var next = Date()
        while !stop.isSet {
            Thread {
                counter.sent()
                guard let connection = try? Connection(port: port),
                      let status = try? connection.request("/taxii2/", authorization: "Basic \(credentials)",
                                                           accept: "application/taxii+json;version=2.1").status else {
                    counter.record(0)
                    return
                }
                counter.record(status)
            }.start()
            next += interval
            let wait = next.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
    }

    /// `connections` threads each sending requests one after another for `seconds`; the latency of each.
    private static func closedLoop(port: Int, seconds: Int, connections: Int,
                                   request: @escaping @Sendable (Int) -> (String, String?)) throws -> Latencies {
        let collected = LatencyCollector()
        let group = DispatchGroup()
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        for c in 0..<connections {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = try? Connection(port: port) else { return }
                var i = c * 7919
                var mine: [Double] = []
                while Date() < deadline {
                    let (path, authorization) = request(i)
                    i += 1
                    let start = DispatchTime.now().uptimeNanoseconds
                    guard let reply = try? connection.request(path, authorization: authorization), reply.status == 200 else { continue }
                    mine.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                }
                collected.add(mine)
            }.start()
        }
        group.wait()
        let sorted = collected.all.sorted()
        guard !sorted.isEmpty else { throw BenchError("no successful requests") }
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        return Latencies(p50: at(0.50), p99: at(0.99), count: sorted.count)
    }
}

/// One keep-alive HTTP/1.1 connection over a blocking socket: enough for a load generator.
private final class Connection {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw BenchError("connect") }
    }

    deinit { close(fd) }

    func request(_ path: String, authorization: String?, accept: String = "application/json") throws -> (status: Int, body: Int) {
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: \(accept)\r\n"
        if let authorization { text += "Authorization: \(authorization)\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw BenchError("send") }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = Self.headerEnd(buffer) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while buffer.count < end + 4 + length {
                    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    guard n > 0 else { throw BenchError("closed") }
                    buffer += chunk[0..<n]
                }
                return (status, length)
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw BenchError("closed") }
            buffer += chunk[0..<n]
        }
    }

    private static func headerEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
        return nil
    }
}

private final class StopFlag: @unchecked Sendable {
    // why @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var stopped = false
    var isSet: Bool { lock.withLock { stopped } }
    func set() { lock.withLock { stopped = true } }
}

private final class StormCounter: @unchecked Sendable {
    // why @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var storm = LoginStormBenchmark.Storm()
    var value: LoginStormBenchmark.Storm { lock.withLock { storm } }
    func sent() { lock.withLock { storm.sent += 1 } }
    func record(_ status: Int) {
        lock.withLock {
            switch status {
            case 401: storm.unauthorized += 1
            case 503: storm.busy += 1
            default: storm.other += 1
            }
        }
    }
}

private final class LatencyCollector: @unchecked Sendable {
    // why @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var values: [Double] = []
    var all: [Double] { lock.withLock { values } }
    func add(_ more: [Double]) { lock.withLock { values += more } }
}
