package cn.huijiao.supervisee

import android.Manifest
import android.content.pm.PackageManager
import android.os.Bundle
import cn.huijiao.ui.Fixes
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScanActivity
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.ServiceListener
import uniffi.huijiao_core.ServiceScreen
import uniffi.huijiao_core.ServiceState
import uniffi.huijiao_mobile.deviceWords

/**
 * Community service this month (本月公益活动): the minutes credited against those owed; the
 * activities coming up with their time, place and places left, signed up for or withdrawn from
 * as the state table allows; on site, the organiser's code scanned with the back camera while
 * the phone's fix goes with it (a check-in, then a check-out with the minutes counted).
 */
class ServiceActivity : ScreenActivity(), ServiceListener {
    private var screen: ServiceScreen? = null
    private var fixes: Fixes? = null
    private var asked = false
    private val words by lazy { deviceWords(Session.language()) }

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        launch {
            val caseId = Session.caseId() ?: return@launch
            val s = Session.client.serviceScreen(caseId, Session.outbox())
            screen = s
            hold(s.watch(this@ServiceActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
            locate()
        }
    }

    /**
     * While the screen is shown, the phone's fixes go to it for the next scan (a scan without
     * one is refused); none are asked for once it is put away.
     */
    private fun locate() {
        val s = screen ?: return
        if (fixes != null) return
        if (checkSelfPermission(Manifest.permission.ACCESS_FINE_LOCATION) != PackageManager.PERMISSION_GRANTED) {
            // Asked once per screen: the dialog's closing resumes the screen, which would ask again.
            if (!asked) requestPermissions(arrayOf(Manifest.permission.ACCESS_FINE_LOCATION), ASKED)
            asked = true
            return
        }
        val f = Fixes(this) { fix -> s.setLocation(fix) }
        if (f.start(FIX_MS)) fixes = f
        show(s.state())
    }

    override fun onRequestPermissionsResult(code: Int, permissions: Array<out String>, results: IntArray) {
        if (code == ASKED && results.isNotEmpty() && results.all { it == PackageManager.PERMISSION_GRANTED }) locate()
    }

    override fun onResume() {
        super.onResume()
        locate()
    }

    override fun onPause() {
        fixes?.stop()
        fixes = null
        super.onPause()
    }

    override fun changed(state: ServiceState) = onMain { show(state) }

    private fun show(s: ServiceState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("month", s.month)
            line("message", s.message, Page.Tone.Alert)
            for (a in s.activities) {
                val detail = listOfNotNull(a.kind, a.`when`, a.place, a.places, a.status).joinToString("\n")
                row("activity.${a.id}", a.title, detail, onClick = null)
                if (a.canSignUp) button("activity.${a.id}.sign_up", s.signUpLabel, !s.busy) { launch { screen.signUp(a.id) } }
                if (a.canWithdraw) button("activity.${a.id}.withdraw", s.withdrawLabel, !s.busy) { launch { screen.withdraw(a.id) } }
                a.onSite?.let { scan ->
                    button("activity.${a.id}.scan", scan, s.scanWhyNot == null && !s.busy, s.scanWhyNot) {
                        open(ScanActivity::class.java, ScanActivity.Request { code -> launch { screen.scan(code) } })
                    }
                }
            }
            line("empty", s.emptyNote, Page.Tone.Quiet)
            if (fixes == null && s.activities.any { it.onSite != null }) line("no-location", words.noLocation, Page.Tone.Quiet)
        }
        follow(s.route)
    }

    companion object {
        private const val ASKED = 3
        private const val FIX_MS = 10_000L
    }
}
