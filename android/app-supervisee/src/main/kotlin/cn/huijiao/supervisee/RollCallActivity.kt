package cn.huijiao.supervisee

import android.Manifest
import android.annotation.SuppressLint
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Bundle
import android.webkit.PermissionRequest
import android.webkit.WebChromeClient
import android.webkit.WebView
import android.widget.LinearLayout
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.RollCallListener
import uniffi.huijiao_core.RollCallScreen
import uniffi.huijiao_core.RollCallState
import uniffi.huijiao_mobile.deviceWords

/**
 * The video roll call (视频点名): the call ringing and until when, answered in a WebView on the
 * page the server serves for it (the same page tested in Chromium), with the camera and the
 * microphone given to that page only; how the last call ended.
 */
class RollCallActivity : ScreenActivity(), RollCallListener {
    private var screen: RollCallScreen? = null
    private var answering: String? = null
    private val words by lazy { deviceWords(Session.language()) }

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        // Opened by a ringing call's notice: over the lock screen, the screen turned on.
        setShowWhenLocked(true)
        setTurnScreenOn(true)
        launch {
            val caseId = Session.caseId() ?: return@launch
            val s = Session.client.rollCallScreen(caseId)
            screen = s
            hold(s.watch(this@RollCallActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: RollCallState) = onMain { show(state) }

    private fun answer(url: String) {
        val wanted = arrayOf(Manifest.permission.CAMERA, Manifest.permission.RECORD_AUDIO)
        if (wanted.any { checkSelfPermission(it) != PackageManager.PERMISSION_GRANTED }) {
            requestPermissions(wanted, ASKED)
            return
        }
        answering = url
        screen?.let { show(it.state()) }
    }

    override fun onRequestPermissionsResult(code: Int, permissions: Array<out String>, results: IntArray) {
        val url = screen?.state()?.answerUrl
        if (code == ASKED && url != null && results.isNotEmpty() && results.all { it == PackageManager.PERMISSION_GRANTED }) {
            answer(url)
        } else {
            screen?.let { show(it.state()) }
        }
    }

    @SuppressLint("SetJavaScriptEnabled") // the server's own answer page, nothing else
    private fun Page.callPage(url: String) {
        val web = custom("call") {
            WebView(this@RollCallActivity).apply {
                layoutParams = LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, dp(480))
                settings.javaScriptEnabled = true
                settings.mediaPlaybackRequiresUserGesture = false
                webChromeClient = object : WebChromeClient() {
                    // The camera and microphone go to the answer page's own origin only.
                    override fun onPermissionRequest(request: PermissionRequest) {
                        if (origin(request.origin) == origin(Uri.parse(url))) {
                            request.grant(request.resources)
                        } else {
                            request.deny()
                        }
                    }
                }
            }
        }
        if (web.url != url) web.loadUrl(url)
    }

    private fun origin(u: Uri) = "${u.scheme}://${u.authority}"

    private fun show(s: RollCallState) {
        title = s.title
        page.draw {
            heading("title", s.title)
            line("detail", s.detail, if (s.ringing) Page.Tone.Alert else Page.Tone.Plain)
            val url = s.answerUrl
            if (url != null && answering == url) {
                callPage(url)
            } else if (url != null) {
                val allowed = checkSelfPermission(Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED
                button("answer", s.answerLabel) { answer(url) }
                if (!allowed) line("why", words.cameraWhy, Page.Tone.Quiet)
            }
            line("last", s.last, Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
        }
        follow(s.route)
    }

    companion object {
        const val ASKED = 2
    }
}
