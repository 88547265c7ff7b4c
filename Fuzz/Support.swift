// Linked into every fuzz target (scripts/fuzz/build.sh): libFuzzer's entry point and a reader that
// takes the choices a target makes off the front of its input. A target file defines only
// `fuzzOne(_:)`; see Docs/FUZZING.md.

/// libFuzzer calls this once per input; the target must neither trap nor leak across calls.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data.map { UnsafeRawPointer($0) }, count: data == nil ? 0 : size)
    fuzzOne(FuzzInput(bytes))
    return 0
}

/// The input as a stream: fixed-width choices first, the rest as the payload. Reading past the end
/// gives zeros, so every input, however short, is a case.
struct FuzzInput {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u64() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, shift in value | UInt64(byte()) << (8 * UInt64(shift)) }
    }

    /// What is left after the choices.
    var rest: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[min(offset, bytes.count)...])
    }
}
