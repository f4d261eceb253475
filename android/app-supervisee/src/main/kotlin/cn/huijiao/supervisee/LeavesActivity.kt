package cn.huijiao.supervisee

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.LeaveAction
import uniffi.huijiao_core.LeavesListener
import uniffi.huijiao_core.LeavesScreen
import uniffi.huijiao_core.LeavesState

/**
 * My leave (我的请假): each request's dates and status in words, the buttons its state allows
 * now (those it does not, with the rule's words), and a new request.
 */
class LeavesActivity : ScreenActivity(), LeavesListener {
    private var screen: LeavesScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        launch {
            val caseId = Session.caseId() ?: return@launch
            val s = Session.client.leavesScreen(caseId)
            screen = s
            hold(s.watch(this@LeavesActivity))
            show(s.state())
            refresh = { s.refresh() }
        }
    }

    override fun changed(state: LeavesState) = onMain { show(state) }

    private fun show(s: LeavesState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("message", s.message, Page.Tone.Alert)
            for (l in s.lines) {
                row("leave.${l.id}", l.title, "${l.dates}\n${l.status}", onClick = null)
                for (b in l.buttons) {
                    // A longer leave is asked for on its own form (not in this app yet).
                    if (b.action == LeaveAction.EXTEND) continue
                    button("leave.${l.id}.${b.action}", b.label, b.enabled && !s.busy, b.whyNot) {
                        launch {
                            when (b.action) {
                                LeaveAction.CANCEL -> screen.cancel(l.id)
                                LeaveAction.DEPART -> screen.depart(l.id)
                                LeaveAction.RETURN -> screen.reportReturn(l.id)
                                else -> {}
                            }
                        }
                    }
                }
            }
            line("empty", s.emptyNote, Page.Tone.Quiet)
            button("apply", s.applyLabel) {
                launch {
                    val caseId = Session.caseId() ?: return@launch
                    open(LeaveFormActivity::class.java, Session.client.leaveFormScreen(caseId))
                }
            }
        }
        follow(s.route)
    }
}
