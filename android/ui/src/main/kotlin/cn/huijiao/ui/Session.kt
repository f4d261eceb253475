package cn.huijiao.ui

import android.app.Activity
import android.app.Application
import android.content.Context
import java.util.Locale
import java.util.UUID
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import uniffi.huijiao_core.Role
import uniffi.huijiao_core.Route
import uniffi.huijiao_mobile.HuijiaoClient
import uniffi.huijiao_mobile.HuijiaoOutbox

/**
 * Each app's `Application`: which activity draws which route, and whether the app speaks for a
 * phone bound to one person (the supervisee's: it sends its install id, which the officer
 * approves). Everything else is the same in the three apps.
 */
abstract class HuijiaoApp : Application() {
    /** The activity for each route this app can reach. */
    abstract val screens: Map<Route, Class<out Activity>>

    /** Whose app it is: what its home's menu lists, which notices it posts. */
    abstract val role: Role

    /** The home screen of the signed-in user. */
    abstract val home: Route

    /** The supervisee's app: the phone is bound to the person and says which phone it is. */
    open val boundPhone: Boolean = false

    override fun onCreate() {
        super.onCreate()
        Session.start(this)
    }
}

/**
 * The signed-in user's connection, one per process: the client (the server named in the
 * app's `server_url` string), its tokens sealed on the phone ([Vault]), the outbox in
 * app-private storage that is not backed up, and the person's language.
 */
object Session {
    lateinit var app: HuijiaoApp
        private set
    private var server: String = ""
    private var clientNow: HuijiaoClient? = null
    private var outboxNow: HuijiaoOutbox? = null
    private val opening = Mutex()

    /** How tokens are sealed: the phone's AndroidKeyStore unless a test hands in its own. */
    var keys: Keys = AndroidKeys

    fun start(app: HuijiaoApp) {
        this.app = app
        // Each app's res/values/server.xml (a deployment's build sets it).
        val id = app.resources.getIdentifier("server_url", "string", app.packageName)
        server = if (id != 0) app.getString(id) else ""
        clientNow = null
        outboxNow = null
    }

    /** Points the app at another server (a test's, a province's), forgetting the old one. */
    fun useServer(base: String) {
        server = base
        clientNow = null
        outboxNow = null
    }

    /**
     * The language the person chose in settings; else the phone's: "zh-CN" unless the phone
     * is set to another language, then "en".
     */
    fun language(): String =
        app.getSharedPreferences("settings", Context.MODE_PRIVATE).getString("language", null)
            ?: if (app.resources.configuration.locales[0].language == Locale.CHINESE.language) "zh-CN" else "en"

    /** The person chose `code` ("zh-CN", "en"): the core speaks it from the next screen on. */
    fun useLanguage(code: String) {
        app.getSharedPreferences("settings", Context.MODE_PRIVATE).edit().putString("language", code).apply()
        clientNow = null
        outboxNow = null
    }

    val client: HuijiaoClient
        get() = clientNow ?: HuijiaoClient(server, if (app.boundPhone) phoneId() else null, Vault(app, keys), language())
            .also { clientNow = it }

    /** The outbox's file: app-private, not backed up (a test gives each run its own). */
    var outboxFile: () -> java.io.File = { app.noBackupFilesDir.resolve("outbox.db") }

    /** The outbox, opened once. */
    suspend fun outbox(): HuijiaoOutbox = opening.withLock {
        outboxNow ?: HuijiaoOutbox.open(outboxFile().path, client).also { outboxNow = it }
    }

    /** Forgets what was kept of the signed-in user (their case), as another may sign in. */
    fun forgetMe() {
        app.getSharedPreferences("me", Context.MODE_PRIVATE).edit().clear().apply()
    }

    /** The signed-in supervisee's own case: asked once, then kept for offline starts. */
    suspend fun caseId(): String? {
        val prefs = app.getSharedPreferences("me", Context.MODE_PRIVATE)
        prefs.getString("case", null)?.let { return it }
        return client.me().caseId?.also { prefs.edit().putString("case", it).apply() }
    }

    /** This install's id: random, kept in app-private storage (not the hardware's ids). */
    fun phoneId(): String {
        val prefs = app.getSharedPreferences("phone", Context.MODE_PRIVATE)
        return prefs.getString("id", null) ?: UUID.randomUUID().toString().also {
            prefs.edit().putString("id", it).apply()
        }
    }
}
