import ChatAPI
import Foundation

/// One measured figure next to its budget.
struct Figure: Codable {
    var name: String
    var value: Double
    var unit: String
    var budget: String
    /// nil where the issue asks only for a report.
    var meets: Bool?
}

enum Report {
    static func print(_ figures: [Figure]) {
        let line = String(repeating: "-", count: 110)
        Swift.print(line)
        for figure in figures {
            let name = figure.name.padding(toLength: 70, withPad: " ", startingAt: 0)
            let verdict = figure.meets.map { $0 ? "ok" : "MISSED" } ?? ""
            Swift.print("\(name) \(String(format: "%11.3f", figure.value)) \(figure.unit.padding(toLength: 11, withPad: " ", startingAt: 0)) "
                + "\(figure.budget.padding(toLength: 12, withPad: " ", startingAt: 0)) \(verdict)")
        }
        Swift.print(line)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let json = try? encoder.encode(figures) { Swift.print(String(decoding: json, as: UTF8.self)) }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func percentile(_ samples: [Duration], _ p: Double) -> Duration {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

extension Duration {
    var seconds: Double { inSeconds }
    var milliseconds: Double { inSeconds * 1000 }
}
