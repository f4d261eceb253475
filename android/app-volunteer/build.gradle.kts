plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "cn.huijiao.volunteer"
    defaultConfig {
        applicationId = "cn.huijiao.volunteer"
        versionCode = 1
        versionName = "0.1.0"
    }
}
