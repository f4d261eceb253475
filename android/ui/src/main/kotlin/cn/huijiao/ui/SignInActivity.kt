package cn.huijiao.ui

import android.os.Bundle
import uniffi.huijiao_core.SignInListener
import uniffi.huijiao_core.SignInScreen
import uniffi.huijiao_core.SignInState

/** Signing in (every app): the core checks the fields, signs in and names the next screen. */
class SignInActivity : ScreenActivity(), SignInListener {
    private lateinit var screen: SignInScreen

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = Session.client.signInScreen()
        hold(screen.watch(this))
        show(screen.state())
    }

    override fun changed(state: SignInState) = onMain { show(state) }

    private fun show(s: SignInState) {
        title = s.title
        page.draw {
            heading("title", s.title)
            field("username", s.usernameLabel, s.username, s.errors.firstOrNull { it.field == "username" }?.message) {
                screen.setUsername(it)
            }
            // The password is never part of the state: the field keeps what is typed.
            field("password", s.passwordLabel, "", s.errors.firstOrNull { it.field == "password" }?.message, Page.Kind.Password) {
                screen.setPassword(it)
            }
            line("message", s.message, Page.Tone.Alert)
            button("submit", s.submitLabel, !s.busy, s.submitWhyNot) {
                // Whoever signs in now, the last user's case is not theirs.
                Session.forgetMe()
                launch { screen.submit() }
            }
        }
        follow(s.route)
    }
}
