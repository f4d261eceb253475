package cn.huijiao.supervisee

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.MoveFormListener
import uniffi.huijiao_core.MoveFormScreen
import uniffi.huijiao_core.MoveFormState

/**
 * Asking to move (居住地变更申请): the office of the new place, the new home chosen in the
 * place picker (its area, then the street), the day — at least the jurisdiction's notice ahead —
 * and the reason, each field's problem named before sending; who decides; the person's moves
 * with where each stands, one waiting withdrawn.
 */
class MoveActivity : ScreenActivity(), MoveFormListener {
    private var screen: MoveFormScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        launch {
            val caseId = Session.caseId() ?: return@launch
            val s = Session.client.moveFormScreen(caseId)
            screen = s
            hold(s.watch(this@MoveActivity))
            show(s.state())
            refresh = { s.refresh() }
        }
    }

    override fun changed(state: MoveFormState) = onMain { show(state) }

    private fun show(s: MoveFormState) {
        title = s.title
        val screen = screen ?: return
        fun error(field: String) = s.errors.firstOrNull { it.field == field }?.message
        page.draw {
            heading("title", s.title)
            line("note", s.note, Page.Tone.Quiet)
            choices("unit", s.unitLabel, s.units, error("to_unit_id")) { screen.setUnit(it) }
            line("address.label", s.addressLabel, Page.Tone.Label)
            line("address", s.address.ifEmpty { null })
            button("place", s.choosePlaceLabel) {
                pickPlace { p -> screen.setNewHome(p.name, p.lat, p.lon) }
            }
            line("place.error", error("new_residence") ?: error("new_residence.address"), Page.Tone.Alert)
            date("move_date", s.moveDateLabel, s.moveDate, error("move_date")) { screen.setMoveDate(it.toString()) }
            line("notice", s.notice, Page.Tone.Quiet)
            field("reason", s.reasonLabel, s.reason, error("reason"), Page.Kind.Long) { screen.setReason(it) }
            line("message", s.message, if (s.done) Page.Tone.Good else Page.Tone.Alert)
            if (!s.done) button("submit", s.submitLabel, s.canSubmit, s.submitWhyNot) { launch { screen.submit() } }
            for (m in s.moves) {
                val detail = listOfNotNull(m.moveDate, m.status, m.opinion).joinToString("\n")
                row("move.${m.id}", m.address, detail, onClick = null)
                if (m.canCancel) button("move.${m.id}.cancel", s.cancelLabel, !s.busy) { launch { screen.cancel(m.id) } }
            }
        }
        follow(s.route)
    }
}
