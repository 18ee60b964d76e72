import TearlineCore
import Testing

@Suite struct PortionSetTests {
    @Test(arguments: [0, 1, 2, 63, 64, 65, 127, 128, 129, 191, 192, 193, 254, 255, 256])
    func theFirstNIndexesAreExactlyZeroToN(count: Int) {
        let set = PortionSet(first: count)
        #expect(set == PortionSet(0..<count))
        #expect(set.indexes == Array(0..<count))
        #expect(!set.contains(count), "index \(count) is past the first \(count)")
        #expect(set.isEmpty == (count == 0))
    }
}
