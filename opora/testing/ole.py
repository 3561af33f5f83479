"""Old Office containers (OLE Compound Files) for the tests of every reader."""

import struct


def ole_file(*stream_names: str) -> bytes:
    """A minimal Compound File (the container of .doc and of password-protected .docx).

    Header, one FAT sector, one directory sector holding a root entry and the given streams;
    Word puts «EncryptionInfo» and «EncryptedPackage» in it when a .docx gets a password.
    """
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 44, 1, 1)  # one FAT sector; directory starts at sector 1
    struct.pack_into("<IIIII", header, 56, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 76, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * (sector - 8)
    directory = bytearray(sector)
    for i, (name, kind) in enumerate([("Root Entry", 5)] + [(n, 2) for n in stream_names]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = i * 128
        directory[entry : entry + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, entry + 64, len(encoded), kind, 1)
        struct.pack_into("<III", directory, entry + 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    return bytes(header) + fat + bytes(directory)
