// What the three apps share: drawing the core's states, the session, the device's capabilities.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android { namespace = "cn.huijiao.ui" }

dependencies {
    api(project(":core"))
    implementation("com.google.zxing:core:3.5.3")
}
