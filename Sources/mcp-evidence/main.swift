import EvidenceKit
print("\(Generator.name) \(Generator.version)")
print(LibraryVersions.all.joined(separator: "\n"))
