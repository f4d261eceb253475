package cn.huijiao.supervisee

import android.os.Bundle
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import uniffi.huijiao_core.Route
import uniffi.huijiao_core.StudyListener
import uniffi.huijiao_core.StudyScreen
import uniffi.huijiao_core.StudyState

/** Education this month (本月教育学习): the month's minutes, the courses, their lessons. */
class StudyActivity : ScreenActivity(), StudyListener {
    private var screen: StudyScreen? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        launch {
            val caseId = Session.caseId() ?: return@launch
            val s = Session.client.studyScreen(caseId, Session.outbox())
            screen = s
            hold(s.watch(this@StudyActivity))
            show(s.state())
            refresh = { s.refresh() }
            s.refresh()
        }
    }

    override fun changed(state: StudyState) = onMain { show(state) }

    private fun show(s: StudyState) {
        title = s.title
        val screen = screen ?: return
        page.draw {
            heading("title", s.title)
            line("month", s.month)
            line("freshness", s.freshness.note, if (s.freshness.offline) Page.Tone.Alert else Page.Tone.Quiet)
            line("message", s.message, Page.Tone.Alert)
            for (c in s.courses) {
                val detail = listOfNotNull(c.progress, c.due).joinToString("\n")
                row("course.${c.courseId}", c.title, detail, c.overdue) { screen.selectCourse(c.courseId) }
                if (c.selected) {
                    for (l in s.lessons) {
                        row("lesson.${l.lessonId}", l.title, "${l.kind}\n${l.detail}") {
                            launch {
                                // Lessons studied by time open here; quizzes and reflections
                                // have their own screens (not in this app yet).
                                if (l.route == Route.LESSON) screen.lesson(l.lessonId)?.let { open(Route.LESSON, it) }
                            }
                        }
                    }
                }
            }
        }
        follow(s.route)
    }
}
