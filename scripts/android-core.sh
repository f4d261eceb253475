#!/usr/bin/env bash
# The core's library (libhuijiao_mobile.so) for phones — arm64-v8a and x86_64, API 26, the
# workspace's `android` profile (optimised for size, no LTO: quick to relink) — built
# here without the Android NDK, which is not in the registries this machine reaches. A
# workstation builds the same library with the NDK and cargo-ndk (android/README.md).
#
# What stands in for the NDK, and why (each trap was found by building, reading the objects, or
# comparing glibc's headers with bionic's):
#   - C (SQLite bundled by rusqlite, ring's C and assembly) is compiled by Debian's clang with
#     --target=<arch>-linux-android26 and glibc's cross headers (libc6-dev-*-cross) as sysroot.
#     Where glibc's headers and bionic disagree, the flags below correct them:
#       -D__errno_location=__errno   glibc's errno macro calls __errno_location; bionic's is __errno
#       -DSQLITE_DISABLE_LFS         else SQLite calls fcntl64/…64, which bionic's 64-bit ABIs lack
#       -D_BSD_SOURCE                SQLite then asks getpagesize(); glibc's _SC_PAGESIZE (30) is
#                                    another question to bionic's sysconf (its _SC_PAGESIZE is 39):
#                                    silently wrong, no symbol check sees it — so no C may call
#                                    sysconf/pathconf/confstr at all (checked below)
#       -DSQLITE_HOMEGROWN_RECURSIVE_MUTEX  pthread_mutexattr_t is 4 bytes in glibc's x86_64
#                                    headers and 8 in bionic: SQLite's recursive mutex would hand
#                                    bionic a too-small attribute on the stack (no C may call
#                                    pthread_mutexattr_* — checked below)
#       -fstack-protector-strong     as the NDK compiles
#     The structures the C passes to bionic were compared for both ABIs and agree (struct stat,
#     struct flock, struct timespec, struct tm, pthread_mutex_t/rwlock_t sizes and their zero
#     initialisers, dl_phdr_info's first fields, open/fcntl/mmap/dlopen flags: kernel values or
#     the same numbers). Long double is the compiler's (--target), not the headers'.
#   - Rust is linked by rust-lld with -z defs against stand-in libc.so, libm.so and libdl.so that
#     export exactly bionic's public symbols at API 26 for the ABI (android/sysroot/
#     bionic-symbols.txt, from AOSP bionic's symbol maps): a symbol a phone at minSdk lacks fails
#     the link instead of the app's start. liblog.so stands in empty (std asks for -llog; nothing
#     may use it). The library's start and end objects are android/sysroot/crtbegin_so.c and
#     crtend_so.S; libunwind.a (panics unwind through it) is built from the rust-src component's
#     LLVM libunwind, as the NDK's is.
#   - The library is checked: NEEDED only libc/libm/libdl(/liblog), no glibc symbol versions,
#     only weak symbols undefined, the ABI's machine, 16 KB segment alignment (Android 15's 16 KB
#     pages), its unwind table header and the Android note.
# Not possible here: loading it. No phone or emulator exists on this machine; what a one-time
# smoke test on a device must check is in android/README.md.
#
# Usage: scripts/android-core.sh [abi...] (default: arm64-v8a x86_64). Writes
# $CARGO_TARGET_DIR/android/jniLibs/<abi>/libhuijiao_mobile.so. Needs (scripts/packages.sh
# test): clang, llvm, libc6-dev-arm64-cross, libc6-dev-amd64-cross; and rustup's targets and
# rust-src, added here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
api=26
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
out=$target/android
abis=("$@")
[ ${#abis[@]} -gt 0 ] || abis=(arm64-v8a x86_64)
t0=$SECONDS
say() { echo "android-core: $* ($((SECONDS - t0)) s)"; }

sysroot=$(rustc --print sysroot)
lld=$sysroot/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-lld
libunwind_src=$sysroot/lib/rustlib/src/rust/src/llvm-project/libunwind
need_rustup=()
for abi in "${abis[@]}"; do
    case $abi in
    arm64-v8a) t=aarch64-linux-android ;;
    x86_64) t=x86_64-linux-android ;;
    *) echo "android-core: unknown ABI $abi (arm64-v8a, x86_64)" >&2; exit 2 ;;
    esac
    [ -d "$sysroot/lib/rustlib/$t" ] || need_rustup+=("$t")
