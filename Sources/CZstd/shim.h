// zstd for receive: decompresses zstd extents of send streams when encoded writes cannot be used.
#include <zstd.h>
