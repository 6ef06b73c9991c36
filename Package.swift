// swift-tools-version:6.2
import PackageDescription

/// Every Yilian target is built in Swift 6 language mode with warnings treated as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "yilian",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "yilian", targets: ["yilian"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // libpq from the system (Debian libpq-dev).
        .systemLibrary(name: "CLibpq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // PostgreSQL client layer on libpq.
        .target(name: "YilianPostgres", dependencies: ["CLibpq"], swiftSettings: strict),
        // JSON values, their text and their coding of Codable values; calendar dates.
        .target(name: "YilianJSON", swiftSettings: strict),
        // Pure domain core: no I/O, no database code.
        .target(name: "YilianCore", dependencies: ["YilianJSON"], swiftSettings: strict),
        // Repository: migrations, embedded cluster, SQL.
        .target(
            name: "YilianRepository",
            dependencies: [
                "YilianCore", "YilianJSON", "YilianPostgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedMigrations"]),
        // Application services: one use case = one transaction.
        .target(
            name: "YilianServices",
            dependencies: ["YilianCore", "YilianJSON", "YilianRepository", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // JSON-RPC 2.0 over stdio.
        .target(
            name: "YilianRPC",
            dependencies: [
                "YilianCore", "YilianJSON", "YilianServices", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The `yilian` command line.
        .target(
            name: "YilianCLI",
            dependencies: [
                "YilianCore", "YilianJSON", "YilianServices", "YilianRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "yilian", dependencies: ["YilianCLI"], swiftSettings: strict),

        // Build tool: carries sql/*.sql inside the binary.
        .executableTarget(name: "embed-migrations", swiftSettings: strict),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["embed-migrations"]),

        // Tests and their PostgreSQL harness.
        .target(
            name: "YilianTestSupport",
            dependencies: ["YilianJSON", "YilianPostgres", "YilianRepository"],
            path: "Tests/YilianTestSupport",
            swiftSettings: strict),
        .testTarget(name: "YilianCoreTests", dependencies: ["YilianCore", "YilianJSON", "YilianTestSupport"], swiftSettings: strict),
        .testTarget(name: "YilianJSONTests", dependencies: ["YilianJSON"], swiftSettings: strict),
        .testTarget(
            name: "YilianPostgresTests",
            dependencies: ["YilianPostgres", "YilianRepository", "YilianTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "YilianRepositoryTests",
            dependencies: ["YilianCore", "YilianJSON", "YilianPostgres", "YilianRepository", "YilianTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "YilianServicesTests",
            dependencies: [
                "YilianJSON", "YilianServices", "YilianRPC", "YilianTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "YilianRPCTests",
            dependencies: ["YilianJSON", "YilianRPC", "YilianServices", "YilianTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "YilianCLITests",
            dependencies: [
                "YilianCLI", "YilianJSON", "YilianPostgres", "YilianRepository", "yilian", "YilianTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
    ]
)
