import Foundation

/// The release-built `tearline` beside this program, which the load benchmarks serve from; exits
/// with what to build when it is not there.
func serverBinary() -> String {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/tearline"
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("error: \(binary) not found; run `swift build -c release --product tearline` first")
        exit(1)
    }
    return binary
}

/// A new directory `tearline-NAME-UUID` under the temporary directory; the caller removes it.
func scratchDirectory(_ name: String) throws -> String {
    let directory = NSTemporaryDirectory() + "tearline-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory
}
