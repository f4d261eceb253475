package cn.huijiao.officer

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import uniffi.huijiao_core.CaseListener
import uniffi.huijiao_core.CaseScreen
import uniffi.huijiao_core.CaseState

/**
 * One person's case: who they are and what binds them, what is due, recent check-ins, leave,
 * this month's education and service, sanctions in force; from here the officer asks for a
 * face check-in now or calls them (a video roll call), and the core says how it went.
 */
class CaseActivity : ScreenActivity(), CaseListener {
    private lateinit var screen: CaseScreen

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = handedIn() ?: return finish()
        hold(screen.watch(this))
        show(screen.state())
        refresh = { screen.refresh() }
    }

    override fun changed(state: CaseState) = onMain { show(state) }

    private fun show(s: CaseState) {
        title = s.name
        page.draw {
            heading("name", s.name)
            line("minor", s.minor, Page.Tone.Quiet)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
            facts("facts", s.facts)
            s.due.forEachIndexed { i, d -> line("due.$i", d, Page.Tone.Alert) }
            facts("checkins", s.checkins)
            facts("leaves", s.leaves)
            facts("months", s.months)
            facts("sanctions", s.sanctions)
            button("request_checkin", s.requestCheckinLabel, !s.loading) { launch { screen.requestCheckin() } }
            button("roll_call", s.rollCallLabel, !s.loading) { launch { screen.startRollCall() } }
        }
        follow(s.route)
    }
}
