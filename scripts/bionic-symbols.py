#!/usr/bin/env python3
"""Writes android/sysroot/bionic-symbols.txt: the symbols an app library may link against in
bionic's libc.so, libm.so and libdl.so, per ABI, at the apps' minSdk — read from AOSP bionic's
symbol maps (libc/libc.map.txt, libm/libm.map.txt, libdl/libdl.map.txt), as the NDK's stub
libraries are made from them. scripts/android-core.sh builds stand-in libraries from the list,
so linking the core with `-z defs` fails on any symbol a phone at minSdk would not have.

    scripts/bionic-symbols.py <bionic checkout> [api]   (api: the apps' minSdk, default 26)

The list is committed (the build machine has no AOSP checkout); run this again only to move
minSdk or to add an ABI.
"""
import re
import subprocess
import sys
from pathlib import Path

ABIS = {"arm64": "arm64-v8a", "x86_64": "x86_64"}
ARCH_TAGS = {"arm", "arm64", "x86", "x86_64", "riscv64", "mips", "mips64"}
# Letters Android used for API levels in these maps.
CODENAMES = {"J": 16, "K": 19, "L": 21, "M": 23, "N": 24, "O": 26, "P": 28, "Q": 29, "R": 30}
# Blocks and tags no app may link against (the platform's, APEX modules', vendors').
PRIVATE_BLOCKS = {"LIBC_PRIVATE", "LIBC_PLATFORM", "LIBC_DEPRECATED"}
PRIVATE_TAGS = {"platform-only", "apex", "llndk", "systemapi", "future"}
MAPS = {"libc": "libc/libc.map.txt", "libm": "libm/libm.map.txt", "libdl": "libdl/libdl.map.txt"}


def level(value):
    return CODENAMES[value] if value in CODENAMES else int(value)


def available(tags, arch, api):
    """Whether a symbol (or block) with these tags exists for arch at api."""
    if tags & PRIVATE_TAGS:
        return False
    archs = tags & ARCH_TAGS
    if archs and arch not in archs:
        return False
    introduced = 0
    for tag in tags:
        if tag.startswith("introduced="):
            introduced = max(introduced, level(tag.split("=", 1)[1]))
    for tag in tags:
        if tag.startswith(f"introduced-{arch}="):
            introduced = level(tag.split("=", 1)[1])
    return introduced <= api


def parse(text):
    """(block, block tags, symbol, symbol tags) for each symbol line of a map."""
    block, block_tags = None, set()
    for raw in text.splitlines():
        code, _, comment = raw.partition("#")
        tags = set(comment.split())
        code = code.strip()
        if m := re.match(r"^(\w+)\s*\{$", code):
            block, block_tags = m.group(1), tags
        elif code.startswith("}"):
            block, block_tags = None, set()
        elif block and code.endswith(";") and not code.endswith(":") and code not in ("*;",):
            name = code[:-1].strip()
            if re.fullmatch(r"[A-Za-z_]\w*", name):
                yield block, block_tags, name, tags


def main():
    bionic = Path(sys.argv[1])
    api = int(sys.argv[2]) if len(sys.argv) > 2 else 26
    commit = subprocess.run(["git", "-C", str(bionic), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    rows = []
    for lib, path in MAPS.items():
        text = (bionic / path).read_text() if (bionic / path).exists() else subprocess.run(
            ["git", "-C", str(bionic), "show", f"HEAD:{path}"], capture_output=True, text=True,
            check=True).stdout
        seen = {}
        for block, block_tags, name, tags in parse(text):
            if block in PRIVATE_BLOCKS:
                continue
            kind = "var" if "var" in tags else "func"
            for arch in ABIS:
                if available(block_tags, arch, api) and available(tags, arch, api):
                    seen.setdefault((name, kind), set()).add(arch)
        for (name, kind), archs in sorted(seen.items()):
            rows.append(f"{lib} {kind} {name} {','.join(a for a in ABIS if a in archs)}")
    out = Path(__file__).resolve().parent.parent / "android/sysroot/bionic-symbols.txt"
    out.write_text(
        f"# bionic's public symbols at API {api} for {', '.join(ABIS.values())}: library, kind, name, ABIs.\n"
        f"# Written by scripts/bionic-symbols.py from AOSP bionic {commit[:12]} (libc/libm/libdl map.txt).\n"
        + "\n".join(rows) + "\n")
    print(f"{out}: {len(rows)} symbols")


if __name__ == "__main__":
    main()
