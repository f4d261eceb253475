#!/usr/bin/env bash
# The three Android apps built and tested here without Gradle or the Android SDK — the same
# sources Gradle builds on a workstation (android/README.md):
#   1. tools: kotlinc (npm, as the bindings test), the Maven Central artifacts android/tools/pom.xml
#      pins (Robolectric, android-all, coroutines, JNA's AAR, D8), aapt2/zipalign/apksigner
#      from Debian 12 (scripts/packages.sh test);
#   2. the uniffi Kotlin bindings of the host-built library, compiled once per change;
#   3. each app's resources linked by aapt2 against android-all (API 34), its R class;
#   4. the Kotlin of android/ui and the three apps, compiled against android-all;
#   5. the Robolectric tests of android/*/src/test, on the JVM against the live server binary,
#      calling the real core through the host's libhuijiao_mobile.so;
#   6. the core's library for arm64-v8a and x86_64 (scripts/android-core.sh, without the NDK);
#      each app's signed APK (D8, aapt2, zipalign, apksigner), checked.
# Usage: scripts/android.sh [build|test|apk|all] (default all). Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
root=$PWD
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
out=$target/android
tools=$out/tools
mkdir -p "$tools"
t0=$SECONDS
say() { echo "android: $* ($((SECONDS - t0)) s)"; }
apps=(supervisee officer volunteer)

# ---- 1. tools ----------------------------------------------------------------------------
kc=$(scripts/kotlin/install.sh "$target")
kotlinc() { "$kc/bin/kotlinc" -nowarn -jvm-target 1.8 "$@" 2>&1 | grep -v '^warning:' || true; }

# Maven Central: the classpaths, and Robolectric's instrumented Android in its own folder
# (offline mode reads it from there; on the outer classpath it breaks the sandbox).
pom=android/tools/pom.xml
if ! cmp -s "$pom" "$tools/pom.xml" || [ ! -s "$tools/test.cp" ]; then
    # Kotlin's own library is the compiler's (kept in step with it), not the one Maven picks.
    dep=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
    # Maven 3.8 writes colour resets even in batch mode: the log keeps the words only.
    mvn() { command mvn "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; }
    mvn -q -B -Dstyle.color=never -f "$pom" $dep:build-classpath -DincludeScope=compile -Dmdep.outputFile="$tools/app.cp" \
        -DexcludeArtifactIds=android-all,annotations,kotlin-stdlib
    mvn -q -B -Dstyle.color=never -f "$pom" $dep:build-classpath -DincludeScope=test -Dmdep.outputFile="$tools/test.cp" \
        -DexcludeArtifactIds=kotlin-stdlib
    mvn -q -B -Dstyle.color=never -f "$pom" $dep:copy -Dartifact=org.robolectric:android-all-instrumented:14-robolectric-10818077-i7 \
        -DoutputDirectory="$tools/robolectric"
    mvn -q -B -Dstyle.color=never -f "$pom" $dep:copy -Dartifact=net.java.dev.jna:jna:5.19.1:aar -DoutputDirectory="$tools"
    # D8, Android's dexer (R8's jar, on Maven Central): it also rewrites Java 8 lambdas and
    # invokedynamic, which Android's runtime lacks (Debian 11's dx would not).
    mvn -q -B -Dstyle.color=never -f "$pom" $dep:copy -Dartifact=com.android.tools:r8:8.5.35 -DoutputDirectory="$tools"
    cp "$pom" "$tools/pom.xml"
fi
android_all=$(tr ':' '\n' <"$tools/test.cp" | grep '/android-all-')
# androidx.test comes as AARs: their classes.jar goes on the classpath.
test_cp=""
for jar in $(tr ':' '\n' <"$tools/test.cp"); do
    case $jar in
    *.aar)
        x=$tools/aar/$(basename "$jar" .aar)
        [ -f "$x/classes.jar" ] || { mkdir -p "$x" && unzip -q -o "$jar" classes.jar -d "$x"; }
        test_cp=$test_cp:$x/classes.jar ;;
    *) test_cp=$test_cp:$jar ;;
    esac
