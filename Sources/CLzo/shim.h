// lzo for receive: decompresses lzo extents of send streams when encoded writes cannot be used.
#include <lzo/lzo1x.h>
