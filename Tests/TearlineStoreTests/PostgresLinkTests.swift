import Foundation
import Logging
import PostgresNIO
@testable import TearlineStore
import Testing

/// The bridge from a pool thread to PostgreSQL, against a real server when
/// `TEARLINE_TEST_DATABASE_URL` names one (`.ci/run` starts a throwaway cluster).
@Suite struct PostgresLinkTests {
    static let url = ProcessInfo.processInfo.environment["TEARLINE_TEST_DATABASE_URL"]

    @Test func placeholdersAreNumberedOutsideLiterals() {
        #expect(PostgresStatement.numbered("SELECT * FROM t WHERE a = ? AND b = '?' AND c IN (?, ?)")
            == "SELECT * FROM t WHERE a = $1 AND b = '?' AND c IN ($2, $3)")
    }

    @Test(.enabled(if: url != nil)) func valuesRoundTripThroughAPoolThread() async throws {
        let url = try PostgresURL(try #require(Self.url))
        let client = PostgresClient(configuration: url.clientConfiguration(connections: 2))
        let running = Task { await client.run() }
        defer { running.cancel() }
        let pool = BlockingTransactionPool(size: 2)
        defer { pool.shutdown() }
        let table = "link_\(UUID().uuidString.prefix(8).lowercased())"
        let rows = try await client.withConnection { connection in
            let link = PostgresLink(connection: connection, logger: Logger(label: "test"))
            return try await pool.run { () -> [[String]] in
                try link.execute("CREATE TEMP TABLE \(table) (name TEXT, n BIGINT, x DOUBLE PRECISION, b BYTEA, note TEXT)")
                try link.execute("INSERT INTO \(table) VALUES (?, ?, ?, ?, ?)",
                                 [.text("it's ?"), .int(-7), .double(0.5), .bytes(Data([0, 1, 255])), .null])
                return try link.rows("SELECT * FROM \(table) WHERE n = ?", [.int(-7)]).map { row in
                    [try row.string("name"), "\(try row.int("n"))", "\(try row.double("x"))",
                     try row.data("b").map { String($0) }.joined(separator: ","), try row.optionalString("note") ?? "nil"]
                }
            }
        }
        #expect(rows == [["it's ?", "-7", "0.5", "0,1,255", "nil"]])
    }
}
