import ChatAPI
import Foundation

/// One measured figure next to its budget: the median of its samples, their spread, and where
/// it applies the best the machine can do in the same run.
struct Figure: Codable {
    var name: String
    var value: Double
    var unit: String
    var budget: String
    /// nil where the issue asks only for a report.
    var meets: Bool?
    /// The smallest and largest sample, where the figure is a median of several.
    var low: Double?
    var high: Double?
    /// The limit measured in the same run, in words with its figure (e.g. the raw C API's rate).
    var limit: String?
    /// True when every sample meets the budget, false when none does, nil when they differ
    /// (or there are no samples): a wide spread on the same side of the budget is still a verdict.
    var everySample: Bool?

    init(name: String, value: Double, unit: String, budget: String, meets: Bool?, low: Double? = nil, high: Double? = nil, limit: String? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.budget = budget
        self.meets = meets
        self.low = low
        self.high = high
        self.limit = limit
    }

    /// The median of `samples` with their spread; `meets` judges the median.
    init(name: String, samples: [Double], unit: String, budget: String, limit: String? = nil, meets: ((Double) -> Bool)?) {
        let value = median(samples)
        self.init(name: name, value: value, unit: unit, budget: budget, meets: meets.map { $0(value) }, low: samples.min(), high: samples.max(), limit: limit)
        if let meets, !samples.isEmpty {
            let met = samples.filter(meets).count
            everySample = met == samples.count ? true : met == 0 ? false : nil
        }
    }

    /// Spread past this share of the median makes a figure noisy: neither ok nor missed.
    static let noisySpread = 0.25

    var isNoisy: Bool {
        guard let low, let high, value.isFinite, value != 0 else { return false }
        return (high - low) / abs(value) > Self.noisySpread
    }

    var verdict: String {
        guard let meets else { return "" }
        if isNoisy {
            // Spread wide, but every sample on one side of the budget (and the verdict agrees).
            if everySample == true, meets { return "ok" }
            if everySample == false, !meets { return "MISSED" }
            return "noisy"
        }
        return meets ? "ok" : "MISSED"
    }
}

enum Report {
    static func print(_ figures: [Figure]) {
        let line = String(repeating: "-", count: 132)
        Swift.print(line)
        for figure in figures {
            let name = figure.name.padding(toLength: 70, withPad: " ", startingAt: 0)
            let spread = figure.low.flatMap { low in figure.high.map { String(format: "(%@–%@)", number(low), number($0)) } } ?? ""
            Swift.print("\(name) \(number(figure.value).leftPadded(11)) \(spread.padding(toLength: 21, withPad: " ", startingAt: 0)) "
                + "\(figure.unit.padding(toLength: 11, withPad: " ", startingAt: 0)) "
                + "\(figure.budget.padding(toLength: 12, withPad: " ", startingAt: 0)) \(figure.verdict)")
            if let limit = figure.limit { Swift.print("    limit in the same run: \(limit)") }
        }
        Swift.print(line)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let json = try? encoder.encode(figures) { Swift.print(String(decoding: json, as: UTF8.self)) }
    }

    /// Three significant digits or so: 0.123, 12.3, 1234.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        switch abs(value) {
        case 1000...: return String(format: "%.0f", value)
        case 10..<1000: return String(format: "%.1f", value)
        default: return String(format: "%.3f", value)
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
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

func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

extension Duration {
    var seconds: Double { inSeconds }
    var milliseconds: Double { inSeconds * 1000 }
}
