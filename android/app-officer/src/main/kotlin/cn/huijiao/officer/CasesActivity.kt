package cn.huijiao.officer

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.CasesListener
import uniffi.huijiao_core.CasesScreen
import uniffi.huijiao_core.CasesState
import uniffi.huijiao_core.Route

/**
 * The caseload (矫正对象): the people of the officer's jurisdiction, found by name, narrowed
 * to one status or one supervision level; a minor's name masked as the core lists it. Kept on
 * the phone: shown with its age when the server cannot be reached.
 */
class CasesActivity : ScreenActivity(), CasesListener {
    private var screen: CasesScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        launch {
            val s = Session.client.casesScreen(Session.outbox())
            screen = s
            hold(s.watch(this@CasesActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: CasesState) = onMain { show(state) }

    private fun show(s: CasesState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
            field("search", s.searchLabel, s.query, null) { screen.setQuery(it) }
            for (c in s.statuses) check("status.${c.code}", c.label, c.chosen) { screen.showStatus(if (c.chosen) null else c.code) }
            for (c in s.levels) check("level.${c.code}", c.label, c.chosen) { screen.showLevel(if (c.chosen) null else c.code) }
            for (c in s.cases) {
                val detail = listOfNotNull(c.minor, c.detail, c.term).joinToString("\n")
                row("case.${c.id}", c.name, detail) { launch { open(Route.CASE, screen.case(c.id)) } }
            }
            line("empty", s.emptyNote, Page.Tone.Quiet)
        }
        follow(s.route)
    }
}
