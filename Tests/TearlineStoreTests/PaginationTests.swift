import Foundation
import TearlineCore
import TearlineStore
import Testing

@Suite struct PaginationTests {
    /// 30 reports by USA over only three distinct creation times, and 5 by GBR in between.
    static let count = 30

    static func seedReports(_ store: any TearlineStore) async throws {
        try await store.seedWorld()
        try await store.write { s in
            for i in 0..<count {
                try s.insertReport(Fixture.report(id(i), originator: "USA", createdBy: "m-usa", createdAt: 1_000 + Int64(i % 3)))
            }
            for i in 0..<5 {
                try s.insertReport(Fixture.report("g-\(i)", originator: "GBR", createdBy: "m-gbr", createdAt: 1_001))
            }
        }
    }

    static func id(_ i: Int) -> String { "r-" + String(format: "%02d", i) }

    /// Newest first; equal times by id, descending.
    static var expectedOrder: [String] {
        (0..<count).map { (createdAt: 1_000 + $0 % 3, id: id($0)) }
            .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            .map(\.id)
    }

    /// Follows `next` until it is nil, and returns every page.
    static func pages<Item: Sendable>(limit: Int, _ fetch: @escaping @Sendable (String?) async throws -> Page<Item>) async throws -> [Page<Item>] {
        var pages: [Page<Item>] = []
        var cursor: String?
        repeat {
            let page = try await fetch(cursor)
            pages.append(page)
            cursor = page.next
            if pages.count > count + 2 {
                Issue.record("pagination does not terminate")
                break
            }
        } while cursor != nil
        return pages
    }

    @Test(arguments: TestBackend.allCases, [1, 7, 10, 29, 30, 31, 100])
    func reportIdsPageNewestFirstWithoutDuplicatesOrGaps(backend: TestBackend, limit: Int) async throws {
        try await withStore(backend) { store in
            try await Self.seedReports(store)
            let pages = try await Self.pages(limit: limit) { cursor in
                try await store.read { s in try s.reportIds(originator: "USA", after: cursor, limit: limit) }
            }
            #expect(pages.flatMap(\.items) == Self.expectedOrder)
            #expect(pages.count == max(1, (Self.count + limit - 1) / limit))
            #expect(pages.dropLast().allSatisfy { $0.items.count == limit && $0.next != nil })
            #expect(pages.last?.next == nil, "a full last page must not promise more")
            #expect(pages.allSatisfy { $0.items.count <= limit })
        }
    }

    @Test(arguments: TestBackend.allCases) func anOriginatorWithoutReportsHasOneEmptyPage(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await Self.seedReports(store)
            let page = try await store.read { s in try s.reportIds(originator: "DEU", after: nil, limit: 10) }
            #expect(page.items.isEmpty)
            #expect(page.next == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func aCursorIsStableWhenNewerReportsArrive(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await Self.seedReports(store)
            let first = try await store.read { s in try s.reportIds(originator: "USA", after: nil, limit: 10) }
            try await store.write { s in
                try s.insertReport(Fixture.report("r-new", originator: "USA", createdBy: "m-usa", createdAt: 9_999))
                try s.insertReport(Fixture.report("r-99", originator: "USA", createdBy: "m-usa", createdAt: 1_002))
            }
            let cursor = try #require(first.next)
            let rest = try await Self.pages(limit: 100) { [cursor] next in
                try await store.read { s in try s.reportIds(originator: "USA", after: next ?? cursor, limit: 100) }
            }
            let seen = first.items + rest.flatMap(\.items)
            #expect(seen == Self.expectedOrder, "reports newer than the cursor belong to a fresh listing, not to its continuation")
            #expect(!seen.contains("r-new"))
        }
    }

    @Test(arguments: TestBackend.allCases) func releasesToARecipientPageNewestFirstWithoutDuplicatesOrGaps(backend: TestBackend) async throws {
        try await withStore(backend) { store in
            try await store.seedWorld()
            try await store.write { s in
                try s.insertReport(Fixture.report("r-1", originator: "USA", createdBy: "m-usa", createdAt: 1))
                for i in 0..<Self.count {
                    try s.insertRelease(Fixture.release("rel-" + String(format: "%02d", i), report: "r-1", originator: "USA",
                                                        recipient: "GBR", createdAt: 500 + Int64(i % 4)), content: .none)
                    try s.insertRelease(Fixture.release("other-\(i)", report: "r-1", originator: "USA", recipient: "DEU",
                                                        createdAt: 500 + Int64(i % 4)), content: .none)
                }
            }
            let expected = (0..<Self.count).map { (createdAt: 500 + $0 % 4, id: "rel-" + String(format: "%02d", $0)) }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
            let pages = try await Self.pages(limit: 4) { cursor in
                try await store.read { s in try s.releases(recipient: "GBR", after: cursor, limit: 4) }
            }
            let items = pages.flatMap(\.items)
            #expect(items.map(\.id) == expected)
            #expect(items.allSatisfy { $0.recipient == "GBR" })
            #expect(items.first == Fixture.release("rel-27", report: "r-1", originator: "USA", recipient: "GBR", createdAt: 503),
                    "a page carries whole records")
            #expect(pages.count == 8)
            #expect(pages.last?.items.count == 2)
            #expect(pages.last?.next == nil)
            let none = try await store.read { s in try s.releases(recipient: "USA", after: nil, limit: 4) }
            #expect(none.items.isEmpty && none.next == nil)
        }
    }

    static let invalidCursors = [
        "%%%not-base64%%%",
        Data("no colon here".utf8).base64EncodedString(),
        Data("notanumber:r-1".utf8).base64EncodedString(),
        Data(":r-1".utf8).base64EncodedString(),
        Data([0xFF, 0xFE, 0x3A, 0x41]).base64EncodedString(),
    ]

    @Test(arguments: TestBackend.allCases, invalidCursors)
    func anInvalidReportCursorThrows(backend: TestBackend, cursor: String) async throws {
        try await withStore(backend) { store in
            try await Self.seedReports(store)
            let error = await #expect(throws: StoreError.self) {
                try await store.read { s in try s.reportIds(originator: "USA", after: cursor, limit: 5) }
            }
            #expect(error == .invalidCursor)
        }
    }

    @Test(arguments: TestBackend.allCases, invalidCursors)
    func anInvalidReleaseCursorThrows(backend: TestBackend, cursor: String) async throws {
        try await withStore(backend) { store in
            let error = await #expect(throws: StoreError.self) {
                try await store.read { s in try s.releases(recipient: "GBR", after: cursor, limit: 5) }
            }
            #expect(error == .invalidCursor)
        }
    }
}
