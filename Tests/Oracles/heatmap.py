#!/usr/bin/python3
# btrfs-heatmap 9 as an oracle, loaded as a module from /usr/bin/btrfs-heatmap and run in one
# process for many cases. Run by /usr/bin/python3 (python-btrfs 13).
# usage:
#   heatmap.py curves MAXORDER            -> one line per curve and order: the y*width+x of each step
#   heatmap.py choose                     -> stdin lines "order size total granularity" (order/size '-' = None),
#                                            out "order size" or "error <message>"
#   heatmap.py grid                       -> stdin JSON {order,size,total,curve,fills:[[first,len,used,[r,g,b]]]},
#                                            out the hex of the picture's rows (unscaled)
#   heatmap.py draw DIR ARGS...           -> each ARGS is one case (words split on spaces), run as
#                                            btrfs-heatmap ARGS -o DIR/<n>.png; stdout to DIR/<n>.txt,
#                                            "Error: ..." to DIR/<n>.err
#   heatmap.py pixels PNG...              -> per file: "width height sha256-of-decoded-rgb" (no PIL: zlib)
#   heatmap.py histogram PNG              -> JSON {"#rrggbb": count} of the decoded picture
import contextlib
import hashlib
import importlib.machinery
import importlib.util
import io
import json
import os
import struct
import sys
import zlib

import btrfs.ctree

# python-btrfs 13 renamed key_type_str; btrfs-heatmap 9 still calls it for -v in a block group.
if not hasattr(btrfs.ctree, 'key_type_str'):
    btrfs.ctree.key_type_str = btrfs.ctree._key_type_str

loader = importlib.machinery.SourceFileLoader('btrfs_heatmap', '/usr/bin/btrfs-heatmap')
spec = importlib.util.spec_from_loader('btrfs_heatmap', loader)
hm = importlib.util.module_from_spec(spec)
loader.exec_module(hm)


def decode(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('{}: not a PNG'.format(path))
    pos, idat, width, height = 8, b'', None, None
    while pos < len(data):
        length, kind = struct.unpack('!I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack('!I', data[pos + 8 + length:pos + 12 + length])[0]:
            raise ValueError('{}: bad CRC in {}'.format(path, kind))
        pos += 12 + length
        if kind == b'IHDR':
            width, height, depth, ctype, _, _, interlace = struct.unpack('!IIBBBBB', body)
            if (depth, ctype, interlace) != (8, 2, 0):
                raise ValueError('{}: not 8-bit RGB'.format(path))
        elif kind == b'IDAT':
            idat += body
    raw = zlib.decompress(idat)
    stride = 1 + 3 * width
    if len(raw) != stride * height:
        raise ValueError('{}: {} bytes of image data, want {}'.format(path, len(raw), stride * height))
    rows = []
    for y in range(height):
        row = raw[y * stride:(y + 1) * stride]
        if row[0] != 0:  # both writers use filter 0 (none)
            raise ValueError('{}: row filter {}'.format(path, row[0]))
        rows.append(row[1:])
    return width, height, b''.join(rows)


def main():
    command = sys.argv[1]
    if command == 'curves':
        for name in ('hilbert', 'linear', 'snake'):
            for order in range(int(sys.argv[2]) + 1):
                edge = 2 ** order
                steps = [y * edge + x for (y, x, _), _ in zip(hm.curves[name](order), range(edge * edge))]
                print(name, order, ' '.join(map(str, steps)))
    elif command == 'choose':
        for line in sys.stdin:
            order, size, total, gran = [None if w == '-' else int(w) for w in line.split()]
            try:
                print(*hm.choose_order_size(order, size, total, gran))
            except hm.HeatmapError as e:
                print('error', e)
    elif command == 'grid':
        for line in sys.stdin:
            case = json.loads(line)
            with contextlib.redirect_stdout(io.StringIO()):
                grid = hm.Grid(case['order'], case['size'], case['total'], 1, 0, curve=case['curve'])
                for first, length, used, color in case['fills']:
                    grid.fill(first, length, used, tuple(color))
                if grid._pixel_dirty:
                    grid._finish_pixel()
            print(b''.join(b''.join(row) for row in grid._grid).hex())
    elif command == 'draw':
        out = sys.argv[2]
        for n, case in enumerate(sys.argv[3:]):
            sys.argv = ['btrfs-heatmap'] + case.split() + ['-o', os.path.join(out, '{}.png'.format(n))]
            text = io.StringIO()
            try:
                with contextlib.redirect_stdout(text):
                    hm.main()
            except hm.HeatmapError as e:
                with open(os.path.join(out, '{}.err'.format(n)), 'w') as f:
                    f.write('Error: {}\n'.format(e))
            with open(os.path.join(out, '{}.txt'.format(n)), 'w') as f:
                f.write(text.getvalue())
    elif command == 'pixels':
        for path in sys.argv[2:]:
            try:
                width, height, rgb = decode(path)
                print(width, height, hashlib.sha256(rgb).hexdigest())
            except (OSError, ValueError, zlib.error) as e:
                print('undecodable', str(e).replace(' ', '_'))
    elif command == 'histogram':
        width, height, rgb = decode(sys.argv[2])
        counts = {}
        for i in range(0, len(rgb), 3):
            key = '#' + rgb[i:i + 3].hex()
            counts[key] = counts.get(key, 0) + 1
        print(json.dumps(counts))


if __name__ == '__main__':
    main()
