package cn.huijiao.ui

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.Service
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Build
import android.os.Handler
import android.os.IBinder
import android.os.Looper
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import uniffi.huijiao_core.EventView
import uniffi.huijiao_core.EventListener
import uniffi.huijiao_core.StreamState
import uniffi.huijiao_mobile.TaskHandle
import uniffi.huijiao_mobile.deviceWords

/**
 * The core's live events, heard while the app runs: each event goes to the screen shown (or,
 * when none is, becomes a notice: [Notices]), and each time the stream comes back (the server
 * or the network returns) what waits in the outbox is sent. No Google push: the core's own
 * socket, kept by [LiveService].
 */
object Live : EventListener {
    @Volatile var showing: ScreenActivity? = null
    @Volatile var state: StreamState? = null
    private val main = Handler(Looper.getMainLooper())
    private val background = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    override fun onEvent(event: EventView) {
        main.post {
            val shown = showing
            // What is shown refreshes itself; otherwise (and for a ringing call) a notice.
            Notices.post(Session.app, event, screenShown = shown != null)
            shown?.onLive(event)
        }
    }

    override fun onState(state: StreamState) {
        this.state = state
        // The connection is back: what waits goes now, whatever its backoff.
        if (state is StreamState.Connected) send(now = true)
    }

    /** Sends what waits in the outbox (each item once; its backoff kept unless `now`); the
     *  screen shown hears when something went. */
    fun send(now: Boolean = false) {
        background.launch {
            try {
                val outbox = Session.outbox()
                val report = if (now) outbox.flushNow() else outbox.flush()
                if (report.sent > 0u || report.rejected > 0u) main.post { showing?.onSent() }
            } catch (e: Exception) {
                // Offline again or signed out: the next reconnection tries again.
            }
        }
    }
}

/**
 * Keeps the live socket while the person is signed in, as a foreground service (Android stops
 * background sockets otherwise), sends the outbox every [RETRY_MS] while it runs, and on the
 * supervisee's phone reports its position ([Tracker]).
 */
class LiveService : Service() {
    private var events: TaskHandle? = null
    private var tracker: Tracker? = null
    private val timer = Handler(Looper.getMainLooper())
    private val retry = object : Runnable {
        override fun run() {
            Live.send()
            timer.postDelayed(this, RETRY_MS)
        }
    }

    override fun onCreate() {
        super.onCreate()
        val words = deviceWords(Session.language())
        val manager = getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(
            NotificationChannel(STATUS_CHANNEL, words.statusChannel, NotificationManager.IMPORTANCE_MIN),
        )
        Notices.channels(this)
        val note = Notification.Builder(this, STATUS_CHANNEL)
            .setContentTitle(words.onlineNote)
            .setSmallIcon(android.R.drawable.stat_notify_sync)
            .setOngoing(true)
            .build()
        // The supervisee's phone reports where it is: the service is then a location one too
        // (Android lets it keep locating while the app is in the background).
        val tracking = Session.app.boundPhone && Tracker(this).allowed()
        val types = ServiceInfo.FOREGROUND_SERVICE_TYPE_DATA_SYNC or
            (if (tracking) ServiceInfo.FOREGROUND_SERVICE_TYPE_LOCATION else 0)
        if (Build.VERSION.SDK_INT >= 29) startForeground(1, note, types) else startForeground(1, note)
        if (tracking) tracker = Tracker(this).also { it.start() }
        events = Session.client.subscribeEvents(Live)
        timer.postDelayed(retry, RETRY_MS)
    }

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int = START_STICKY

    override fun onDestroy() {
        tracker?.stop()
        timer.removeCallbacks(retry)
        events?.cancel()
        events = null
        super.onDestroy()
    }

    override fun onBind(intent: Intent?): IBinder? = null

    companion object {
        const val STATUS_CHANNEL = "status"
        const val RETRY_MS = 60_000L
    }
}
