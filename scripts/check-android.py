#!/usr/bin/env python3
"""Lint-like checks of the Android sources that need no Android SDK (scripts/android.sh):
- every string resource is in both languages (values/ zh-CN and values-en/), but those marked
  translatable="false";
- no person-facing text in the apps' Kotlin: a string literal with Chinese in it, or with words
  and spaces, is a sentence the core's catalogue should say (core/src/app/text.rs);
- every activity and service written is declared in a manifest, and every one declared exists.
Prints one line per problem; exit 1 when there is one."""

import pathlib
import re
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent / "android"
ANDROID = "{http://schemas.android.com/apk/res/android}"
problems = []


def strings(path):
    if not path.exists():
        return {}
    return {
        s.get("name"): s.get("translatable") != "false"
        for s in ET.parse(path).getroot().iter("string")
    }


for res in sorted(ROOT.glob("*/src/main/res")):
    for values in sorted(res.glob("values/*.xml")):
        zh = strings(values)
        en = strings(res / "values-en" / values.name)
        for name, translatable in zh.items():
            if translatable and name not in en:
                problems.append(f"{values}: '{name}' has no English (values-en/{values.name})")
        for name in en:
            if name not in zh:
                problems.append(f"{res}/values-en/{values.name}: '{name}' has no Chinese (values/{values.name})")

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
WORDS = re.compile(r"[A-Za-z]{2,},? [A-Za-z]{2,}")
LITERAL = re.compile(r'"((?:[^"\\$]|\\.|\$\{[^}]*\}|\$)*)"')
# What ships: the shared module and the apps (the tests' harness says what it likes).
shipped = [kt for kt in sorted(ROOT.glob("*/src/main/kotlin/**/*.kt")) if not kt.is_relative_to(ROOT / "testing")]
for kt in shipped:
    for n, line in enumerate(kt.read_text().splitlines(), 1):
        code = line.split(" // ")[0]
        stripped = code.strip()
        # Comments, annotations, and exceptions (a programmer's words, never shown).
        if stripped.startswith(("*", "/*", "/**", "@", "//")) or "Exception(" in code or "error(" in code:
            continue
        for m in LITERAL.finditer(code):
            text = re.sub(r"\$\{[^}]*\}", "", m.group(1))
            if CJK.search(text) or WORDS.search(text):
                problems.append(f"{kt.relative_to(ROOT)}:{n}: person-facing text in Kotlin: \"{m.group(1)}\"")

declared = {}
for manifest in sorted(ROOT.glob("*/src/main/AndroidManifest.xml")):
    app = ET.parse(manifest).getroot().find("application")
    for tag in ("activity", "service"):
        for e in app.iter(tag):
            declared.setdefault(e.get(ANDROID + "name"), []).append(manifest)
written = {}
for kt in shipped:
    source = kt.read_text()
    package = re.search(r"^package ([\w.]+)", source, re.M).group(1)
    for m in re.finditer(r"^class (\w+)\s*(?:\([^)]*\))?\s*:\s*(ScreenActivity|Activity|Service)\(", source, re.M):
        written[f"{package}.{m.group(1)}"] = kt
for name, kt in written.items():
    if name not in declared:
        problems.append(f"{kt.relative_to(ROOT)}: {name} is in no manifest")
for name, manifests in declared.items():
    if name not in written:
        problems.append(f"{manifests[0].relative_to(ROOT)}: {name} is declared but not written")

for p in problems:
    print(p)
print(f"android checks: {len(problems)} problems ({len(written)} components, {len(declared)} declared)")
sys.exit(1 if problems else 0)
