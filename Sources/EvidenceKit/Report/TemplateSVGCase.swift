internal import CXML2

/// Restores the camel case of SVG element and attribute names that libxml2's HTML parser lowercases.
///
/// libxml2 lowercases every tag and attribute name, so `viewBox` comes out as `viewbox` and
/// `linearGradient` as `lineargradient`. A browser's HTML parser undoes exactly this (the HTML
/// standard's "adjust SVG attributes" and SVG tag-name tables, used below), but XML tools, SVG
/// extractors and PDF converters do not, so the output uses the SVG spelling inside `<svg>`.
/// Content of `<foreignObject>` is HTML again and is left alone.
enum TemplateSVGCase {
    /// Whether an element's children are SVG: inside `<svg>` and not inside `<foreignObject>`.
    static func childrenAreSVG(elementName: String, elementIsSVG: Bool) -> Bool {
        if elementName == "svg" { return true }
        return elementIsSVG && elementName != "foreignobject" && elementName != "foreignObject"
    }

    /// Renames an SVG element and its attributes to their camel-case spelling where they have one.
    static func restore(_ element: xmlNodePtr) {
        if let name = element.pointee.name, let camel = elementNames[String(cString: name)] {
            xmlNodeSetName(element, camel)
        }
        var attribute = element.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard current.pointee.ns == nil, let name = current.pointee.name,
                  let camel = attributeNames[String(cString: name)]
            else { continue }
            // An attribute node starts like an element node; xmlNodeSetName handles both kinds.
            xmlNodeSetName(UnsafeMutablePointer<xmlNode>(OpaquePointer(current)), camel)
        }
    }

    /// The HTML standard's SVG tag-name adjustments (§13.2.6.5).
    static let elementNames: [String: String] = Dictionary(uniqueKeysWithValues: [
        "altGlyph", "altGlyphDef", "altGlyphItem", "animateColor", "animateMotion", "animateTransform",
        "clipPath", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
        "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
        "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode",
        "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
        "feTurbulence", "foreignObject", "glyphRef", "linearGradient", "radialGradient", "textPath",
    ].map { ($0.lowercased(), $0) })

    /// The HTML standard's "adjust SVG attributes" table (§13.2.6.5).
    static let attributeNames: [String: String] = Dictionary(uniqueKeysWithValues: [
        "attributeName", "attributeType", "baseFrequency", "baseProfile", "calcMode", "clipPathUnits",
        "diffuseConstant", "edgeMode", "filterUnits", "glyphRef", "gradientTransform", "gradientUnits",
        "kernelMatrix", "kernelUnitLength", "keyPoints", "keySplines", "keyTimes", "lengthAdjust",
        "limitingConeAngle", "markerHeight", "markerUnits", "markerWidth", "maskContentUnits", "maskUnits",
        "numOctaves", "pathLength", "patternContentUnits", "patternTransform", "patternUnits", "pointsAtX",
        "pointsAtY", "pointsAtZ", "preserveAlpha", "preserveAspectRatio", "primitiveUnits", "refX", "refY",
        "repeatCount", "repeatDur", "requiredExtensions", "requiredFeatures", "specularConstant",
        "specularExponent", "spreadMethod", "startOffset", "stdDeviation", "stitchTiles", "surfaceScale",
        "systemLanguage", "tableValues", "targetX", "targetY", "textLength", "viewBox", "viewTarget",
        "xChannelSelector", "yChannelSelector", "zoomAndPan",
    ].map { ($0.lowercased(), $0) })
}
