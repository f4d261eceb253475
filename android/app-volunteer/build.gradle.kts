plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "cn.huijiao.volunteer"
    defaultConfig {
        applicationId = "cn.huijiao.volunteer"
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }
    testOptions.unitTests.isIncludeAndroidResources = true
}

dependencies {
    implementation(project(":ui"))
    testImplementation(project(":testing"))
    testImplementation("org.robolectric:robolectric:4.17")
    testImplementation("junit:junit:4.13.2")
}

// The tests run against the live server and the host's library, as scripts/android.sh runs them.
tasks.withType<Test>().configureEach {
    val target = System.getenv("CARGO_TARGET_DIR") ?: rootDir.resolve("../target").path
    environment("HUIJIAO_SERVER_BIN", "$target/debug/huijiao-server")
    environment("HUIJIAO_PHOTOS", "$target/android/photos")
    systemProperty("jna.library.path", "$target/debug")
}
