package cn.huijiao.officer

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.QueueListener
import uniffi.huijiao_core.QueueScreen
import uniffi.huijiao_core.QueueState
import uniffi.huijiao_core.Route

/** The work queue (待办事项): what waits for a decision, by kind, the urgent first. */
class QueueActivity : ScreenActivity(), QueueListener {
    private var screen: QueueScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        goOnline()
        launch {
            val s = Session.client.queueScreen(Session.outbox())
            screen = s
            hold(s.watch(this@QueueActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: QueueState) = onMain { show(state) }

    private fun show(s: QueueState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
            s.filters.forEachIndexed { i, f ->
                check("filter.$i", f.label, f.selected) { screen.show(f.kind) }
            }
            for (l in s.lines) {
                val detail = listOfNotNull(l.subject, l.person, l.waiting, l.due).joinToString("\n")
                row("line.${l.id}", l.title, detail, l.urgent) {
                    launch { screen.decide(l.id)?.let { open(Route.DECIDE, it) } }
                }
            }
            line("empty", s.emptyNote, Page.Tone.Quiet)
            line("more", s.moreNote, Page.Tone.Quiet)
            menu()
        }
        follow(s.route)
    }
}
