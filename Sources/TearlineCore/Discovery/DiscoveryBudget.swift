/// How many OPRF evaluations a partner's node may have a day, and when the holder's security
/// members hear of it.
///
/// why: the values discovery serves are often low in entropy (a phone number, an IPv4 address).
/// Each evaluation lets the partner test one guess against the set, so the number of evaluations
/// is the price of a dictionary attack; it is capped, audited, and alerted.
public struct DiscoveryBudget: Sendable, Hashable {
    /// Evaluations per window.
    public var perDay: Int
    /// An alert goes to the holder's security members when a window's count reaches this.
    public var alertAt: Int

    public init(perDay: Int, alertAt: Int) {
        self.perDay = perDay
        self.alertAt = alertAt
    }

    public static let standard = DiscoveryBudget(perDay: 10_000, alertAt: 8_000)
}

/// A partner's use of its budget: the window it is in and what it spent there.
public struct DiscoveryBudgetState: Sendable, Hashable {
    /// When the current window began (ms); it lasts ``DiscoveryBudgetRule/window``.
    public var windowStart: Int64
    public var used: Int
    /// 0: no alert yet in this window; 1: the threshold was alerted; 2: exhaustion was alerted too.
    public var alerted: Int

    public init(windowStart: Int64 = 0, used: Int = 0, alerted: Int = 0) {
        self.windowStart = windowStart
        self.used = used
        self.alerted = alerted
    }
}

public enum DiscoveryBudgetRule {
    /// A window is a day; a new one begins with the first evaluation after the last one ended.
    public static let window: Int64 = 24 * 3600 * 1000

    public enum Alert: Sendable, Hashable {
        case threshold, exhausted
    }

    public struct Outcome: Sendable, Hashable {
        /// Whether the evaluations may be made (all of them; a request is never half served).
        public var allowed: Bool
        public var state: DiscoveryBudgetState
        /// An alert to raise now, at most one of each kind per window.
        public var alert: Alert?
        /// What is left in the window after this request.
        public var remaining: Int
    }

    /// Charges `count` evaluations at `now`. A request that would go past the budget is refused
    /// whole and charges nothing.
    public static func charge(_ count: Int, state: DiscoveryBudgetState, budget: DiscoveryBudget, now: Int64) -> Outcome {
        var state = state
        if now >= state.windowStart + window || now < state.windowStart {
            state = DiscoveryBudgetState(windowStart: now, used: 0, alerted: 0)
        }
        guard count >= 0, state.used + count <= budget.perDay else {
            let alert: Alert? = state.alerted < 2 ? .exhausted : nil
            if alert != nil { state.alerted = 2 }
            return Outcome(allowed: false, state: state, alert: alert, remaining: max(0, budget.perDay - state.used))
        }
        state.used += count
        var alert: Alert?
        if state.alerted == 0, state.used >= budget.alertAt {
            alert = .threshold
            state.alerted = 1
        }
        return Outcome(allowed: true, state: state, alert: alert, remaining: budget.perDay - state.used)
    }
}
