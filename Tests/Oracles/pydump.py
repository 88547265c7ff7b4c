#!/usr/bin/python3
# python-btrfs's view of every item of some trees, one canonical JSON line per item:
# class name, key and every public attribute (plus _inline_encoded_nbytes), ints as decimal
# strings, bytes as hex, UUIDs and keys as text. Run by /usr/bin/python3 (python-btrfs 13).
# usage: pydump.py PATH TREE [TREE...]
import btrfs
import collections.abc
import json
import sys
import uuid


# python-btrfs 13 bug: InodeExtrefList advances with len(InodeExtref), which the class does
# not define, so every INODE_EXTREF item raises TypeError. Give it the length it means:
# struct btrfs_inode_extref (18 bytes) plus the name.
if not hasattr(btrfs.ctree.InodeExtref, '__len__'):
    btrfs.ctree.InodeExtref.__len__ = lambda self: btrfs.ctree.InodeExtref._inode_extref.size + self.name_len


def view(obj):
    if isinstance(obj, bool):
        return str(obj)
    if isinstance(obj, int):
        return str(obj)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return bytes(obj).hex()
    if isinstance(obj, uuid.UUID):
        return str(obj)
    if isinstance(obj, btrfs.ctree.Key):
        return [str(obj.objectid), str(obj.type), str(obj.offset)]
    if isinstance(obj, btrfs.ctree.TimeSpec):
        return [str(obj.sec), str(obj.nsec)]
    if isinstance(obj, list):
        return [view(x) for x in obj]
    out = {'__class__': type(obj).__name__}
    for name, value in obj.__dict__.items():
        if name == '_inline_encoded_nbytes':
            out[name] = view(value)
        elif name == '_data':
            out['_data_len'] = str(len(value))
        elif not name.startswith('_'):
            out[name] = view(value)
    if isinstance(obj, collections.abc.MutableSequence):
        out['__items__'] = [view(x) for x in obj]
    return out


def main():
    path = sys.argv[1]
    with btrfs.FileSystem(path) as fs:
        for tree in sys.argv[2:]:
            try:
                for item in fs.search(int(tree)):
                    print(json.dumps(view(item), sort_keys=True, separators=(',', ':')))
            except OSError as e:
                print(json.dumps({'__error__': str(e.errno), 'tree': tree}, sort_keys=True, separators=(',', ':')))


if __name__ == "__main__":
    main()
