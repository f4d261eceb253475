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
}
