package cn.huijiao.volunteer

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.PeopleListener
import uniffi.huijiao_core.PeopleScreen
import uniffi.huijiao_core.PeopleState
import uniffi.huijiao_core.Route

/**
 * My people (我的帮扶对象): the people the volunteer helps (names masked as the server masks
 * them), when each was last helped, what was returned, and what still waits on the phone.
 */
class PeopleActivity : ScreenActivity(), PeopleListener {
    private var screen: PeopleScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        goOnline()
        launch {
            val outbox = Session.outbox()
            val s = Session.client.peopleScreen(outbox)
            screen = s
            hold(s.watch(this@PeopleActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: PeopleState) = onMain { show(state) }

    private fun show(s: PeopleState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("waiting", s.waitingToSend, Page.Tone.Quiet)
            line("refused", s.refused, Page.Tone.Alert)
            line("message", s.message, Page.Tone.Alert)
            for (p in s.people) {
                val detail = listOfNotNull(p.lastHelped, p.returned).joinToString("\n")
                row("person.${p.caseId}", p.name, detail, p.returned != null) {
                    screen.logHelp(p.caseId)?.let { open(Route.LOG_HELP, it) }
                }
            }
            line("empty", s.emptyNote, Page.Tone.Quiet)
            menu()
        }
        follow(s.route)
    }
}
