import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A value bound to a statement: the few kinds the schema uses.
enum SQLValue: Sendable, Equatable {
    case text(String)
    case int(Int64)
    case double(Double)
    case bytes(Data)
    case null
    /// An array (`text[]`), for a batch sent in one statement.
    case texts([String])
    /// An array (`bigint[]`).
    case ints([Int64])

    static func optional(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
    static func optional(_ value: Int64?) -> SQLValue { value.map(SQLValue.int) ?? .null }
    static func optional(_ value: Data?) -> SQLValue { value.map(SQLValue.bytes) ?? .null }
}

/// Statements are written as for SQLite, with `?` placeholders, and numbered for PostgreSQL here.
enum PostgresStatement {
    /// `sql` with each `?` outside a quoted literal replaced by `$1`, `$2`, … in order.
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quoted = false
        for ch in sql {
            if ch == "'" { quoted.toggle() }
            if ch == "?" && !quoted {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }

    static func query(_ sql: String, _ values: [SQLValue]) -> PostgresQuery {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let v): binds.append(v)
            case .int(let v): binds.append(v)
            case .double(let v): binds.append(v)
            case .bytes(let v): binds.append(ByteBuffer(bytes: v))
            case .null: binds.appendNull()
            case .texts(let v): binds.append(v)
            case .ints(let v): binds.append(v)
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: binds)
    }
}

/// A row read by name, as GRDB's rows are: names are folded to lower case, as PostgreSQL folds
/// the schema's unquoted identifiers.
struct PGRow: Sendable {
    let row: PostgresRow

    private func cell(_ name: String) -> PostgresCell { row.makeRandomAccess()[name.lowercased()] }

    func string(_ name: String) throws -> String { try cell(name).decode(String.self) }
    func optionalString(_ name: String) throws -> String? { try cell(name).decode(String?.self) }
    func int(_ name: String) throws -> Int64 { try cell(name).decode(Int64.self) }
    func optionalInt(_ name: String) throws -> Int64? { try cell(name).decode(Int64?.self) }
    /// A boolean column, or a 0/1 integer (the schema keeps SQLite's integer flags).
    func bool(_ name: String) throws -> Bool {
        let cell = cell(name)
        return cell.dataType == .bool ? try cell.decode(Bool.self) : try cell.decode(Int64.self) != 0
    }
    func double(_ name: String) throws -> Double { try cell(name).decode(Double.self) }
    func data(_ name: String) throws -> Data {
        var buffer = try cell(name).decode(ByteBuffer.self)
        return buffer.readData(length: buffer.readableBytes) ?? Data()
    }
    func optionalData(_ name: String) throws -> Data? {
        guard var buffer = try cell(name).decode(ByteBuffer?.self) else { return nil }
        return buffer.readData(length: buffer.readableBytes) ?? Data()
    }
}

/// One connection, used from one pool thread for the length of one transaction.
///
/// why futures and not async: a statement's answer is awaited on the pool thread through
/// postgres-nio's EventLoopFuture, fulfilled on the connection's event loop. An async query would
/// need a cooperative thread to resume on; when those are all busy the pool thread would wait for
/// one while holding a connection (and, in a write, the node's writer lock).
struct PostgresLink: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// A transaction opened only when its first statement is sent (see ``DeferredBegin``).
    var deferred: DeferredBegin? = nil

    /// This connection without the deferred BEGIN: statements sent through it before the
    /// transaction opens run on their own, in autocommit.
    var autocommit: PostgresLink { PostgresLink(connection: connection, logger: logger) }

    func execute(_ sql: String, _ values: [SQLValue] = []) throws {
        _ = try run(sql, values)
    }

    func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [PGRow] {
        try run(sql, values).rows.map(PGRow.init)
    }

    func row(_ sql: String, _ values: [SQLValue] = []) throws -> PGRow? { try rows(sql, values).first }

    private func run(_ sql: String, _ values: [SQLValue]) throws -> PostgresQueryResult {
        precondition(BlockingTransactionPool.isPoolThread, "database work may block only a BlockingTransactionPool thread")
        guard !connection.isClosed else { throw StoreError.unavailable }
        if let deferred, let begin = deferred.take() {
            try autocommit.execute(begin.statement)
            try begin.opened(autocommit)
        }
        return try PostgresLink.wait(for: connection.query(PostgresStatement.query(sql, values), logger: logger), on: connection)
    }

    /// The longest a statement may go unanswered on a connection that is still open.
    static let statementLimit: Duration = .seconds(120)

    /// Waits for `future` on this thread, but not for ever: postgres-nio drops a statement written
    /// to a connection that has just closed without failing its future (the database restarted,
    /// the network broke). The wait checks the connection every 100 ms; a closed one, or an answer
    /// later than ``statementLimit``, gives ``StoreError/unavailable`` and the connection is closed
    /// so that the pool replaces it. Nothing of the transaction was committed.
    static func wait<T: Sendable>(for future: EventLoopFuture<T>, on connection: PostgresConnection) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let answer = Answer<T>()
        future.whenComplete { result in
            answer.set(result)
            done.signal()
        }
        let deadline = ContinuousClock.now + statementLimit
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if connection.isClosed || ContinuousClock.now > deadline {
                // why the capture: a connection must outlive its close (postgres-nio checks it was closed).
                connection.close().whenComplete { _ in _ = connection }
                throw StoreError.unavailable
            }
        }
        return try answer.get()
    }
}

/// A transaction that is opened by the first statement that needs it, not before: a read
/// answered from what this instance remembers sends no BEGIN and no COMMIT.
final class DeferredBegin: @unchecked Sendable {
    // why @unchecked: used from the one pool thread that runs the transaction.
    let statement: String
    /// Runs right after BEGIN, inside the transaction, before the statement that opened it.
    var opened: (PostgresLink) throws -> Void = { _ in }
    private(set) var begun = false

    init(_ statement: String) { self.statement = statement }

    /// The BEGIN to send now, once.
    fileprivate func take() -> DeferredBegin? {
        guard !begun else { return nil }
        begun = true
        return self
    }
}

/// One statement's answer, handed from the event loop to the waiting pool thread.
private final class Answer<T: Sendable>: @unchecked Sendable {
    // why @unchecked: `result` is guarded by `lock`, set once before the semaphore is signalled.
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
    func get() throws -> T {
        guard let result = lock.withLock({ result }) else { throw StoreError.unavailable }
        return try result.get()
    }
}

/// An answer awaited from a cooperative task, but not for ever (see ``PostgresLink/wait(for:on:)``:
/// a statement on a connection that just closed may never be answered).
enum PostgresAnswer {
    static func within<T: Sendable>(_ limit: Duration, _ future: EventLoopFuture<T>) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { continuation in
            once.arm(continuation)
            future.whenComplete { once.resume(with: $0) }
            Task {
                try? await Task.sleep(for: limit)
                once.resume(with: .failure(StoreError.unavailable))
            }
        }
    }
}

/// A continuation resumed by whichever comes first, and only by it.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    // why @unchecked: `continuation` is guarded by `lock` and taken once.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    func arm(_ continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }
    func resume(with result: Result<T, any Error>) {
        let taken = lock.withLock { () -> CheckedContinuation<T, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        taken?.resume(with: result)
    }
}
