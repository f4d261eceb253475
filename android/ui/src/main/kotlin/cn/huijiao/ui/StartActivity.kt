package cn.huijiao.ui

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import uniffi.huijiao_core.Route

/** The launcher's entry: the home of the signed-in user, or signing in. */
class StartActivity : Activity() {
    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        val route = if (Session.client.isSignedIn()) Session.app.home else Route.SIGN_IN
        Session.app.screens[route]?.let {
            startActivity(Intent(this, it).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TASK))
        }
        finish()
    }
}
