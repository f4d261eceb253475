package cn.huijiao.ui

import android.os.Bundle
import uniffi.huijiao_core.PasswordListener
import uniffi.huijiao_core.PasswordScreen
import uniffi.huijiao_core.PasswordState

/**
 * A new password (every app): after a reset before anything else, or from settings. The
 * passwords are never part of the state; the fields keep what is typed.
 */
class PasswordActivity : ScreenActivity(), PasswordListener {
    private lateinit var screen: PasswordScreen

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = Session.client.passwordScreen()
        hold(screen.watch(this))
        show(screen.state())
    }

    override fun changed(state: PasswordState) = onMain { show(state) }

    private fun show(s: PasswordState) {
        title = s.title
        fun error(field: String) = s.errors.firstOrNull { it.field == field }?.message
        page.draw {
            heading("title", s.title)
            field("current", s.currentLabel, "", error("current_password"), Page.Kind.Password) { screen.setCurrent(it) }
            field("new", s.newLabel, "", error("new_password"), Page.Kind.Password) { screen.setNew(it) }
            field("confirm", s.confirmLabel, "", error("confirm"), Page.Kind.Password) { screen.setConfirm(it) }
            line("message", s.message, Page.Tone.Alert)
            button("submit", s.submitLabel, s.canSubmit, s.submitWhyNot) { launch { screen.submit() } }
        }
        follow(s.route)
    }
}