done
test_cp=${test_cp#:}
app_cp=$(cat "$tools/app.cp")
jna=$tools/jna
[ -f "$jna/classes.jar" ] || { mkdir -p "$jna" && unzip -q -o "$tools/jna-5.19.1.aar" -d "$jna"; }

say "tools ready"

# ---- 2. the core's library and its Kotlin bindings ----------------------------------------
# The test command's feature set (nothing is compiled twice; after its Rust tests this is quick).
lib=$target/debug/libhuijiao_mobile.so
cargo build --workspace --locked --quiet --lib --bins --examples \
    --features "${HUIJIAO_FEATURES:-huijiao-core/fixtures,huijiao-mobile/cli,huijiao-server/h264}"
gen=$out/bindings
rm -rf "$gen"
"$target/debug/uniffi-bindgen" generate --library "$lib" -l kotlin -o "$gen" >/dev/null
sum=$(cat "$gen"/uniffi/*/*.kt | sha256sum | cut -c1-16)
bindings=$out/bindings-$sum.jar
if [ ! -f "$bindings" ]; then
    rm -f "$out"/bindings-*.jar
    kotlinc -cp "$jna/classes.jar:$app_cp" "$gen"/uniffi/*/*.kt -d "$bindings"
    [ -f "$bindings" ]
fi
say "bindings compiled"

# ---- 3. resources: each app's linked by aapt2 against android-all, and its R class ---------
for app in "${apps[@]}"; do
    src=android/app-$app/src/main
    o=$out/$app
    rm -rf "$o" && mkdir -p "$o/res/values" "$o/gen" "$o/r"
    cp -r "$src/res/." "$o/res/"
    if [ -n "${HUIJIAO_SERVER_URL:-}" ]; then
        # A deployment's own server, in place of the default one.
        sed -i "s|>[^<]*</string>|>$HUIJIAO_SERVER_URL</string>|" "$o/res/values/server.xml"
    fi
    aapt2 compile --dir "$o/res" -o "$o/res.zip"
    # The package, version and SDKs as Gradle has them (one place: the app's build.gradle.kts).
    gradle=android/app-$app/build.gradle.kts
    gradle_value() { sed -n "s/^ *$1 = \"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$gradle" android/build.gradle.kts | head -1; }
    package=$(gradle_value applicationId)
    sed "s|<manifest |<manifest package=\"$package\" |" "$src/AndroidManifest.xml" >"$o/AndroidManifest.xml"
    aapt2 link -I "$android_all" --manifest "$o/AndroidManifest.xml" -o "$o/res.ap_" --java "$o/gen" \
        --min-sdk-version "$(gradle_value minSdk)" --target-sdk-version "$(gradle_value targetSdk)" \
        --version-code "$(gradle_value versionCode)" --version-name "$(gradle_value versionName)" "$o/res.zip"
    javac -nowarn -source 8 -target 8 -d "$o/r" "$o"/gen/cn/huijiao/*/R.java 2>&1 | grep -v '^warning' || true
done
say "resources linked"

# ---- 4. the apps' Kotlin -----------------------------------------------------------------
classes=$out/classes
rm -rf "$classes"
r_cp=$(printf "$out/%s/r:" "${apps[@]}")
kotlinc -cp "$android_all:$bindings:$jna/classes.jar:$app_cp:$r_cp" \
    android/ui/src/main/kotlin android/app-*/src/main/kotlin -d "$classes"
for app in "${apps[@]}"; do [ -d "$classes/cn/huijiao/$app" ]; done
say "apps compiled"

# ---- 5. the Robolectric tests, against the live server -------------------------------------
# On the JVM, JNA is Debian's (its native part is the host's; JNA's AAR carries Android's).
if [ "$what" = all ] || [ "$what" = test ]; then
    photos=$out/photos
    "$target/debug/examples/face_photos" "$photos"
    tests=$out/test-classes
    rm -rf "$tests"
    kotlinc -cp "$classes:$android_all:$bindings:$jna/classes.jar:$app_cp:$test_cp:$r_cp" \
        android/testing/src/main/kotlin android/app-*/src/test/kotlin -d "$tests"
    [ -d "$tests/cn/huijiao/testing" ]
    status=0
    for app in "${apps[@]}"; do
        # Robolectric reads the app's manifest and linked resources as Gradle would hand them.
        cfg=$out/$app/config
        mkdir -p "$cfg/com/android/tools"
        printf 'android_merged_manifest=%s\nandroid_resource_apk=%s\nandroid_custom_package=cn.huijiao.%s\n' \
            "$out/$app/AndroidManifest.xml" "$out/$app/res.ap_" "$app" \
            >"$cfg/com/android/tools/test_config.properties"
        testclasses=$(cd "$tests" && find "cn/huijiao/$app" -name '*Test.class' | sed 's/\.class$//; s|/|.|g' | sort)
        mkdir -p "$out/screenshots"
        HUIJIAO_SERVER_BIN="$target/debug/huijiao-server" HUIJIAO_PHOTOS="$photos" \
        HUIJIAO_SCREENSHOTS="$out/screenshots" \
        HUIJIAO_MODEL_DIR="${HUIJIAO_MODEL_DIR:-$root/../shared/models}" \
            java -Xmx2g -Djna.library.path="$target/debug" \
            -Drobolectric.offline=true -Drobolectric.dependency.dir="$tools/robolectric" \
            -Drobolectric.logging.enabled=false \
            -cp "$cfg:$tests:$classes:$bindings:/usr/share/java/jna.jar:$app_cp:$test_cp:$r_cp:$kc/lib/kotlin-stdlib.jar" \
            org.junit.runner.JUnitCore $testclasses || status=1
    done
    say "tests run"
    [ $status = 0 ]
fi

# ---- 6. the APKs --------------------------------------------------------------------------
# Signed with a key made for the build (a deployment signs with its own: HUIJIAO_KEYSTORE and
# HUIJIAO_KEYSTORE_PASS). Each carries, for arm64-v8a and x86_64, the core's library and JNA's
# dispatch library, compressed (extracted at install: android/README.md).
if [ "$what" = all ] || [ "$what" = apk ]; then
    scripts/android-core.sh arm64-v8a x86_64
    keystore=${HUIJIAO_KEYSTORE:-$out/build.keystore}
    pass=${HUIJIAO_KEYSTORE_PASS:-huijiao-build}
    if [ ! -f "$keystore" ]; then
        keytool -genkeypair -keystore "$keystore" -storepass "$pass" -keypass "$pass" -alias huijiao \
            -keyalg RSA -keysize 3072 -validity 10000 -dname "CN=Huijiao build, O=Huijiao, C=CN" >/dev/null 2>&1
    fi
    # The libraries every app carries, dexed once per change (D8's intermediate form, merged
    # into each app's dex below).
    d8() { java -cp "$tools/r8-8.5.35.jar" com.android.tools.r8.D8 --release --min-api 26 --lib "$android_all" "$@" 2>&1 |
        grep -v '^Warning' || true; }
    libs=$out/libs-dex-$(basename "$bindings" .jar)-$(sha256sum "$tools/app.cp" | cut -c1-8).zip
    if [ ! -f "$libs" ]; then
        rm -f "$out"/libs-dex-*.zip
        d8 --intermediate --output "$libs" "$bindings" "$jna/classes.jar" $(tr ':' ' ' <<<"$app_cp") "$kc/lib/kotlin-stdlib.jar"
    fi
    status=0
    for app in "${apps[@]}"; do
        o=$out/$app
        rm -rf "$o/dex" "$o/classes" && mkdir -p "$o/dex" "$o/classes/cn/huijiao"
        cp -r "$classes/cn/huijiao/ui" "$classes/cn/huijiao/$app" "$o/classes/cn/huijiao/"
        cp -r "$o/r/cn" "$o/classes/"
        (cd "$o/classes" && jar cf ../classes.jar .)
        d8 --output "$o/dex" "$o/classes.jar" "$libs"
        cp "$o/res.ap_" "$o/unsigned.apk"
        (cd "$o/dex" && zip -q -X "$o/unsigned.apk" classes*.dex)
        mkdir -p "$o/native/lib"
        for abi in arm64-v8a x86_64; do
            mkdir -p "$o/native/lib/$abi"
            cp "$jna/jni/$abi/libjnidispatch.so" "$out/jniLibs/$abi/libhuijiao_mobile.so" "$o/native/lib/$abi/"
        done
        (cd "$o/native" && zip -q -X -r -9 "$o/unsigned.apk" lib)
        zipalign -f -p 4 "$o/unsigned.apk" "$o/aligned.apk"
        apk=$out/huijiao-$app.apk
        apksigner sign --ks "$keystore" --ks-pass "pass:$pass" --out "$apk" "$o/aligned.apk"
        python3 scripts/check-apk.py "$apk" "$app" || status=1
    done
    say "APKs built"
    [ $status = 0 ]
fi
