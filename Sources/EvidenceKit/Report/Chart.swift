/// A chart drawn by the tool as plain geometry (rectangles, lines and text), which the report
/// templates turn into inline SVG with `data-each`: no JavaScript, no fonts, no network.
///
/// Coordinates are formatted to one decimal as strings, so the bundle stays byte-identical.
struct Chart {
    struct Bar { var x, y, width, height: Double; var cssClass: String; var title: String }
    struct Line { var x1, y1, x2, y2: Double; var cssClass: String }
    struct Label { var x, y: Double; var text: String; var anchor: String; var cssClass: String }

    var title: String
    var width: Double
    var height: Double
    var bars: [Bar] = []
    var lines: [Line] = []
    var labels: [Label] = []
    /// Legend entries: css class and text.
    var legend: [(cssClass: String, text: String)] = []

    static func number(_ value: Double) -> TemplateValue {
        let rounded = (value * 10).rounded() / 10
        return .string(rounded == rounded.rounded() ? String(Int64(rounded)) : String(format: "%.1f", rounded))
    }

    var model: TemplateValue {
        .object([
            "title": .string(title),
            "view_box": .string("0 0 \(Int(width)) \(Int(height))"),
            "width": Self.number(width),
            "height": Self.number(height),
            "bars": .array(bars.map { bar in
                .object(["x": Self.number(bar.x), "y": Self.number(bar.y), "width": Self.number(bar.width),
                         "height": Self.number(bar.height), "class": .string(bar.cssClass), "title": .string(bar.title)])
            }),
            "lines": .array(lines.map { line in
                .object(["x1": Self.number(line.x1), "y1": Self.number(line.y1), "x2": Self.number(line.x2),
                         "y2": Self.number(line.y2), "class": .string(line.cssClass)])
            }),
            "labels": .array(labels.map { label in
                .object(["x": Self.number(label.x), "y": Self.number(label.y), "text": .string(label.text),
                         "anchor": .string(label.anchor), "class": .string(label.cssClass)])
            }),
            "legend": .array(legend.map { .object(["class": .string($0.cssClass), "text": .string($0.text)]) }),
        ])
    }

    /// A round axis maximum at or above `value`: 1, 2 or 5 times a power of ten.
    static func niceMaximum(_ value: Int) -> Int {
        guard value > 0 else { return 1 }
        var power = 1
        while power * 10 <= value { power *= 10 }
        for step in [1, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    /// Vertical stacked bars, one column per entry, each with segments bottom-up.
    static func stackedColumns(title: String, columns: [(label: String, segments: [(value: Int, cssClass: String, title: String)])],
                               tickLabels: [Int: String], legend: [(String, String)], width: Double = 720, height: Double = 220) -> Chart {
        var chart = Chart(title: title, width: width, height: height)
        chart.legend = legend
        let left = 44.0, right = 8.0, top = 10.0, bottom = 26.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = niceMaximum(columns.map { $0.segments.reduce(0) { $0 + $1.value } }.max() ?? 0)
        for step in 0...4 {
            let value = maximum * step / 4
            let y = top + plotHeight - plotHeight * Double(value) / Double(maximum)
            chart.lines.append(Line(x1: left, y1: y, x2: width - right, y2: y, cssClass: step == 0 ? "axis" : "grid"))
            chart.labels.append(Label(x: left - 6, y: y + 4, text: String(value), anchor: "end", cssClass: "tick"))
        }
        let slot = plotWidth / Double(max(columns.count, 1))
        for (index, column) in columns.enumerated() {
            var base = top + plotHeight
            let x = left + Double(index) * slot + slot * 0.1
            for segment in column.segments where segment.value > 0 {
                let h = plotHeight * Double(segment.value) / Double(maximum)
                base -= h
                chart.bars.append(Bar(x: x, y: base, width: slot * 0.8, height: h, cssClass: segment.cssClass, title: segment.title))
            }
            if let tick = tickLabels[index] {
                chart.labels.append(Label(x: x, y: height - 8, text: tick, anchor: "start", cssClass: "tick"))
            }
        }
        return chart
    }

    /// Horizontal bars with a label on the left, for counts by category; `labelWidth` is the room left of the bars.
    static func horizontalBars(title: String, rows: [(label: String, value: Int, cssClass: String)], width: Double = 720,
                               labelWidth: Double = 150) -> Chart {
        let rowHeight = 22.0, left = labelWidth, right = 60.0, top = 6.0
        let height = top * 2 + rowHeight * Double(max(rows.count, 1))
        var chart = Chart(title: title, width: width, height: height)
        let maximum = max(rows.map(\.value).max() ?? 0, 1)
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let w = (width - left - right) * Double(row.value) / Double(maximum)
            chart.labels.append(Label(x: left - 8, y: y + 15, text: row.label, anchor: "end", cssClass: "tick"))
            chart.bars.append(Bar(x: left, y: y + 3, width: max(w, row.value > 0 ? 1 : 0), height: rowHeight - 6, cssClass: row.cssClass, title: "\(row.label): \(row.value)"))
            chart.labels.append(Label(x: left + w + 6, y: y + 15, text: String(row.value), anchor: "start", cssClass: "value"))
        }
        chart.lines.append(Line(x1: left, y1: top, x2: left, y2: height - top, cssClass: "axis"))
        return chart
    }
}
