import Foundation

/// A progress line on the terminal for a long import: counts, rate and time left, redrawn in
/// place on standard error at most ten times a second. Nothing is written when standard error
/// is not a terminal (a pipe, a file, CI).
final class ImportProgress: @unchecked Sendable {
    private let label: String
    private var total: Int
    private let started = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    init(_ label: String, total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = total
        self.enabled = enabled
    }

    /// Reports `done` of a total learnt on the way.
    func update(_ done: Int, of total: Int) {
        lock.lock()
        self.total = total
        lock.unlock()
        update(done)
    }

    /// Reports `done` of `total`; redraws when a tenth of a second has passed, or at the end.
    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let total = self.total
        let now = Date()
        guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.line(label, done: done, total: total, elapsed: now.timeIntervalSince(started))).utf8))
    }

    /// Ends the line (the next output starts on a fresh one).
    func finish() {
        guard enabled, total > 0 else { return }
        update(total)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// `events 1,200/10,000 (12%)  850/s  10 s left`.
    static func line(_ label: String, done: Int, total: Int, elapsed: TimeInterval) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(label) \(done)/\(total)"
        if total > 0 { text += " (\(done * 100 / total)%)" }
        text += String(format: "  %.0f/s", rate)
        if done < total, rate > 0 {
            let left = Int((Double(total - done) / rate).rounded(.up))
            text += left >= 60 ? "  \(left / 60) min \(left % 60) s left" : "  \(left) s left"
        } else if done >= total {
            text += String(format: "  done in %.1f s", elapsed)
        }
        return text
    }
}
