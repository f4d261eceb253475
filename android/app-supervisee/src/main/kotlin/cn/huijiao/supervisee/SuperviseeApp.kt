package cn.huijiao.supervisee

import cn.huijiao.ui.HuijiaoApp
import cn.huijiao.ui.PasswordActivity
import cn.huijiao.ui.SettingsActivity
import cn.huijiao.ui.SignInActivity
import uniffi.huijiao_core.Role
import uniffi.huijiao_core.Route

/** 在矫通: the supervisee's app. The phone is bound to the person (its install id is sent). */
class SuperviseeApp : HuijiaoApp() {
    override val role = Role.SUPERVISEE
    override val home = Route.SUPERVISEE_TODAY
    override val boundPhone = true
    override val screens = mapOf(
        Route.SIGN_IN to SignInActivity::class.java,
        Route.CHANGE_PASSWORD to PasswordActivity::class.java,
        Route.SETTINGS to SettingsActivity::class.java,
        Route.SUPERVISEE_TODAY to TodayActivity::class.java,
        Route.CHECKIN to CheckinActivity::class.java,
        Route.ROLL_CALL to RollCallActivity::class.java,
        Route.LEAVE to LeavesActivity::class.java,
        Route.DECISIONS to DecisionsActivity::class.java,
        Route.STUDY to StudyActivity::class.java,
        Route.LESSON to LessonActivity::class.java,
        Route.SERVICE to ServiceActivity::class.java,
        Route.MOVE to MoveActivity::class.java,
    )
}
