import Foundation

extension Rig {
    /// Overwrites 64 KiB at the first place `mark` appears in each image (one copy of a file's
    /// data per image), with zeros or random bytes, and syncs the image. Nothing is read back
    /// through the filesystem, so nothing is repaired yet.
    public static func overwriteMarker(_ mark: String, in images: [String], random: Bool = false) throws -> ProcessResult {
        try python("""
            import sys, os
            mark, fill = sys.argv[1].encode(), sys.argv[2]
            for image in sys.argv[3:]:
                with open(image, 'r+b') as f:
                    pos, chunk, base = -1, 1 << 24, 0
                    while True:
                        f.seek(base)
                        data = f.read(chunk + len(mark))
                        if not data: break
                        i = data.find(mark)
                        if i >= 0: pos = base + i; break
                        base += chunk
                    if pos < 0: sys.exit('marker not found in ' + image)
                    f.seek(pos)
                    f.write(os.urandom(65536) if fill == 'random' else b'\\0' * 65536)
                    f.flush(); os.fsync(f.fileno())
                    print(pos)
            """, args: [mark, random ? "random" : "zeros"] + images)
    }
}
