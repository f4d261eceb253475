package cn.huijiao.supervisee

import android.Manifest
import android.content.pm.PackageManager
import android.os.Bundle
import android.view.TextureView
import android.widget.LinearLayout
import cn.huijiao.ui.Camera
import cn.huijiao.ui.Device
import cn.huijiao.ui.Fixes
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.CheckinListener
import uniffi.huijiao_core.CheckinScreen
import uniffi.huijiao_core.CheckinState
import uniffi.huijiao_core.CheckinStep
import uniffi.huijiao_mobile.deviceWords

/**
 * The face check-in (人脸签到): the front camera's preview, the pose the core asks for, one
 * photo per pose handed to the core, the outcome in the core's words. The phone's location goes
 * with it; offline, the core keeps one photo in the outbox.
 */
class CheckinActivity : ScreenActivity(), CheckinListener {
    private lateinit var screen: CheckinScreen
    private lateinit var camera: Camera
    private lateinit var fixes: Fixes
    private var allowed = false
    private var located = false
    private var cameraFailed = false
    private val words by lazy { deviceWords(Session.language()) }

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        camera = Device.camera(this)
        fixes = Fixes(this) { fix -> screen.setLocation(fix) }
        launch {
            val version = packageManager.getPackageInfo(packageName, 0).versionName ?: ""
            screen = Session.client.checkinScreen(Session.outbox(), version)
            hold(screen.watch(this@CheckinActivity))
            show(screen.state())
            askForDevices()
        }
    }

    private fun askForDevices() {
        val wanted = arrayOf(Manifest.permission.CAMERA, Manifest.permission.ACCESS_FINE_LOCATION)
        if (wanted.all { checkSelfPermission(it) == PackageManager.PERMISSION_GRANTED }) {
            devicesAllowed()
        } else {
            requestPermissions(wanted, ASKED)
        }
    }

    override fun onRequestPermissionsResult(code: Int, permissions: Array<out String>, results: IntArray) {
        if (code == ASKED && results.isNotEmpty() && results.all { it == PackageManager.PERMISSION_GRANTED }) {
            devicesAllowed()
        } else {
            show(screen.state())
        }
    }

    private fun devicesAllowed() {
        allowed = true
        camera.start(page.find("preview") as TextureView)
        located = fixes.start(5_000)
        show(screen.state())
    }

    override fun onDestroy() {
        if (this::camera.isInitialized) camera.stop()
        if (this::fixes.isInitialized) fixes.stop()
        super.onDestroy()
    }

    override fun changed(state: CheckinState) = onMain { show(state) }

    private fun show(s: CheckinState) {
        title = s.title
        page.draw {
            heading("title", s.title)
            custom("preview") {
                TextureView(this@CheckinActivity).apply {
                    layoutParams = LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, dp(320))
                }
            }
            if (!allowed) line("why", words.cameraWhy + "\n" + words.locationWhy, Page.Tone.Quiet)
            if (allowed && !located) line("no-location", words.noLocation, Page.Tone.Alert)
            if (cameraFailed) line("no-camera", words.noCamera, Page.Tone.Alert)
            line("prompt", s.prompt)
            if (s.poseCount > 1u && s.step == CheckinStep.CAPTURING) {
                line("progress", "${s.poseIndex + 1u} / ${s.poseCount}", Page.Tone.Quiet)
            }
            when (s.step) {
                CheckinStep.READY -> button("start", s.startLabel, allowed, if (allowed) null else words.noCamera) {
                    launch { screen.start() }
                }
                CheckinStep.CAPTURING, CheckinStep.SENDING -> button("capture", s.captureLabel, s.canCapture, s.captureWhyNot) {
                    launch {
                        val jpeg = try {
                            camera.take(s.pose)
                        } catch (e: Exception) {
                            null
                        }
                        cameraFailed = jpeg == null
                        if (jpeg != null) screen.capture(jpeg) else show(screen.state())
                    }
                }
                else -> {}
            }
            s.outcome?.let { o ->
                line("outcome", o.headline, if (o.result == uniffi.huijiao_core.CheckinResult.PASSED) Page.Tone.Good else Page.Tone.Alert)
                o.lines.forEachIndexed { i, l -> line("outcome.$i", l) }
            }
            line("message", s.message, Page.Tone.Alert)
            if (s.canRetry) button("retry", s.retryLabel) { screen.retry() }
        }
        follow(s.route)
    }

    companion object {
        const val ASKED = 1
    }
}
