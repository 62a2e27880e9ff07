// swift-tools-version: 6.1
// eventsim: a discrete-event performance simulator for event-driven architectures.
// Module layout and dependency direction: docs/decisions/0001-module-layout.md.
import PackageDescription

let package = Package(
    name: "eventsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "eventsim", targets: ["eventsim"]),
        .library(name: "EventPatterns", targets: ["EventPatterns"]),
        .library(name: "TopicFanout", targets: ["TopicFanout"]),
        .library(name: "ChangeStreams", targets: ["ChangeStreams"]),
        .library(name: "SimulationKernel", targets: ["SimulationKernel"]),
        .library(name: "Stochastics", targets: ["Stochastics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(
            name: "Stochastics",
            dependencies: ["CGSL", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(
            name: "SimulationKernel",
            dependencies: [
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "QueueingModels", dependencies: ["Stochastics", "SimulationKernel"]),
        .target(name: "EventPatterns"),
        .target(name: "TopicFanout", dependencies: ["EventPatterns"]),
        .target(name: "CacheHints"),
        .target(
            name: "ChangeStreams",
            dependencies: [
                "CacheHints",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "ArchitectureSpecs",
            dependencies: ["Stochastics", "SimulationKernel", "EventPatterns", "TopicFanout"]
        ),
        .target(
            name: "ArchitectureModels",
            dependencies: [
                "ArchitectureSpecs", "Stochastics", "SimulationKernel", "QueueingModels", "EventPatterns",
                "TopicFanout",
                "ChangeStreams",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "ScenarioLoading",
            dependencies: [
                "ArchitectureSpecs", "Stochastics", "SimulationKernel", "EventPatterns", "TopicFanout",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Reports",
            dependencies: ["ArchitectureModels", "ArchitectureSpecs", "SimulationKernel", "Stochastics"]),
        .executableTarget(
            name: "eventsim",
            dependencies: [
                "Stochastics", "SimulationKernel", "QueueingModels", "EventPatterns", "TopicFanout",
                "ChangeStreams", "ArchitectureSpecs", "ArchitectureModels", "ScenarioLoading", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "StochasticsTests", dependencies: ["Stochastics"]),
        .testTarget(name: "SimulationKernelTests", dependencies: ["SimulationKernel"]),
        .testTarget(
            name: "QueueingModelsTests", dependencies: ["QueueingModels", "Stochastics", "SimulationKernel"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "EventPatternsTests", dependencies: ["EventPatterns"], exclude: ["Fixtures"]),
        .testTarget(name: "TopicFanoutTests", dependencies: ["TopicFanout", "EventPatterns"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ChangeStreamsTests",
            dependencies: ["ChangeStreams", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "ArchitectureModelsTests",
            dependencies: [
                "ArchitectureModels", "ArchitectureSpecs", "EventPatterns", "TopicFanout", "Stochastics", "Reports",
            ]
        ),
        .testTarget(name: "ArchitectureSpecsTests", dependencies: ["ArchitectureSpecs", "Stochastics"]),
        .testTarget(
            name: "ScenarioLoadingTests",
            dependencies: ["ScenarioLoading", "ArchitectureSpecs", "EventPatterns", "Stochastics", "TopicFanout"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "ArchitectureModels", "ArchitectureSpecs", "EventPatterns", "Stochastics"]
        ),
        .testTarget(name: "EventsimCLITests", dependencies: ["eventsim"], exclude: ["Fixtures"]),
    ]
)

// The same language settings on every target (swift-log's habit).
for target in package.targets where target.type != .system && target.name != "CacheHints" {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
