import Testing
@testable import TearlineCore

/// Interned identifier sets: the bitmap for the first 256 identifiers, the overflow lists past them.
@Suite struct TagSetTests {
    /// Names that are certain to be interned past the bitmap.
    static let overflowNames: [String] = {
        (0..<300).forEach { _ = TagTable.shared.id("TAGSET-FILL-\($0)") }
        return (0..<6).map { "TAGSET-LATE-\($0)" }
    }()

    @Test func bitmapSubsetAndIntersection() {
        let ab: TagSet = ["TAG-A", "TAG-B"]
        let abc: TagSet = ["TAG-A", "TAG-B", "TAG-C"]
        let c: TagSet = ["TAG-C"]
        #expect(ab.isSubset(of: abc))
        #expect(!abc.isSubset(of: ab))
        #expect(ab.intersects(abc))
        #expect(!ab.intersects(c))
        #expect(TagSet().isSubset(of: c) && TagSet().isEmpty && !TagSet().intersects(abc))
        #expect(abc.contains(id: TagTable.shared.id("TAG-C")) && !ab.contains(id: TagTable.shared.id("TAG-C")))
    }

    @Test func overflowSetsAreExact() {
        let late = Self.overflowNames
        #expect(TagTable.shared.id(late[0]) >= 256)
        let small = TagSet([late[0], late[1]])
        let large = TagSet([late[0], late[1], late[2], "TAG-A"])
        let other = TagSet([late[3]])
        #expect(small.isSubset(of: large))
        #expect(!large.isSubset(of: small))
        #expect(small.intersects(large))
        #expect(!small.intersects(other))
        #expect(!small.isSubset(of: ["TAG-A"]))
        #expect(large.contains(id: TagTable.shared.id(late[2])))
        #expect(!small.contains(id: TagTable.shared.id(late[2])))
        #expect(TagSet([late[1], late[0]]) == small, "equal sets intern to the same handle")
    }

    @Test func markingLabelFollowsEveryChange() throws {
        var marking = try Marking.parse("(S//REL TO USA, GBR)")
        #expect(marking.label.restrictsRelease && marking.label.relTo.contains(id: TagTable.shared.id("GBR")))
        marking.relTo = ["USA"]
        #expect(!marking.label.relTo.contains(id: TagTable.shared.id("GBR")))
        marking.classification = .topSecret
        #expect(marking.label.classification == .topSecret)
        marking.compartments = ["HCS"]
        #expect(marking.label.compartments == ["HCS"])
        marking.noforn = true
        marking.relTo = nil
        #expect(marking.label.noforn)
        marking.orcon = true
        marking.tlp = .red
        #expect(marking.label.orcon && marking.label.tlpRed)
        #expect(try marking.label == Marking.parse(marking.portionMark).label)
    }
}
