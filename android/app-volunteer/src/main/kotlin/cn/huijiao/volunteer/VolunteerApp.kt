package cn.huijiao.volunteer

import cn.huijiao.ui.HuijiaoApp
import cn.huijiao.ui.PasswordActivity
import cn.huijiao.ui.SettingsActivity
import cn.huijiao.ui.SignInActivity
import uniffi.huijiao_core.Role
import uniffi.huijiao_core.Route

/** 协矫通: the volunteer's app. It sees only what helping needs, and asks for no location. */
class VolunteerApp : HuijiaoApp() {
    override val role = Role.VOLUNTEER
    override val home = Route.VOLUNTEER_PEOPLE
    override val screens = mapOf(
        Route.SIGN_IN to SignInActivity::class.java,
        Route.CHANGE_PASSWORD to PasswordActivity::class.java,
        Route.SETTINGS to SettingsActivity::class.java,
        Route.VOLUNTEER_PEOPLE to PeopleActivity::class.java,
        Route.LOG_HELP to HelpLogActivity::class.java,
    )
}
