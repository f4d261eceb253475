#!/usr/bin/env python3
"""Checks one built APK (scripts/android.sh): its signature (apksigner verify), what Android
reads of it (aapt2 dump badging: package, version, SDKs, permissions — exactly those the app
needs), every activity and service of its manifest present in its dex, JNA's dispatch library
and the core's library (scripts/android-core.sh) for each ABI, compressed and extracted at
install (extractNativeLibs: libraries kept in the APK would need 16 KB zip alignment for
Android 15's 16 KB pages, which Debian's zipalign cannot do); prints its size (under 25 MB). Usage: check-apk.py APK APP. Exit 1 on a failed check."""

import re
import subprocess
import sys
import zipfile

# The permissions each app asks for, and why (android/README.md says the same to people).
NEEDS = {
    "supervisee": {
        "android.permission.INTERNET",  # the server
        "android.permission.CAMERA",  # face check-ins, video roll calls
        "android.permission.RECORD_AUDIO",  # video roll calls (the answer page's WebRTC)
        "android.permission.MODIFY_AUDIO_SETTINGS",  # WebRTC in a WebView sets the audio route
        "android.permission.ACCESS_FINE_LOCATION",  # where a check-in is made
        "android.permission.ACCESS_COARSE_LOCATION",  # Android 12+ asks for both together
        "android.permission.FOREGROUND_SERVICE",  # the live connection
        "android.permission.FOREGROUND_SERVICE_DATA_SYNC",
        "android.permission.FOREGROUND_SERVICE_LOCATION",  # reporting the position at the level's interval
        "android.permission.POST_NOTIFICATIONS",
        "android.permission.USE_FULL_SCREEN_INTENT",  # a ringing roll call takes the screen, as a call does
    },
    "officer": {
        "android.permission.INTERNET",
        "android.permission.FOREGROUND_SERVICE",
        "android.permission.FOREGROUND_SERVICE_DATA_SYNC",
        "android.permission.POST_NOTIFICATIONS",
    },
    "volunteer": {
        "android.permission.INTERNET",
        "android.permission.FOREGROUND_SERVICE",
        "android.permission.FOREGROUND_SERVICE_DATA_SYNC",
        "android.permission.POST_NOTIFICATIONS",
    },
}
ABIS = ["arm64-v8a", "x86_64"]


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main(apk, app):
    failures = []
    checks = [0]

    def expect(ok, what):
        checks[0] += 1
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    verified = subprocess.run(["apksigner", "verify", "--print-certs", apk], capture_output=True, text=True)
    expect(verified.returncode == 0, f"{app}: apksigner verify ({verified.stdout.splitlines()[:1]})")

    badging = run("aapt2", "dump", "badging", apk)
    package = re.search(r"package: name='([^']+)' versionCode='(\d+)' versionName='([^']+)'", badging)
    expect(package is not None and package.group(1) == f"cn.huijiao.{app}", f"{app}: package {package and package.groups()}")
    expect("sdkVersion:'26'" in badging, f"{app}: minSdk 26")
    expect("targetSdkVersion:'35'" in badging, f"{app}: targetSdk 35")
    asked = set(re.findall(r"uses-permission: name='([^']+)'", badging))
    expect(asked == NEEDS[app], f"{app}: permissions {sorted(asked)}")
    if app == "volunteer":
        expect(not any("LOCATION" in p for p in asked), "volunteer: asks for no location")

    manifest = run("aapt2", "dump", "xmltree", "--file", "AndroidManifest.xml", apk)
    components = re.findall(r'E: (?:activity|service|application) .*?\n(?:.*\n)*?\s+A: http://schemas.android.com/apk/res/android:name\(0x01010003\)="([^"]+)"', manifest)
    with zipfile.ZipFile(apk) as z:
        dex = b"".join(z.read(n) for n in z.namelist() if re.fullmatch(r"classes\d*\.dex", n))
        names = set(z.namelist())
        size = sum(i.compress_size for i in z.infolist())
    expect(len(components) >= 3, f"{app}: {len(components)} components in the manifest")
    for c in components:
        descriptor = ("L" + c.replace(".", "/") + ";").encode()
        expect(descriptor in dex, f"{app}: {c} in the dex")
    expect(re.search(r"extractNativeLibs\(0x010104ea\)=(true|\(type 0x12\)0xffffffff)", manifest) is not None,
           f"{app}: native libraries extracted at install")
    for abi in ABIS:
        for lib in ("libjnidispatch.so", "libhuijiao_mobile.so"):
            expect(f"lib/{abi}/{lib}" in names, f"{app}: lib/{abi}/{lib}")
    print(f"size {app}: {size / 1e6:.1f} MB")
    expect(size < 25e6, f"{app}: under 25 MB ({size / 1e6:.1f} MB)")
    print(f"APK {app}: {checks[0] - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
