"""Extracts TensorFlow's C library from a tensorflow(-cpu) wheel, for scripts/setup-tensorflow.ts.

Usage: python3 extract-libtensorflow.py <wheel> <destination> [header ...]

Writes <destination>/lib/{libtensorflow_cc.so.2,libtensorflow_framework.so.2}, the C API headers
(tensorflow/c/c_api.h, tensorflow/c/eager/c_api.h, plus any headers named on the command line: the setup
script passes the ones tfjs-node's binding includes) and every header they include, followed transitively,
under <destination>/include, and the licence files under <destination>/licenses.
Python's zipfile is used because pip (and so Python) is already needed to fetch the wheel.
"""
import os
import re
import shutil
import sys
import zipfile

LIBRARIES = ["libtensorflow_cc.so.2", "libtensorflow_framework.so.2"]
ROOT_HEADERS = ["tensorflow/c/c_api.h", "tensorflow/c/eager/c_api.h", "tensorflow/c/c_api_experimental.h"]
INCLUDE_PREFIX = "tensorflow/include/"
LICENSES = {"tensorflow/include/LICENSE": "LICENSE", "tensorflow/THIRD_PARTY_NOTICES.txt": "THIRD_PARTY_NOTICES.txt"}
INCLUDE_LINE = re.compile(rb'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(1)


def copy_member(archive, member, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with archive.open(member) as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink, 1 << 20)


def main():
    if len(sys.argv) < 3:
        fail("usage: extract-libtensorflow.py <wheel> <destination> [header ...]")
    wheel, destination = sys.argv[1], sys.argv[2]
    roots = ROOT_HEADERS + sys.argv[3:]
    try:
        archive = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as error:
        fail(f"cannot open {wheel} as a wheel: {error}")
    names = set(archive.namelist())
    for library in LIBRARIES:
        member = f"tensorflow/{library}"
        if member not in names:
            fail(f"{wheel} has no {member}; is it a TensorFlow 2.x wheel for Linux?")
        sys.stderr.write(f"  extracting {library} ({archive.getinfo(member).file_size / 1e6:.0f} MB)\n")
        copy_member(archive, member, os.path.join(destination, "lib", library))

    # Headers: the roots and everything they include that the wheel ships, breadth first.
    pending, seen = list(roots), set()
    while pending:
        header = pending.pop()
        if header in seen:
            continue
        seen.add(header)
        member = INCLUDE_PREFIX + header
        if member not in names:
            if header in roots:
                fail(f"{wheel} has no {member}")
            continue  # a system or generated header the C API does not need
        data = archive.read(member)
        target = os.path.join(destination, "include", header)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as sink:
            sink.write(data)
        pending.extend(match.decode() for match in INCLUDE_LINE.findall(data))
    sys.stderr.write(f"  extracted {len(seen)} C API headers\n")

    for member, name in LICENSES.items():
        if member in names:
            copy_member(archive, member, os.path.join(destination, "licenses", name))


main()
