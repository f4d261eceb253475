// The Rust core for the apps: libhuijiao_mobile.so for each ABI (cargo-ndk, the workspace's
// `android` profile, as scripts/android-core.sh builds it here) and its uniffi
// Kotlin bindings, generated from the library itself.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android { namespace = "cn.huijiao.core" }

val repo = rootDir.parentFile
val generated = layout.buildDirectory.dir("generated/uniffi")
val jniLibs = layout.buildDirectory.dir("jniLibs")

val cargoNdk by tasks.registering(Exec::class) {
    workingDir = repo
    commandLine(
        "cargo", "ndk", "-t", "arm64-v8a", "-t", "x86_64", "-P", "26", "-o", jniLibs.get().asFile.path,
        "build", "-p", "huijiao-mobile", "--profile", "android",
    )
}
val bindings by tasks.registering(Exec::class) {
    dependsOn(cargoNdk)
    workingDir = repo
    commandLine(
        "cargo", "run", "-p", "huijiao-mobile", "--features", "cli", "--bin", "uniffi-bindgen", "--",
        "generate", "--library", jniLibs.get().file("x86_64/libhuijiao_mobile.so").asFile.path,
        "-l", "kotlin", "-o", generated.get().asFile.path,
    )
}
android.sourceSets["main"].apply {
    java.srcDir(generated)
    jniLibs.srcDir(jniLibs)
}
tasks.named("preBuild") { dependsOn(bindings) }

dependencies {
    api("net.java.dev.jna:jna:5.19.1@aar")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}
