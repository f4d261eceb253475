plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "cn.huijiao.officer"
    defaultConfig {
        applicationId = "cn.huijiao.officer"
        versionCode = 1
        versionName = "0.1.0"
    }
}
