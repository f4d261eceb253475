plugins {
    id("com.android.application") version "8.7.3" apply false
    id("com.android.library") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.0" apply false
}

// What every module shares: the SDKs (minSdk 26 = Android 8), Java 8 bytecode, Kotlin sources
// under src/*/kotlin.
subprojects {
    plugins.withId("com.android.base") {
        extensions.configure<com.android.build.api.dsl.CommonExtension<*, *, *, *, *, *>>("android") {
            compileSdk = 35
            defaultConfig {
                minSdk = 26
            }
            sourceSets.configureEach { java.srcDir("src/$name/kotlin") }
            compileOptions {
                sourceCompatibility = JavaVersion.VERSION_1_8
                targetCompatibility = JavaVersion.VERSION_1_8
            }
        }
    }

    // The three apps: the shared module, Robolectric tests with the apps' own resources, run
    // against the live server and the host's library as scripts/android.sh runs them.
    plugins.withId("com.android.application") {
        extensions.configure<com.android.build.api.dsl.ApplicationExtension>("android") {
            defaultConfig {
                targetSdk = 35
            }
            // Native libraries compressed, extracted at install (the manifests say so too):
            // a smaller APK, and no 16 KB zip alignment needed for Android 15's 16 KB pages.
            packaging.jniLibs.useLegacyPackaging = true
            testOptions.unitTests.isIncludeAndroidResources = true
        }
        dependencies {
            "implementation"(project(":ui"))
            "testImplementation"(project(":testing"))
            "testImplementation"("org.robolectric:robolectric:4.17")
            "testImplementation"("junit:junit:4.13.2")
        }
        tasks.withType<Test>().configureEach {
            val target = System.getenv("CARGO_TARGET_DIR") ?: rootDir.resolve("../target").path
            environment("HUIJIAO_SERVER_BIN", "$target/debug/huijiao-server")
            environment("HUIJIAO_PHOTOS", "$target/android/photos")
            systemProperty("jna.library.path", "$target/debug")
        }
    }
}
