package cn.huijiao.ui

import android.app.Activity
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import android.os.Bundle
import android.os.Handler
import android.os.Looper
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.MainScope
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import uniffi.huijiao_core.EventView
import uniffi.huijiao_core.Place
import uniffi.huijiao_core.PlacePickerScreen
import uniffi.huijiao_core.Route
import uniffi.huijiao_core.Watching
import uniffi.huijiao_mobile.menu

/**
 * What every screen of the apps does the same way: a [Page] drawn from the core's state, the
 * core's calls made off the main thread and their states drawn on it, the `watch` handles
 * stopped with the screen, live events handed to the screen shown, and the routes the states
 * name followed once each.
 */
abstract class ScreenActivity : Activity() {
    val scope: CoroutineScope = MainScope()
    lateinit var page: Page
    private val main = Handler(Looper.getMainLooper())
    private val watching = ArrayList<Watching>()
    private var went: Route? = null

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        page = Page(this)
        setContentView(page.view)
    }

    override fun onResume() {
        super.onResume()
        Live.showing = this
        placing?.let { (picker, onPlace) ->
            picker.state().result?.let { place ->
                placing = null
                onPlace(place)
            }
        }
        refreshNow()
    }

    /** The place picker this screen opened, and where its place goes once chosen. */
    private var placing: Pair<PlacePickerScreen, (Place) -> Unit>? = null

    /** Opens the place picker; `onPlace` gets its place when this screen is shown again. */
    fun pickPlace(onPlace: (Place) -> Unit) {
        val picker = Session.client.placePickerScreen()
        placing = picker to onPlace
        open(PlacePickerActivity::class.java, picker)
    }

    override fun onPause() {
        if (Live.showing === this) Live.showing = null
        super.onPause()
    }

    override fun onDestroy() {
        scope.cancel()
        watching.forEach { it.stop() }
        if (isFinishing) intent.getLongExtra(SCREEN, 0).takeIf { it != 0L }?.let(Handoff::drop)
        super.onDestroy()
    }

    fun launch(block: suspend CoroutineScope.() -> Unit): Job = scope.launch(block = block)

    /** Keeps a `watch` handle until the screen goes. */
    fun hold(w: Watching) {
        watching += w
    }

    /** Runs `f` on the main thread (the core tells listeners on its own threads). */
    fun onMain(f: () -> Unit) {
        if (Looper.myLooper() == Looper.getMainLooper()) f() else main.post(f)
    }

    /**
     * How this screen reads the server again, for screens that show what others change (a
     * list, a home): set once the core's screen is open. It runs when the screen is shown
     * again (`onResume`, which also follows a new intent to a screen already open), when a
     * live event arrives, and when the outbox has sent something.
     */
    var refresh: (suspend () -> Unit)? = null

    private fun refreshNow() {
        refresh?.let { r -> launch { r() } }
    }

    /** A live event while this screen is shown. */
    open fun onLive(event: EventView) = refreshNow()

    /** A home's menu, as the core lists it for the app's role: the entries it draws a screen for. */
    fun Page.menu() {
        menu(Session.app.role, Session.language()).filter { it.route in Session.app.screens }.forEachIndexed { i, e ->
            row("menu.$i", e.label, null) { open(e.route) }
        }
    }

    /**
     * The live connection, from the home on: the socket and the outbox's sending; and, on
     * Android 13+, the person asked once to allow the notices it posts.
     */
    fun goOnline() {
        startForegroundService(Intent(this, LiveService::class.java))
        val notices = android.Manifest.permission.POST_NOTIFICATIONS
        if (Build.VERSION.SDK_INT >= 33 && checkSelfPermission(notices) != PackageManager.PERMISSION_GRANTED) {
            requestPermissions(arrayOf(notices), ASK_NOTICES)
        }
    }

    /** Something waiting in the outbox was sent (or refused). */
    fun onSent() = refreshNow()

    /** The screen object handed to this activity by the one that opened it ([open]). */
    inline fun <reified T> handedIn(): T? = Handoff.get(intent.getLongExtra(SCREEN, 0)) as? T

    /** Goes where a state's route says, once for each new route. */
    fun follow(route: Route?) {
        if (route == went) return
        went = route
        if (route != null) open(route)
    }

    /** Opens the screen for `route`, handing it `screen` (a sub-screen the core made). */
    fun open(route: Route, screen: Any? = null) {
        if (route == Route.SIGN_IN) {
            // Signed out (or the session ended): the connection stops, the user's case is forgotten.
            stopService(Intent(this, LiveService::class.java))
            Session.forgetMe()
        }
        val target = Session.app.screens[route] ?: return
        open(target, screen, afresh = route in STARTS)
    }

    /** Opens `target` (a screen no route names, such as a form), handing it `screen`. */
    fun open(target: Class<out Activity>, screen: Any?, afresh: Boolean = false) {
        val intent = Intent(this, target)
        screen?.let { intent.putExtra(SCREEN, Handoff.put(it)) }
        intent.flags = if (afresh) {
            Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TASK
        } else {
            Intent.FLAG_ACTIVITY_CLEAR_TOP or Intent.FLAG_ACTIVITY_SINGLE_TOP
        }
        startActivity(intent)
    }

    companion object {
        const val SCREEN = "cn.huijiao.SCREEN"
        private const val ASK_NOTICES = 7001

        /** Routes that start the app afresh: nothing behind them to go back to. */
        val STARTS = setOf(
            Route.SIGN_IN, Route.CHANGE_PASSWORD, Route.DEVICE_AWAITING_APPROVAL,
            Route.SUPERVISEE_TODAY, Route.OFFICER_QUEUE, Route.VOLUNTEER_PEOPLE,
        )
    }
}

/** Screen objects passed from one activity to the next, by number (kept while it is shown). */
object Handoff {
    private val held = HashMap<Long, Any>()
    private var next = 0L

    @Synchronized
    fun put(o: Any): Long {
        next += 1
        held[next] = o
        return next
    }

    @Synchronized
    fun get(id: Long): Any? = held[id]

    @Synchronized
    fun drop(id: Long) {
        held.remove(id)
    }
}
