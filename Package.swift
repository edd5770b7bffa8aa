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
        // `dus serve`: the HTTP server.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own: header names, and its logger, set quieter.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // bcrypt, for the passwords of dus serve's users.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
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
        // `dus serve`: the workbench in a browser, over DUSCore (Sources/DUSWeb). Its
        // templates and style sheet (linked from templates/web) are built in.
        .target(
            name: "DUSWeb",
            dependencies: [
                "DUSCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [
                .embedInCode("Resources/action.mustache"),
                .embedInCode("Resources/actions.mustache"),
                .embedInCode("Resources/dashboard.mustache"),
                .embedInCode("Resources/filters.mustache"),
                .embedInCode("Resources/footer.mustache"),
                .embedInCode("Resources/header.mustache"),
                .embedInCode("Resources/pager.mustache"),
                .embedInCode("Resources/patterns.mustache"),
                .embedInCode("Resources/plans.mustache"),
                .embedInCode("Resources/bulletins.mustache"),
                .embedInCode("Resources/problem.mustache"),
                .embedInCode("Resources/review.mustache"),
                .embedInCode("Resources/reviews.mustache"),
                .embedInCode("Resources/search.mustache"),
                .embedInCode("Resources/sign-in.mustache"),
                .embedInCode("Resources/style.css"),
            ]
        ),
        .executableTarget(
            name: "dus",
            dependencies: [
                "DUSCore",
                "DUSWeb",
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
            exclude: ["Golden", "Browser"]
        ),
    ]
)
