import Foundation

/// One throttle admission asked of the shared windows (see ``SharedWindowCounting/admit``).
struct Admission: Sendable {
    let member: String
    let kind: String
    let key: String?
    let amount: Int64
    let limit: Int64
    let window: Int64
    let now: Int64
}

/// Group commit for throttle admissions, for callers that may block (pool threads): the first
/// caller to arrive sends its admission and every one queued meanwhile in one statement, then
/// hands the lead to the next caller in line. Each caller gets its own answer, and returns only
/// once the statement that counted it has answered, so an admission is never answered before it
/// is counted. Under load, one round trip to the database serves many requests.
final class AdmissionBatcher: @unchecked Sendable {
    // why @unchecked: everything below is guarded by `condition`.
    private final class Ticket {
        let admission: Admission
        var answer: Result<Bool, any Error>?
        var leads = false
        init(_ admission: Admission) { self.admission = admission }
    }

    private let condition = NSCondition()
    private var queue: [Ticket] = []
    private var leading = false
    /// At most this many admissions in one statement.
    let batchLimit: Int

    init(batchLimit: Int = 256) { self.batchLimit = batchLimit }

    /// `admission`'s answer; `send` admits a batch in one statement and answers in its order.
    func admit(_ admission: Admission, send: ([Admission]) throws -> [Bool]) throws -> Bool {
        let ticket = Ticket(admission)
        condition.lock()
        queue.append(ticket)
        if leading {
            while ticket.answer == nil && !ticket.leads { condition.wait() }
        } else {
            leading = true
            ticket.leads = true
        }
        if let answer = ticket.answer {
            condition.unlock()
            return try answer.get()
        }
        // This caller leads: it sends what is queued (its own admission among it), answers everyone.
        let batch = Array(queue.prefix(batchLimit))
        queue.removeFirst(batch.count)
        condition.unlock()
        let answers: Result<[Bool], any Error> = Result { try send(batch.map(\.admission)) }
        condition.lock()
        for (index, waiting) in batch.enumerated() {
            waiting.answer = answers.map { $0[index] }
        }
        if let next = queue.first {
            next.leads = true
        } else {
            leading = false
        }
        condition.broadcast()
        condition.unlock()
        guard let answer = ticket.answer else { throw StoreError.corruptRow("tearline_admit") }
        return try answer.get()
    }
}
