package cn.huijiao.officer

import cn.huijiao.ui.HuijiaoApp
import cn.huijiao.ui.PasswordActivity
import cn.huijiao.ui.SettingsActivity
import cn.huijiao.ui.SignInActivity
import uniffi.huijiao_core.Role
import uniffi.huijiao_core.Route

/** 矫务通: the officer's app. */
class OfficerApp : HuijiaoApp() {
    override val role = Role.OFFICER
    override val home = Route.OFFICER_QUEUE
    override val screens = mapOf(
        Route.SIGN_IN to SignInActivity::class.java,
        Route.CHANGE_PASSWORD to PasswordActivity::class.java,
        Route.SETTINGS to SettingsActivity::class.java,
        Route.OFFICER_QUEUE to QueueActivity::class.java,
        Route.DECIDE to DecideActivity::class.java,
        Route.CASES to CasesActivity::class.java,
        Route.CASE to CaseActivity::class.java,
    )
}
