package cn.huijiao.supervisee

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import uniffi.huijiao_core.LeaveFormListener
import uniffi.huijiao_core.LeaveFormScreen
import uniffi.huijiao_core.LeaveFormState

/**
 * Asking for leave (外出申请): the reasons, the dates and what the jurisdiction's rules say of
 * them as they change (days, who decides, too little notice), each field's problem named before
 * anything is sent, the server's refusal by field. Sent once; then the list of leaves.
 */
class LeaveFormActivity : ScreenActivity(), LeaveFormListener {
    private lateinit var screen: LeaveFormScreen

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = handedIn() ?: return finish()
        hold(screen.watch(this))
        show(screen.state())
    }

    override fun changed(state: LeaveFormState) = onMain { show(state) }

    private fun show(s: LeaveFormState) {
        title = s.title
        fun error(field: String) = s.errors.firstOrNull { it.field == field }?.message
        page.draw {
            heading("title", s.title)
            choices("reason", s.reasonLabel, s.reasons, error("reason_category")) { screen.setReason(it) }
            field("reason_text", s.reasonTextLabel, s.reasonText, error("reason_text"), Page.Kind.Long) {
                screen.setReasonText(it)
            }
            line("destination.label", s.destinationLabel, Page.Tone.Label)
            line("destination", s.destination)
            button("destination.pick", s.chooseDestinationLabel) {
                pickPlace { p -> screen.setDestination(p.name, p.lat, p.lon) }
            }
            line("destination.error", error("destination"), Page.Tone.Alert)
            date("start", s.startLabel, s.startDate, error("start_date")) { screen.setDates(it.toString(), s.endDate) }
            date("end", s.endLabel, s.endDate, error("end_date")) { screen.setDates(s.startDate, it.toString()) }
            field("contact", s.contactLabel, s.contact, error("contact_while_away"), Page.Kind.Phone) {
                screen.setContact(it)
            }
            check("urgent", s.urgentLabel, s.urgent) { screen.setUrgent(it) }
            line("urgent.error", error("urgent"), Page.Tone.Alert)
            s.notes.forEachIndexed { i, n -> line("note.$i", n, Page.Tone.Quiet) }
            line("message", s.message, Page.Tone.Alert)
            button("submit", s.submitLabel, s.canSubmit, s.submitWhyNot) { launch { screen.submit() } }
        }
        follow(s.route)
    }
}
