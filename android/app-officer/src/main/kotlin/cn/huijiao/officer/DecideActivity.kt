package cn.huijiao.officer

import android.graphics.BitmapFactory
import android.os.Bundle
import android.widget.ImageView
import android.widget.LinearLayout
import cn.huijiao.ui.Page
import cn.huijiao.ui.ScreenActivity
import uniffi.huijiao_core.DecisionListener
import uniffi.huijiao_core.DecisionScreen
import uniffi.huijiao_core.DecisionState

/**
 * Deciding what waits (a request, a review, marks, an alert, a phone, a sanction): the facts,
 * the picture when there is one, the opinion or the marks the decision needs, approve or reject.
 * What changed meanwhile is said before deciding again.
 */
class DecideActivity : ScreenActivity(), DecisionListener {
    private lateinit var screen: DecisionScreen

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = handedIn() ?: return finish()
        hold(screen.watch(this))
        show(screen.state())
        if (screen.state().hasPicture) {
            launch {
                val bytes = screen.picture() ?: return@launch
                (page.find("picture") as? ImageView)?.setImageBitmap(BitmapFactory.decodeByteArray(bytes, 0, bytes.size))
            }
        }
    }

    override fun changed(state: DecisionState) = onMain { show(state) }

    private fun show(s: DecisionState) {
        title = s.title
        page.draw {
            heading("title", s.title)
            line("person", s.person)
            facts("facts", s.facts)
            if (s.hasPicture) {
                custom("picture") {
                    ImageView(this@DecideActivity).apply {
                        layoutParams = LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, dp(240))
                        adjustViewBounds = true
                        contentDescription = s.title
                    }
                }
            }
            s.changed.forEachIndexed { i, c -> line("changed.$i", c, Page.Tone.Alert) }
            for (m in s.marks) {
                line("mark.${m.questionId}.prompt", m.prompt, Page.Tone.Label)
                line("mark.${m.questionId}.answer", m.answer)
                field("mark.${m.questionId}", m.outOf, m.points?.toString() ?: "", m.error, Page.Kind.Number) { text ->
                    text.toUIntOrNull()?.let { screen.setPoints(m.questionId, it) }
                }
            }
            s.opinionLabel?.let { label ->
                field("opinion", label, s.opinion, s.opinionError, Page.Kind.Long) { screen.setOpinion(it) }
                line("opinion.hint", s.opinionHint, Page.Tone.Quiet)
            }
            line("message", s.message, Page.Tone.Alert)
            button("approve", s.approveLabel, s.canDecide && !s.busy, s.whyNot) { launch { screen.approve() } }
            s.rejectLabel?.let { label ->
                button("reject", label, s.canDecide && !s.busy) { launch { screen.reject() } }
            }
        }
        follow(s.route)
    }
}
