@testable import TearlineCore
import Testing

/// The interned tag table is bounded; a name past the bound matches nothing, so decisions about
/// it fail closed.
@Suite struct TagTableBoundTests {
    @Test func aFullTableGivesNewNamesTheUnmatchedIdAndKeepsOldOnes() {
        let table = TagTable(capacity: 2, overflowCapacity: 2)
        let a = table.id("a"), b = table.id("b")
        #expect(a != b && a != TagTable.unmatched && b != TagTable.unmatched)
        #expect(table.id("c") == TagTable.unmatched, "a third name does not fit")
        #expect(table.id("d") == TagTable.unmatched)
        #expect(table.id("a") == a && table.id("b") == b, "names already interned keep their ids")
        #expect(table.count == 2)
        #expect(table.overflowHandle([300]) != nil)
        #expect(table.overflowHandle([301]) == nil, "the table of overflow lists is bounded too")
        #expect(table.overflowHandle([]) == 0, "the empty list is always there")
    }

    @Test func aSetHoldingAnUnmatchedNameFailsClosed() {
        var required = TagSet(["HCS"])
        required.unmatched = true
        let held = TagSet(["HCS", "SI"])
        #expect(!required.isSubset(of: held), "a marking needing an unknown compartment is out of reach")
        #expect(!required.isSubset(of: required), "not even a set with the same unknown name holds it")
        #expect(!required.isEmpty)
        #expect(!held.contains(id: TagTable.unmatched), "the unmatched id is in no set")
        var grantee = TagSet(["HCS"])
        grantee.unmatched = true
        #expect(TagSet(["HCS"]).isSubset(of: grantee), "an unknown name held grants nothing, and takes nothing away")
        var topics = TagSet()
        topics.unmatched = true
        #expect(!topics.intersects(topics), "unknown topics share nothing")
    }
}
