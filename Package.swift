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
        .target(name: "Btrfs", dependencies: ["CBtrfs"]),
        .executableTarget(name: "sbtrfs", dependencies: ["Btrfs"]),
        // The loop-device rig: real btrfs filesystems for the tests, never shipped.
        .target(name: "TestRig", path: "Tests/TestRig"),
        .testTarget(name: "BtrfsTests", dependencies: ["Btrfs", "CBtrfs", "TestRig"]),
        .testTarget(name: "sbtrfsTests", dependencies: ["sbtrfs", "Btrfs", "TestRig"]),
    ]
)
