import Testing
import TearlineCore

@Suite struct AccessWindowTests {
    let limits = ThrottleLimits(distinctReads: 3, searchResults: 10, exports: 2, deniedReads: 2, window: 1000)

    @Test func distinctReadsAreCountedAndTheOneThatCrossesIsRefused() {
        var w = AccessWindow()
        #expect(w.admitRead("a", at: 0, limits: limits) == nil)
        #expect(w.admitRead("b", at: 1, limits: limits) == nil)
        #expect(w.admitRead("c", at: 2, limits: limits) == nil)
        #expect(w.admitRead("d", at: 3, limits: limits) == .distinctReads)
        #expect(w.admitRead("d", at: 4, limits: limits) == .distinctReads, "a refused read is not recorded, and stays refused")
        #expect(w.admitRead("a", at: 5, limits: limits) == nil, "reading again what was read in the window is free")
        #expect(w.distinctReads(at: 5, limits: limits) == 3)
    }

    @Test func readsLeaveTheWindowAfterItsLength() {
        var w = AccessWindow()
        for (i, doc) in ["a", "b", "c"].enumerated() { #expect(w.admitRead(doc, at: Int64(i), limits: limits) == nil) }
        #expect(w.admitRead("d", at: 999, limits: limits) == .distinctReads, "a is still inside at 999 (the window is (now-1000, now])")
        #expect(w.admitRead("d", at: 1000, limits: limits) == nil, "a left the window")
        #expect(w.admitRead("e", at: 1000, limits: limits) == .distinctReads, "b, c and d are inside")
    }

    @Test func aReReadRenewsTheDocumentsPlaceInTheWindow() {
        var w = AccessWindow()
        #expect(w.admitRead("a", at: 0, limits: limits) == nil)
        #expect(w.admitRead("b", at: 0, limits: limits) == nil)
        #expect(w.admitRead("c", at: 0, limits: limits) == nil)
        #expect(w.admitRead("a", at: 900, limits: limits) == nil)
        #expect(w.admitRead("d", at: 1100, limits: limits) == nil, "b and c expired")
        #expect(w.admitRead("e", at: 1100, limits: limits) == nil)
        #expect(w.admitRead("f", at: 1100, limits: limits) == .distinctReads, "a, d, e are inside")
    }

    @Test func resultsAreSummedAndABatchThatWouldCrossIsRefusedWhole() {
        var w = AccessWindow()
        #expect(w.admitResults(6, at: 0, limits: limits) == nil)
        #expect(w.admitResults(5, at: 1, limits: limits) == .searchResults)
        #expect(w.admitResults(4, at: 2, limits: limits) == nil, "the refused batch was not counted")
        #expect(w.admitResults(1, at: 3, limits: limits) == .searchResults)
        #expect(w.admitResults(6, at: 1001, limits: limits) == nil, "the first batch left the window")
    }

    @Test func exportsAndDenialsHaveTheirOwnLimits() {
        var w = AccessWindow()
        #expect(w.admitExport(at: 0, limits: limits) == nil)
        #expect(w.admitExport(at: 1, limits: limits) == nil)
        #expect(w.admitExport(at: 2, limits: limits) == .exports)
        #expect(w.recordDenial(at: 0, limits: limits) == nil)
        #expect(w.recordDenial(at: 1, limits: limits) == nil)
        #expect(w.recordDenial(at: 2, limits: limits) == .deniedReads)
        #expect(w.admitRead("a", at: 3, limits: limits) == nil, "reads are counted apart")
        #expect(w.recordDenial(at: 1001, limits: limits) == nil, "denials leave the window too")
    }

    @Test func everyKindNamesItsLimit() {
        #expect(ThrottleKind.allCases.map { limits.limit($0) } == [3, 10, 2, 2])
        #expect(ThrottleKind.allCases.map(\.rawValue) == ["distinct-reads", "search-results", "exports", "denied-reads"])
    }
}
