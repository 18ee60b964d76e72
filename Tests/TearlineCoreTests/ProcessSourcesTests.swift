import Testing
import TearlineCore

/// A repeatable source for tests: counts up from a seed.
struct CountingRandom: RandomSource {
    let seed: UInt8
    func bytes(_ count: Int) -> [UInt8] { (0..<count).map { seed &+ UInt8(truncatingIfNeeded: $0) } }
}

@Suite("Clock, randomness and identifiers")
struct ProcessSourcesTests {
    @Test func identifiersComeFromTheRandomSource() {
        let ids = IdentifierSource(random: CountingRandom(seed: 0))
        #expect(ids.make("rpt") == "rpt_000102030405060708090a0b0c0d0e0f")
        #expect(ids.make("rpt") == ids.make("rpt"), "an injected source makes them repeatable")
    }

    @Test func theSystemSourceDoesNotRepeat() {
        let ids = IdentifierSource()
        #expect(ids.make("rel") != ids.make("rel"))
        #expect(SystemRandom().bytes(32).count == 32)
    }

    @Test func anInjectedClockIsTheTime() {
        #expect(FunctionTime { 1_800_000_000_000 }.nowMilliseconds() == 1_800_000_000_000)
        #expect(SystemTime().nowMilliseconds() > 1_700_000_000_000)
    }
}
