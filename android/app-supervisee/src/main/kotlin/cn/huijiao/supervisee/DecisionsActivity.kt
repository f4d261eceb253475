package cn.huijiao.supervisee

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.DecisionsListener
import uniffi.huijiao_core.DecisionsScreen
import uniffi.huijiao_core.DecisionsState

/**
 * Decisions and notices (决定与提醒): each decision made about the person, its legal ground and
 * reason, to be read and acknowledged (签收); the notices they were given.
 */
class DecisionsActivity : ScreenActivity(), DecisionsListener {
    private var screen: DecisionsScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        launch {
            val caseId = Session.caseId() ?: return@launch
            val s = Session.client.decisionsScreen(caseId, Session.outbox())
            screen = s
            hold(s.watch(this@DecisionsActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: DecisionsState) = onMain { show(state) }

    private fun show(s: DecisionsState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
            for (d in s.decisions) {
                row("decision.${d.id}", d.title, listOf(d.decided, d.ground, d.reason, d.status).joinToString("\n"), d.canAcknowledge, onClick = null)
                if (d.canAcknowledge) button("decision.${d.id}.ack", s.acknowledgeLabel, !s.loading) { launch { screen.acknowledge(d.id) } }
            }
            for (n in s.notices) row("notice.${n.id}", n.title, "${n.`when`}\n${n.status}", onClick = null)
            line("empty", s.emptyNote, Page.Tone.Quiet)
        }
        follow(s.route)
    }
}
