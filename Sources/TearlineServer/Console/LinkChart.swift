import Foundation

/// A link chart laid out on the server, drawn by the template as SVG (no script): entities as
/// labelled nodes, links as lines labelled with whose holding they go through.
struct LinkChart: Sendable {
    struct Node: Sendable {
        let x: Int
        let y: Int
        let label: String
        let kind: String
        let centre: Bool
        let labelY: Int
    }

    struct Link: Sendable {
        let x1: Int, y1: Int, x2: Int, y2: Int
        let labelX: Int
        let labelY: Int
        let label: String
        /// A link through a holding the reader may not read (a pointer), drawn dashed.
        let pointer: Bool
    }

    let width: Int
    let height: Int
    let nodes: [Node]
    let links: [Link]
    /// What the chart shows, for screen readers (the table beside it says it in full).
    let summary: String

    /// One entity at the centre, the entities seen with it around it; each link labelled.
    static func star(centre: (kind: String, value: String), around: [(kind: String, value: String, label: String)]) -> LinkChart {
        let shown = Array(around.prefix(12))
        let width = 720, height = shown.count <= 4 ? 320 : 440
        let cx = width / 2, cy = height / 2
        let radius = Double(min(width, height)) / 2 - 50
        var nodes = [Node(x: cx, y: cy, label: centre.value, kind: centre.kind, centre: true, labelY: cy + 26)]
        var links: [Link] = []
        for (i, entity) in shown.enumerated() {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(i) / Double(max(shown.count, 1))
            let x = cx + Int((radius * cos(angle)).rounded()), y = cy + Int((radius * sin(angle)).rounded())
            nodes.append(Node(x: x, y: y, label: entity.value, kind: entity.kind, centre: false, labelY: y + 24))
            links.append(Link(x1: cx, y1: cy, x2: x, y2: y, labelX: (cx + x) / 2, labelY: (cy + y) / 2 - 4, label: entity.label, pointer: false))
        }
        return LinkChart(width: width, height: height, nodes: nodes, links: links,
                         summary: "\(centre.value) and \(shown.count) entities seen with it")
    }

    /// Chains between two entities, one row each, left to right; each link labelled with its holder.
    static func chains(_ chains: [[ChainLinkView]]) -> LinkChart {
        let shown = Array(chains.prefix(6))
        let longest = max(shown.map(\.count).max() ?? 1, 1)
        let step = max(160, 640 / longest)
        let width = 80 + step * longest + 80, rowHeight = 110
        let height = max(rowHeight * shown.count + 20, 140)
        var nodes: [Node] = []
        var links: [Link] = []
        for (row, chain) in shown.enumerated() {
            let y = 50 + row * rowHeight
            guard let first = chain.first else { continue }
            nodes.append(Node(x: 80, y: y, label: first.from.value, kind: first.from.kind, centre: true, labelY: y + 26))
            for (i, link) in chain.enumerated() {
                let x1 = 80 + step * i, x2 = 80 + step * (i + 1)
                nodes.append(Node(x: x2, y: y, label: link.to.value, kind: link.to.kind, centre: i == chain.count - 1, labelY: y + 26))
                let holder = link.holder ?? link.pointer?.holder ?? "?"
                let label = link.via == "pointer" ? "\(holder) holds (pointer)" : "\(link.documentKind ?? "document") of \(holder)"
                links.append(Link(x1: x1, y1: y, x2: x2, y2: y, labelX: (x1 + x2) / 2, labelY: y - 10, label: label, pointer: link.via == "pointer"))
            }
        }
        return LinkChart(width: width, height: height, nodes: nodes, links: links, summary: "\(shown.count) chain(s)")
    }
}
