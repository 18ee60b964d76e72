import Foundation
@testable import TearlineServer
import Testing

/// The link charts the console draws on the server: every node inside the drawing, each link
/// labelled, and no more than the chart can show.
@Suite struct LinkChartTests {
    @Test func aStarPlacesEveryEntityInsideTheDrawing() {
        let around = (0..<20).map { (kind: "person", value: "p\($0)", label: "\($0) documents") }
        let chart = LinkChart.star(centre: ("phone", "+442079460958"), around: around)
        #expect(chart.nodes.count == 13, "the centre and at most 12 around it")
        #expect(chart.links.count == 12)
        #expect(chart.nodes.first?.centre == true)
        for node in chart.nodes {
            #expect((0...chart.width).contains(node.x) && (0...chart.height).contains(node.y), "\(node.label) at \(node.x),\(node.y)")
        }
        #expect(chart.links.map(\.label) == (0..<12).map { "\($0) documents" })
        #expect(Set(chart.nodes.map { "\($0.x),\($0.y)" }).count == chart.nodes.count, "no two nodes on one spot")
    }

    @Test func chainsShowWhoseHoldingEachLinkGoesThrough() {
        let a = EntityRef(kind: "person", value: "a"), b = EntityRef(kind: "phone", value: "b"), c = EntityRef(kind: "location", value: "c")
        let chain = [
            ChainLinkView(from: a, to: b, via: "document", documentKind: "release", documentId: "rel_1", holder: "GBR"),
            ChainLinkView(from: b, to: c, via: "pointer", pointer: PointerView(holder: "DEU", count: 1, handle: "h"), holder: "DEU"),
        ]
        let chart = LinkChart.chains(Array(repeating: chain, count: 9))
        #expect(chart.links.count == 12, "at most 6 chains are drawn")
        #expect(chart.links[0].label == "release of GBR" && !chart.links[0].pointer)
        #expect(chart.links[1].label == "DEU holds (pointer)" && chart.links[1].pointer, "a pointer is drawn apart")
        #expect(chart.nodes.allSatisfy { (0...chart.width).contains($0.x) && (0...chart.height).contains($0.y) })
    }
}
