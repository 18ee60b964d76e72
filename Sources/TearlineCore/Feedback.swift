/// A recipient's later judgement of a release it received.
///
/// why: DESIGN.md, Feedback — a recipient values what it gets only when it can judge how
/// accurate it is; verdicts build each originator's ``TrackRecord``. The raw values are the
/// stable API codes.
public enum FeedbackVerdict: String, Sendable, Hashable, CaseIterable, Codable {
    /// Later events bore the release out.
    case confirmed
    /// Some of the release was borne out, some was not.
    case partlyConfirmed = "partly-confirmed"
    /// Later events showed the release to be wrong.
    case refuted
    /// The recipient cannot tell; the verdict says nothing about accuracy.
    case cannotJudge = "cannot-judge"
}
