// The Android apps for a workstation with Android Studio, the SDK and the NDK (android/README.md).
// The test command builds the same sources without Gradle (scripts/android.sh); this build is
// not run on the CI machines, which reach neither Google's Maven nor an SDK.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "huijiao-android"
include(":core", ":ui", ":testing", ":app-supervisee", ":app-officer", ":app-volunteer")
