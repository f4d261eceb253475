plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "cn.huijiao.supervisee"
    defaultConfig {
        applicationId = "cn.huijiao.supervisee"
        versionCode = 1
        versionName = "0.1.0"
    }
}
