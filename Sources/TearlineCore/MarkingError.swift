/// Why a marking string was refused. Each case names the offending part; a marking is never guessed.
public struct MarkingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The part of the input that is wrong, exactly as written.
    public let part: String
    /// What is wrong with it.
    public let problem: String

    public init(part: String, problem: String) {
        self.part = part
        self.problem = problem
    }

    public var description: String { "invalid marking: \"\(part)\": \(problem)" }
}
