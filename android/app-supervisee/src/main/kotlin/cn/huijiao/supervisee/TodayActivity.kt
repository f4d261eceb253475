package cn.huijiao.supervisee

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.TodayListener
import uniffi.huijiao_core.TodayState

/** Today (今日事项): what is due, freshest first from the phone, then from the server. */
class TodayActivity : ScreenActivity(), TodayListener {
    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        goOnline()
        launch {
            val caseId = try {
                Session.caseId()
            } catch (e: Exception) {
                null
            } ?: return@launch open(uniffi.huijiao_core.Route.SIGN_IN)
            val s = Session.client.todayScreen(caseId, Session.outbox())
            hold(s.watch(this@TodayActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: TodayState) = onMain { show(state) }

    private fun show(s: TodayState) {
        title = s.title
        page.draw {
            heading("title", s.title)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
            s.items.forEachIndexed { i, item ->
                row("item.$i", item.title, item.detail, item.urgent && !item.done) { open(item.route) }
            }
            line("empty", s.emptyNote, Page.Tone.Quiet)
            menu()
        }
        follow(s.route)
    }
}
