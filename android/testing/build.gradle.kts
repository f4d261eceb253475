// The apps' Robolectric tests' harness: the live server, the test photos, finding views.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android { namespace = "cn.huijiao.testing" }

dependencies {
    implementation(project(":ui"))
    implementation("org.robolectric:robolectric:4.17")
    implementation("junit:junit:4.13.2")
}
