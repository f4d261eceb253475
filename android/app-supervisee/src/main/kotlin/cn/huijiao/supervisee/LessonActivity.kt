package cn.huijiao.supervisee

import android.os.Bundle
import android.os.Handler
import android.os.Looper
import android.os.SystemClock
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import uniffi.huijiao_core.LessonListener
import uniffi.huijiao_core.LessonScreen
import uniffi.huijiao_core.LessonState

/**
 * One lesson being studied (学习): its text, a beat to the core every `heartbeatSecs` saying
 * whether the app is in front and how long since the last touch, the time counted, and a face
 * check asked mid-lesson with the way to answer it.
 */
class LessonActivity : ScreenActivity(), LessonListener {
    private lateinit var screen: LessonScreen
    private val timer = Handler(Looper.getMainLooper())
    private var foreground = false
    private var touched = SystemClock.elapsedRealtime()
    private val beat = object : Runnable {
        override fun run() {
            val idle = ((SystemClock.elapsedRealtime() - touched) / 1000).toUInt()
            launch { screen.beat(0u, true, foreground, idle) }
            timer.postDelayed(this, screen.state().heartbeatSecs.toLong() * 1000)
        }
    }

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = handedIn() ?: return finish()
        hold(screen.watch(this))
        show(screen.state())
        timer.post(beat)
    }

    override fun onResume() {
        super.onResume()
        foreground = true
    }

    override fun onPause() {
        foreground = false
        super.onPause()
    }

    override fun onUserInteraction() {
        touched = SystemClock.elapsedRealtime()
    }

    override fun onDestroy() {
        timer.removeCallbacks(beat)
        super.onDestroy()
    }

    override fun changed(state: LessonState) = onMain { show(state) }

    private fun show(s: LessonState) {
        title = s.title
        page.draw {
            heading("title", s.title)
            line("kind", s.kind, Page.Tone.Quiet)
            line("credited", s.credited, Page.Tone.Good)
            line("completed", s.completedNote, Page.Tone.Good)
            s.faceCheckRoute?.let { route ->
                line("face-check", s.faceCheck, Page.Tone.Alert)
                button("face-check.go", s.faceCheckLabel) { open(route) }
            }
            line("waiting", s.waitingToSend, Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
            line("body", s.body)
            if (s.studying) {
                button("stop", s.stopLabel) {
                    timer.removeCallbacks(beat)
                    launch { screen.end() }
                }
            }
        }
        follow(s.route)
    }
}