done
[ ${#need_rustup[@]} -eq 0 ] || rustup target add "${need_rustup[@]}" >/dev/null
[ -d "$libunwind_src" ] || rustup component add rust-src >/dev/null

for abi in "${abis[@]}"; do
    case $abi in
    arm64-v8a) arch=arm64 triple=aarch64-linux-android gnu=aarch64-linux-gnu machine=AArch64 ;;
    x86_64) arch=x86_64 triple=x86_64-linux-android gnu=x86_64-linux-gnu machine=X86-64 ;;
    esac
    TRIPLE=$(echo "$triple" | tr a-z- A-Z_)
    under=${triple//-/_}

    # ---- the stand-in sysroot: bionic's symbols, crt objects, libunwind -------------------
    # Rebuilt when its sources change (the symbol list, the crt sources, this script).
    stand=$out/sysroot/$abi
    key=$(cat android/sysroot/* "$0" | sha256sum | cut -c1-16)
    cc=(clang --target=$triple$api --sysroot=/usr/$gnu -isystem /usr/$gnu/include -fPIC -O2
        -fstack-protector-strong -Wno-unused-command-line-argument)
    if [ "$(cat "$stand/key" 2>/dev/null)" != "$key" ]; then
        rm -rf "$stand" && mkdir -p "$stand/obj"
        for lib in libc libm libdl; do
            awk -v lib=$lib -v arch=$arch '
                $1 == lib && ("," $4 ",") ~ ("," arch ",") {
                    if ($2 == "var")
                        printf ".data\n.globl %s\n.type %s, %%object\n.size %s, 8\n%s:\n.zero 8\n", $3, $3, $3, $3
                    else
                        printf ".text\n.globl %s\n.type %s, %%function\n%s:\n", $3, $3, $3
                }' android/sysroot/bionic-symbols.txt >"$stand/obj/$lib.s"
            [ -s "$stand/obj/$lib.s" ]
            "${cc[@]}" -c "$stand/obj/$lib.s" -o "$stand/obj/$lib.o"
            "$lld" -flavor gnu -shared -soname $lib.so -o "$stand/$lib.so" "$stand/obj/$lib.o"
        done
        printf '' | "${cc[@]}" -x assembler -c - -o "$stand/obj/liblog.o"
        "$lld" -flavor gnu -shared -soname liblog.so -o "$stand/liblog.so" "$stand/obj/liblog.o"
        "${cc[@]}" -DHUIJIAO_ANDROID_API=$api -c android/sysroot/crtbegin_so.c -o "$stand/crtbegin_so.o"
        "${cc[@]}" -c android/sysroot/crtend_so.S -o "$stand/crtend_so.o"
        # LLVM's libunwind as the NDK ships it: static, its symbols hidden, no C++ runtime.
        # NDEBUG: its asserts off, as in LLVM's release builds (glibc's __assert_fail is not bionic's).
        uw=(-I "$libunwind_src/include" -D_LIBUNWIND_IS_NATIVE_ONLY -D_LIBUNWIND_HIDE_SYMBOLS -DNDEBUG
            -D__errno_location=__errno -funwind-tables -fvisibility=hidden -fno-exceptions -fno-rtti)
        for src in UnwindLevel1.c UnwindLevel1-gcc-ext.c libunwind.cpp UnwindRegistersSave.S UnwindRegistersRestore.S; do
            case $src in
            *.cpp) std=(-std=c++17 -nostdinc++) ;;
            *.c) std=(-std=c99) ;;
            *) std=() ;;
            esac
            "${cc[@]}" "${uw[@]}" "${std[@]}" -c "$libunwind_src/src/$src" -o "$stand/obj/$src.o"
        done
        llvm-ar rcs "$stand/libunwind.a" "$stand"/obj/Unwind*.o "$stand"/obj/libunwind.cpp.o
        echo "$key" >"$stand/key"
        # Cargo does not see these files: the library is linked again against the new ones.
        cargo clean --quiet -p huijiao-mobile --target "$triple" --profile android 2>/dev/null || true
        say "$abi: stand-in sysroot ($(wc -l <"$stand/obj/libc.s") lines of libc stubs), crt objects, libunwind"
    fi

    # ---- the library --------------------------------------------------------------------
    cflags="${cc[*]:1} -D__errno_location=__errno -DSQLITE_DISABLE_LFS -D_BSD_SOURCE"
    cflags+=" -DSQLITE_HOMEGROWN_RECURSIVE_MUTEX"
    link=(-C linker-flavor=ld.lld -C link-arg=-L"$stand" -C link-arg=-zdefs -C link-arg=-znoexecstack
          -C link-arg=-zrelro -C link-arg=-znow -C link-arg=-zmax-page-size=16384
          -C link-arg=--build-id=sha1 -C link-arg="$stand/crtbegin_so.o" -C link-arg="$stand/crtend_so.o")
    env "CC_$under=clang" "AR_$under=llvm-ar" "CFLAGS_$under=$cflags" \
        "CARGO_TARGET_${TRIPLE}_LINKER=$lld" "CARGO_TARGET_${TRIPLE}_RUSTFLAGS=${link[*]}" \
        cargo rustc --locked --quiet -p huijiao-mobile --lib --crate-type cdylib --profile android --target "$triple"
    built=$target/$triple/android/libhuijiao_mobile.so
    say "$abi: library built"

    # ---- what is checked before it goes into an APK -------------------------------------
    problems=()
    elf_header=$(llvm-readelf -h "$built")
    grep -q "Machine:.*$machine" <<<"$elf_header" || problems+=("not an $machine library")
    needed=$(llvm-readelf -d "$built" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
    for n in $needed; do
        case $n in libc.so | libm.so | libdl.so | liblog.so) ;; *) problems+=("needs $n") ;; esac
    done
    dyn=$(llvm-readelf --dyn-syms -W "$built")
    if grep -q '@GLIBC' <<<"$dyn"; then problems+=("glibc symbol versions: $(grep -o '[a-z_0-9]*@GLIBC[^ ]*' <<<"$dyn" | head -5 | tr '\n' ' ')"); fi
    strong_undefined=$(awk '$7 == "UND" && $5 != "WEAK" && $8 != "" {print $8}' <<<"$dyn" | sed 's/@.*//' | sort -u)
    weak_undefined=$(awk '$7 == "UND" && $5 == "WEAK" && $8 != "" {print $8}' <<<"$dyn" | sed 's/@.*//' | sort -u | tr '\n' ' ')
    for s in $strong_undefined; do
        grep -qE "^lib(c|m|dl) [a-z]+ $s [a-z0-9_,]*\b$arch\b" android/sysroot/bionic-symbols.txt ||
            problems+=("$s is not bionic's at API $api")
    done
    segments=$(llvm-readelf -l -W "$built")
    if awk '$1 == "LOAD" && $NF != "0x4000" {bad = 1} END {exit !bad}' <<<"$segments"; then problems+=("LOAD segments not 16 KB aligned"); fi
    grep -q GNU_EH_FRAME <<<"$segments" || problems+=("no unwind table header")
    llvm-readelf -n "$built" | grep -q Android || problems+=("no Android note")
    # C compiled against glibc's headers must not ask bionic questions whose numbers differ.
    for a in $(find "$target/$triple/android/build" -path '*/out/*' -name 'lib*.a'); do
        for s in $(llvm-nm -u "$a" 2>/dev/null | awk '{print $NF}' | sort -u); do
            case $s in
            sysconf | pathconf | fpathconf | confstr | pthread_mutexattr_* | __*_chk | __isoc99_* | __ctype_b_loc)
                problems+=("$(basename "$a") calls $s (its glibc constants or types are not bionic's)") ;;
            esac
        done
    done
    if [ ${#problems[@]} -gt 0 ]; then
        printf 'android-core: %s: %s\n' "$abi" "${problems[@]}" >&2
        exit 1
    fi
    mkdir -p "$out/jniLibs/$abi"
    llvm-strip --strip-all -o "$out/jniLibs/$abi/libhuijiao_mobile.so" "$built"
    size=$(stat -c %s "$out/jniLibs/$abi/libhuijiao_mobile.so")
    say "$abi: checked (needs: ${needed% }; weak, may be absent: ${weak_undefined:-none}); $((size / 1024)) KB stripped"
done
