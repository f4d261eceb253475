package cn.huijiao.ui

import android.content.Context
import android.os.Bundle
import uniffi.huijiao_core.SettingsListener
import uniffi.huijiao_core.SettingsScreen
import uniffi.huijiao_core.SettingsState

/**
 * Settings (every app): the account, the app's language, what waits on the phone to be sent
 * (sent now on demand), the version, and signing out (said first when records still wait).
 */
class SettingsActivity : ScreenActivity(), SettingsListener {
    private var screen: SettingsScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        launch {
            val s = Session.client.settingsScreen(Session.outbox())
            screen = s
            hold(s.watch(this@SettingsActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: SettingsState) = onMain { show(state) }

    private fun show(s: SettingsState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("account", s.account)
            choices("language", s.languageLabel, s.languages) { code ->
                if (code != Session.language()) {
                    Session.useLanguage(code)
                    recreate()
                }
            }
            line("pending", s.pendingNote, Page.Tone.Quiet)
            s.pending.forEachIndexed { i, p ->
                row("pending.$i", p.kind, "${p.made}\n${p.status}", p.refused, onClick = null)
            }
            if (s.pending.isNotEmpty()) button("send", s.sendNowLabel, !s.busy) { launch { screen.sendNow() } }
            line("message", s.message, Page.Tone.Alert)
            line("sign-out.note", s.signOutNote, Page.Tone.Alert)
            button("sign-out", s.signOutLabel, !s.busy) { launch { screen.signOut() } }
            line("version", s.version, Page.Tone.Quiet)
        }
        follow(s.route)
    }
}
