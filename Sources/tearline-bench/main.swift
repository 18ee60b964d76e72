import Foundation

// tearline-bench: prints the figures the README quotes. Build in release mode:
//   swift build -c release && .build/release/tearline-bench [--http] [--seconds N]
let arguments = CommandLine.arguments
let withHTTP = arguments.contains("--http")
let seconds = arguments.firstIndex(of: "--seconds").flatMap { Int(arguments[$0 + 1]) } ?? 10
let connections = arguments.firstIndex(of: "--connections").flatMap { Int(arguments[$0 + 1]) } ?? 32

print("tearline-bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB")
#if DEBUG
print("warning: this is a debug build; figures are meaningless. Use `swift build -c release`.")
#endif

// Five rounds; the median is the figure, the best shows what a quiet machine gives.
let rounds = (0..<5).map { _ in DecisionBenchmark.run(evaluations: 10_000_000) }
let reads = rounds.map(\.readNanoseconds).sorted()
let releases = rounds.map(\.releaseNanoseconds).sorted()
print(String(format: "decision rule, read:    median %5.1f ns per portion, best %5.1f (5 rounds of %d, %d allowed)",
             reads[2], reads[0], rounds[0].evaluations, rounds[0].allowed))
print(String(format: "decision rule, release: median %5.1f ns per portion, best %5.1f", releases[2], releases[0]))

if withHTTP {
    let directory = URL(fileURLWithPath: arguments[0]).deletingLastPathComponent().path
    let binary = directory + "/tearline"
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("error: \(binary) not found; run `swift build -c release` first")
        exit(1)
    }
    let work = NSTemporaryDirectory() + "tearline-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let db = work + "/bench.db"
    let seeded = try await HTTPBenchmark.seed(path: db, reports: 1000)
    let port = 18_080
    let server = try HTTPBenchmark.startServer(binary: binary, db: db, port: port)
    defer { server.terminate(); server.waitUntilExit() }

    let bare = try HTTPBenchmark.wrk(script: "", port: port, seconds: seconds, connections: connections, path: "/healthz")
    print(String(format: "HTTP bare /healthz:  %8.0f req/s  p50 %@  p99 %@  (the same server, no database, for reference)",
                 bare.requestsPerSecond, bare.p50, bare.p99))
    let reportViews = try HTTPBenchmark.wrk(
        script: HTTPBenchmark.viewScript(token: seeded.reader, paths: seeded.reportIds.map { "/v1/reports/\($0)" }),
        port: port, seconds: seconds, connections: connections)
    let reportRatio = reportViews.requestsPerSecond / max(bare.requestsPerSecond, 1)
    print(String(format: "HTTP report views:   %8.0f req/s  p50 %@  p99 %@  (non-2xx %d; wrk -t1 -c%d, %ds)",
                 reportViews.requestsPerSecond, reportViews.p50, reportViews.p99, reportViews.non2xx, connections, seconds))
    print(String(format: "  report views run at %.0f%% of the bare route's rate, each read and audited", reportRatio * 100))
    let releaseViews = try HTTPBenchmark.wrk(
        script: HTTPBenchmark.viewScript(token: seeded.recipient, paths: seeded.releaseIds.map { "/v1/releases/\($0)" }),
        port: port, seconds: seconds, connections: connections)
    print(String(format: "HTTP release views:  %8.0f req/s  p50 %@  p99 %@  (non-2xx %d)",
                 releaseViews.requestsPerSecond, releaseViews.p50, releaseViews.p99, releaseViews.non2xx))
    let releases = try HTTPBenchmark.wrk(
        script: HTTPBenchmark.releaseScript(token: seeded.releaser, reportIds: seeded.reportIds),
        port: port, seconds: seconds, connections: connections)
    print(String(format: "HTTP releases:       %8.0f req/s  p50 %@  p99 %@  (non-2xx %d)",
                 releases.requestsPerSecond, releases.p50, releases.p99, releases.non2xx))
}
