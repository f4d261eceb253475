"""Compiles the generated C headers (what the Swift bindings import) with gcc and runs, from C,
the checks the Swift bindings run when they load: the contract version and every API
checksum, against the built library. Prints `N passed, N failed` and fails on any mismatch.

usage: header_check.py <swift-bindings-dir> <libhuijiao_mobile.so>
"""

import pathlib
import re
import subprocess
import sys
import tempfile

swift_dir, lib = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
checks = []  # (C expression, expected value, label)
headers = []
for swift in sorted(swift_dir.glob("*.swift")):
    text = swift.read_text()
    ns = swift.stem
    headers.append(f"{ns}FFI.h")
    version = re.search(r"let bindings_contract_version = (\d+)", text)
    if version:
        checks.append((f"ffi_{ns}_uniffi_contract_version()", int(version.group(1)), f"{ns} contract"))
    for fn, value in re.findall(r"if \((uniffi_\w+_checksum_\w+)\(\) != (\d+)\)", text):
        checks.append((f"{fn}()", int(value), fn))
if not checks:
    sys.exit("no checks found in the Swift bindings")

src = ["#include <stdio.h>", "#include <stdint.h>", "#include <stdbool.h>"]
src += [f'#include "{h}"' for h in headers]
src += ["int main(void) {", "  int passed = 0, failed = 0;"]
for expr, expected, label in checks:
    src.append(
        f'  if ((uint64_t)({expr}) == {expected}ULL) passed++; '
        f'else {{ failed++; fprintf(stderr, "mismatch: {label}\\n"); }}'
    )
src += ['  printf("C header: %d passed, %d failed\\n", passed, failed);', "  return failed != 0;", "}"]

with tempfile.TemporaryDirectory() as d:
    c = pathlib.Path(d) / "check.c"
    c.write_text("\n".join(src))
    exe = pathlib.Path(d) / "check"
    subprocess.run(
        ["gcc", "-std=c11", "-Wall", "-Werror", "-D_Nullable=", "-D_Nonnull=", f"-I{swift_dir}",
         str(c), str(lib), f"-Wl,-rpath,{lib.parent}", "-o", str(exe)],
        check=True,
    )
    sys.exit(subprocess.run([str(exe)]).returncode)
