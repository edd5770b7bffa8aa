// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "dus",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dus", targets: ["dus"]),
        .library(name: "DUSCore", targets: ["DUSCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // SHA-256 for the audit trail's hash chain.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // One call that Swift cannot make itself (`sqlite3_config` is variadic); see Store.
        .target(
            name: "CSQLiteSettings",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // The search index's ranking function and word counter, written against FTS5's C
        // interface (function tables that call back); see Sources/CSearchIndex.
        .target(
            name: "CSearchIndex",
            linkerSettings: [.linkedLibrary("sqlite3"), .linkedLibrary("m")]
        ),
        .target(
            name: "DUSCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API, for the two hot loops (import and patterns); see RawStatement.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CCmarkGFM",
                "CSQLiteSettings",
                "CSearchIndex",
            ],
            // The templates of templates/ (linked here) are built in.
            resources: [.embedInCode("Resources/catalogue.json"), .embedInCode("Resources/bulletin.md.mustache"), .embedInCode("Resources/review.md.mustache")]
        ),
        .executableTarget(
            name: "dus",
            dependencies: [
                "DUSCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc (Debian's libjemalloc-dev) takes the place of glibc's malloc for the
            // whole program, SQLite included: an import allocates and frees millions of
            // small blocks on three threads, and takes about 6% less time with it
            // (README, the paragraph "How `dus import` is fast").
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
        .testTarget(
            name: "DUSCoreTests",
            dependencies: ["DUSCore", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DUSEndToEndTests",
            // GRDB, to damage a database file the way another tool might.
            dependencies: ["DUSCore", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Golden"]
        ),
    ]
)
