package cn.huijiao.volunteer

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import uniffi.huijiao_core.HelpLogListener
import uniffi.huijiao_core.HelpLogScreen
import uniffi.huijiao_core.HelpLogState

/**
 * Logging help given (记录帮扶): the kind, when and how long, what was done and said, the risks
 * seen (and whom they alert), follow-up. Offline, the core keeps it on the phone and sends it
 * when the server is back.
 */
class HelpLogActivity : ScreenActivity(), HelpLogListener {
    private lateinit var screen: HelpLogScreen

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = handedIn() ?: return finish()
        hold(screen.watch(this))
        show(screen.state())
    }

    override fun changed(state: HelpLogState) = onMain { show(state) }

    private fun show(s: HelpLogState) {
        title = s.title
        fun error(field: String) = s.errors.firstOrNull { it.field == field }?.message
        page.draw {
            heading("title", s.title)
            line("person", s.person)
            choices("kind", s.kindLabel, s.kinds, error("kind")) { screen.setKind(it) }
            moment("began", s.beganLabel, s.began, error("began_at")) { screen.setBegan(it) }
            field("minutes", s.minutesLabel, s.minutes?.toString() ?: "", error("minutes"), Page.Kind.Number) { text ->
                text.toUIntOrNull()?.let { screen.setMinutes(it) }
            }
            field("notes", s.notesLabel, s.notes, error("notes"), Page.Kind.Long) { screen.setNotes(it) }
            toggles("risks", s.risksLabel, s.risks) { screen.toggleRisk(it) }
            line("risk-note", s.riskNote, Page.Tone.Alert)
            field("follow-up", s.followUpLabel, s.followUp, error("follow_up"), Page.Kind.Long) { screen.setFollowUp(it) }
            line("message", s.message, if (s.done) Page.Tone.Good else Page.Tone.Alert)
            if (!s.done) button("submit", s.submitLabel, s.canSubmit, s.submitWhyNot) { launch { screen.submit() } }
        }
        follow(s.route)
    }
}
