// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sbtrfs",
    products: [
        .library(name: "Btrfs", targets: ["Btrfs"]),
        .executable(name: "sbtrfs", targets: ["sbtrfs"]),
    ],
    targets: [
        .systemLibrary(
            name: "CBtrfs",
            pkgConfig: "libbtrfsutil",
            providers: [.apt(["libbtrfsutil-dev"])]
        ),
        // zlib's deflate and crc32 for the heatmap's PNG files.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // zstd and lzo for receive, which decompresses send streams' encoded extents when it must.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLzo", pkgConfig: "lzo2", providers: [.apt(["liblzo2-dev"])]),
        // libblkid: what a device holds before it is added or becomes a replace target.
        .systemLibrary(
            name: "CBlkid",
            pkgConfig: "blkid",
            providers: [.apt(["libblkid-dev"])]
        ),
        .target(name: "Btrfs", dependencies: ["CBtrfs", "CZlib", "CZstd", "CLzo", "CBlkid"]),
        // argv from the C entry point, and a start-up that needs no /proc (Sources/CStartup/startup.c).
        // DWARF 4 like the Swift objects: valgrind 3.19 (`make startup-order`) rejects clang's DWARF 5.
        .target(name: "CStartup", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .executableTarget(name: "sbtrfs", dependencies: ["Btrfs", "CStartup"]),
        // The loop-device rig: real btrfs filesystems for the tests, never shipped.
        .target(name: "TestRig", dependencies: ["CBtrfs"], path: "Tests/TestRig"),
        .testTarget(name: "BtrfsTests", dependencies: ["Btrfs", "CBtrfs", "TestRig"]),
        .testTarget(name: "sbtrfsTests", dependencies: ["sbtrfs", "Btrfs", "TestRig"]),
    ]
)
