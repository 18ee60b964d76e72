import PropertyBased
import Testing
import TearlineCore

@Suite("Sorted string sets and portion sets")
struct SortedStringsTests {
    private static let pool = ["A", "AB", "B", "GBR", "USA", "USA-FBI", "Z"]
    private static let subsets = Gen.int(in: 0...((1 << pool.count) - 1)).map { mask in
        pool.indices.filter { mask & (1 << $0) != 0 }.map { pool[$0] }
    }

    @Test func makeSortsAndRemovesDuplicates() {
        #expect(SortedStrings.make(["USA", "GBR", "USA", "DEU"]) == ["DEU", "GBR", "USA"])
    }

    @Test func examples() {
        #expect(SortedStrings.isSubset([], of: []))
        #expect(SortedStrings.isSubset(["GBR"], of: ["GBR", "USA"]))
        #expect(!SortedStrings.isSubset(["DEU", "GBR"], of: ["GBR", "USA"]))
        #expect(!SortedStrings.intersects([], ["USA"]))
        #expect(SortedStrings.intersects(["A", "USA"], ["B", "USA"]))
        #expect(SortedStrings.contains(["GBR", "USA"], "USA"))
        #expect(!SortedStrings.contains(["GBR", "USA"], "US"))
        #expect(SortedStrings.intersection(["A", "GBR", "USA"], ["GBR", "USA", "Z"]) == ["GBR", "USA"])
    }

    @Test func agreesWithSetSemantics() async {
        await propertyCheck(count: 300, input: Self.subsets, Self.subsets, Gen.int(in: 0...(Self.pool.count - 1))) { a, b, i in
            let setA = Set(a), setB = Set(b)
            #expect(SortedStrings.isSubset(a, of: b) == setA.isSubset(of: setB))
            #expect(SortedStrings.intersects(a, b) == !setA.isDisjoint(with: setB))
            #expect(SortedStrings.contains(a, Self.pool[i]) == setA.contains(Self.pool[i]))
            #expect(SortedStrings.intersection(a, b) == setA.intersection(setB).sorted())
        }
    }

    @Test func portionSetHoldsExactlyWhatWasInserted() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...(PortionSet.capacity - 1)).array(of: 0...20)) { indexes in
            let set = PortionSet(indexes)
            #expect(set.indexes == Array(Set(indexes)).sorted())
            #expect(set.isEmpty == indexes.isEmpty)
            for index in 0..<PortionSet.capacity { #expect(set.contains(index) == indexes.contains(index)) }
            #expect(set == PortionSet(indexes.reversed()))
        }
    }

    @Test func portionSetRefusesOutOfRangeLookups() {
        let set = PortionSet([0, 255])
        #expect(!set.contains(-1))
        #expect(!set.contains(256))
        #expect(set.contains(255))
        #expect(Report.titleIndex == 255)
        #expect(Report.maxPortions == 255)
    }
}
