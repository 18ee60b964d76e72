import TearlineStore
import Testing

/// `--database-url` is read strictly, and its password never shows.
@Suite struct PostgresURLTests {
    @Test func aFullURLGivesEveryPart() throws {
        let url = try PostgresURL("postgres://tearline:s3cret@db.example:6543/node?sslmode=require")
        #expect(url.user == "tearline" && url.password == "s3cret" && url.host == "db.example" && url.port == 6543)
        #expect(url.database == "node" && url.tls == .require)
        #expect(!url.description.contains("s3cret"), "the password never shows")
    }

    @Test func defaultsArePort5432AndPreferredTLS() throws {
        let url = try PostgresURL("postgresql://app@127.0.0.1/tearline")
        #expect(url.port == 5432 && url.tls == .prefer && url.password == nil)
    }

    @Test(arguments: [
        ("mysql://u@h/db", "must start with postgres://"),
        ("postgres://h/db", "names no user"),
        ("postgres://u@h", "names no database"),
        ("postgres://u@h/", "names no database"),
        ("postgres://u@h/db?sslmode=maybe", "sslmode must be"),
        ("postgres://u@h/db?application=x", "unknown parameter"),
        ("postgres://u:pw@h/db?sslmode=maybe", "sslmode must be"),
    ])
    func aWrongURLIsRefusedSayingWhy(text: String, expected: String) {
        let error = #expect(throws: PostgresURLError.self) { try PostgresURL(text) }
        #expect(error?.description.contains(expected) == true, "\(text): \(error?.description ?? "")")
        #expect(error?.description.contains("pw") != true, "no password in the message")
    }
}
