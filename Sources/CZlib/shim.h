// zlib for the heatmap's PNG encoder (deflate and crc32); the release build links libz.a.
#include <zlib.h>

// deflateInit is a macro Swift cannot import.
static inline int sb_deflate_init(z_streamp stream, int level) {
    return deflateInit(stream, level);
}

// inflateInit is a macro too (receive decompresses zlib extents of send streams).
static inline int sb_inflate_init(z_streamp stream) {
    return inflateInit(stream);
}
