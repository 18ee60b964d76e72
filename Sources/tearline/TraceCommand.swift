import ArgumentParser
import Foundation
import TearlineServer

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Name the member whose fingerprinted copy a leaked text is, with a score.",
        discussion: """
            Names a copy only on conclusive evidence: the chance that some served copy matches as well by accident \
            is at most 1e-6. Exits 0 with a named source copy, 1 when the trace is inconclusive (nobody is named) \
            or the text matches no copy served by this node.
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "On an inconclusive trace, show the best candidate anyway, marked weak (it is not evidence).")
    var showWeak = false

    @Argument(help: "The leaked text, as a file ('-' reads standard input).")
    var file: String

    func run() async throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ValidationError("cannot read \(file): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(file) is not UTF-8 text") }
        let service = try await store.open()
        let result = try await service.reports.traceAll(text: text, showWeak: showWeak)
        try printJSON(result)
        guard result.conclusive, let best = result.best else {
            if result.scored == 0 {
                FileHandle.standardErrorWrite("tearline: inconclusive: no served copy matches this text (\(result.observed) fingerprint slots found); nobody is named\n")
            } else {
                FileHandle.standardErrorWrite(String(format: "tearline: inconclusive: the best match has chance %.1e among the candidates, above the threshold %.0e; nobody is named\n",
                                                     result.chance, result.threshold))
            }
            if let weak = result.best {
                FileHandle.standardErrorWrite(String(format: "tearline: WEAK candidate (not evidence): the copy of %@ served to %@ (%@): %d of %d slots match, chance %.1e\n",
                                                     weak.document, weak.member ?? "?", weak.organization, weak.matches, weak.observed, weak.chance))
            }
            throw ExitCode(1)
        }
        let margin = result.runnerUp.map { String(format: ", next %@ at %.2f", $0.member ?? $0.organization, $0.score) } ?? ""
        FileHandle.standardErrorWrite(String(format: "tearline: conclusive: the copy of %@ served to %@ (%@): %d of %d slots match, score %.2f, chance %.1e%@\n",
                                             best.document, best.member ?? "?", best.organization, best.matches, best.observed, best.score, result.chance, margin))
    }
}
