import Foundation
import Testing
@testable import TearlineServer

@Suite struct DemoTests {
    @Test func demoPlaysStoriesOneTwoFourFiveAndSevenWithoutADifference() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let service = try await TearlineService.open(databasePath: directory.appendingPathComponent("demo.db").path, limits: Demo.limits)
        var demo = Demo(service: service)
        let (lines, failures) = try await demo.run()
        #expect(failures.isEmpty, "outcomes differed: \(failures)")
        #expect(lines.contains { $0.contains("Story 1") } && lines.contains { $0.contains("Story 2") } && lines.contains { $0.contains("Story 4") }
                && lines.contains { $0.contains("Story 5") } && lines.contains { $0.contains("Story 7") })
        #expect(lines.filter { $0.contains("✓") }.count >= 28)
    }
}
