package cn.huijiao.ui

import android.os.Bundle
import uniffi.huijiao_core.PlacePickerListener
import uniffi.huijiao_core.PlacePickerScreen
import uniffi.huijiao_core.PlacePickerState

/**
 * Choosing a place without a map (every form that asks where: a leave's destination, a new
 * home): province, city, county — or a name searched — then the street if wanted. The form
 * that opened it hands in the core's picker and reads its `result` when it is shown again.
 */
class PlacePickerActivity : ScreenActivity(), PlacePickerListener {
    private lateinit var screen: PlacePickerScreen

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        screen = handedIn() ?: return finish()
        hold(screen.watch(this))
        show(screen.state())
    }

    override fun changed(state: PlacePickerState) = onMain { show(state) }

    private fun show(s: PlacePickerState) {
        title = s.title
        if (s.result != null) return finish()
        fun error(field: String) = s.errors.firstOrNull { it.field == field }?.message
        page.draw {
            heading("title", s.title)
            field("search", s.searchLabel, s.search, null) { screen.search(it) }
            s.path.forEach { p -> row("path.${p.code}", p.label, null) { screen.open(p.code) } }
            line("empty", s.emptyNote, Page.Tone.Quiet)
            s.rows.forEach { r -> row("area.${r.code}", r.name, r.within) { screen.open(r.code) } }
            line("chosen", s.chosen)
            field("detail", s.detailLabel, s.detail, error("detail")) { screen.setDetail(it) }
            button("done", s.doneLabel, s.canDone, s.doneWhyNot) { screen.done() }
        }
    }
}
