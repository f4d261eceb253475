package cn.huijiao.testing

import android.app.Activity
import android.app.Application
import android.content.Context
import android.content.Intent
import android.graphics.Bitmap
import android.graphics.Canvas
import android.os.Looper
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.CheckBox
import android.widget.EditText
import android.widget.RadioButton
import android.widget.RadioGroup
import android.widget.TextView
import cn.huijiao.ui.Camera
import cn.huijiao.ui.Device
import cn.huijiao.ui.Keys
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import java.io.File
import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlinx.coroutines.runBlocking
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import uniffi.huijiao_core.Pose
import uniffi.huijiao_core.Tokens
import uniffi.huijiao_mobile.HuijiaoClient
import uniffi.huijiao_core.TokenStore

const val PASSWORD = "Huijiao-Demo-2026"

/** The phone id the demo approves for every demo supervisee. */
const val DEMO_PHONE = "demo-phone"

/**
 * The real server binary (`HUIJIAO_SERVER_BIN`, demo data, SQLite in a temporary folder, the
 * real face models), started once for the test run on a free port; `stop` and `start` again on
 * the same port and data, as a server that goes away and comes back.
 */
object Server {
    private val bin = System.getenv("HUIJIAO_SERVER_BIN") ?: error("HUIJIAO_SERVER_BIN is not set")
    private val data: File = kotlin.io.path.createTempDirectory("huijiao-android").toFile()
    val port: Int = ServerSocket(0).use { it.localPort }
    val base = "http://127.0.0.1:$port"
    private var process: Process? = null

    init {
        start()
        Runtime.getRuntime().addShutdownHook(Thread { stop(); data.deleteRecursively() })
    }

    @Synchronized
    fun start() {
        if (process?.isAlive == true) return
        val pb = ProcessBuilder(bin, "serve", "--demo")
        pb.environment().putAll(
            mapOf(
                "HUIJIAO_DATA_DIR" to data.path,
                "HUIJIAO_LISTEN" to "127.0.0.1:$port",
                "HUIJIAO_JOBS_INTERVAL_SECS" to "0",
                // A face check as each lesson opens, and beats two seconds apart.
                "HUIJIAO_RULES__LEARNING__FACE_CHECK_AT_START" to "true",
                "HUIJIAO_RULES__LEARNING__HEARTBEAT_SECS" to "2",
                "HUIJIAO_RULES__LEARNING__GRACE_SECS" to "1",
                "RUST_BACKTRACE" to "0",
            ),
        )
        System.getenv("HUIJIAO_MODEL_DIR")?.let { pb.environment()["HUIJIAO_MODEL_DIR"] = it }
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(File(data, "server.log")))
        process = pb.start()
        val deadline = System.currentTimeMillis() + 60_000
        while (System.currentTimeMillis() < deadline) {
            if (ready()) return
            Thread.sleep(100)
        }
        error("the server did not start: " + File(data, "server.log").readText().take(2000))
    }

    @Synchronized
    fun stop() {
        process?.let {
            it.destroy()
            it.waitFor()
        }
        process = null
    }

    private fun ready(): Boolean = try {
        val c = URI("$base/readyz").toURL().openConnection() as HttpURLConnection
        c.connectTimeout = 500
        c.responseCode == 200
    } catch (e: Exception) {
        false
    }
}

/** Tokens in memory: the test's own clients, standing in for another person's phone. */
class MemoryTokens : TokenStore {
    @Volatile private var tokens: Tokens? = null
    override fun load(): Tokens? = tokens
    override fun save(tokens: Tokens) {
        this.tokens = tokens
    }
    override fun clear() {
        tokens = null
    }
}

/** Another person, signed in on the test's side (an officer who approves, enrols a face). */
fun person(user: String, phone: String? = null): HuijiaoClient = runBlocking {
    HuijiaoClient(Server.base, phone, MemoryTokens(), "zh-CN").also { it.login(user, PASSWORD) }
}

/**
 * The JVM has no AndroidKeyStore: the vault seals with a key made by the JVM's own provider
 * (the sealing, the storage and the reading back are the app's own code).
 */
object JvmKeys : Keys {
    private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    override fun key(): SecretKey = key
}

/** The test photos (`HUIJIAO_PHOTOS`, written by the face_photos example). */
object Photos {
    private val dir = File(System.getenv("HUIJIAO_PHOTOS") ?: error("HUIJIAO_PHOTOS is not set"))
    fun read(name: String): ByteArray = File(dir, name).readBytes()
}

/** The front camera on the JVM: the photo of the pose asked for. */
class PhotoCamera : Camera {
    var taken = 0
    override fun start(view: android.view.TextureView) {}
    override suspend fun take(pose: Pose?): ByteArray {
        taken += 1
        return Photos.read(
            when (pose) {
                Pose.TURN_LEFT -> "turn_left.jpg"
                Pose.TURN_RIGHT -> "turn_right.jpg"
                else -> "straight.jpg"
            },
        )
    }
    override fun stop() {}
}

/**
 * The back camera held over a QR code of `text` (as an organiser's phone shows it): each
 * picture a JPEG of the code, drawn by ZXing's encoder, the first ones blank while it focuses.
 */
class QrCamera(private val text: String) : Camera {
    var taken = 0
    override fun start(view: android.view.TextureView) {}
    override suspend fun take(pose: Pose?): ByteArray {
        taken += 1
        val size = 480
        val bitmap = android.graphics.Bitmap.createBitmap(size, size, android.graphics.Bitmap.Config.ARGB_8888)
        bitmap.eraseColor(android.graphics.Color.WHITE)
        if (taken > 1) {
            val code = com.google.zxing.qrcode.QRCodeWriter().encode(text, com.google.zxing.BarcodeFormat.QR_CODE, size, size)
            for (y in 0 until size) for (x in 0 until size) if (code[x, y]) bitmap.setPixel(x, y, android.graphics.Color.BLACK)
        }
        val out = java.io.ByteArrayOutputStream()
        bitmap.compress(android.graphics.Bitmap.CompressFormat.JPEG, 90, out)
        return out.toByteArray()
    }
    override fun stop() {}
}

/** Points the app under test at the test server, as a phone set up for the demo. */
fun preparePhone(app: Application) {
    app.getSharedPreferences("phone", Context.MODE_PRIVATE).edit().putString("id", DEMO_PHONE).commit()
    Session.keys = JvmKeys
    // Each test its own outbox file: a screen of an earlier test may still hold its own.
    val file = kotlin.io.path.createTempFile("outbox", ".db").toFile().also { it.delete() }
    Session.outboxFile = { file }
    Session.useServer(Server.base)
    Device.camera = { PhotoCamera() }
    Device.scanner = { PhotoCamera() } // a face, no code: a test hands in a QrCamera
    // The person allowed notices when the home first asked (Android 13+).
    shadowOf(app).grantPermissions(android.Manifest.permission.POST_NOTIFICATIONS)
}

/** The live service, as the home starts it; [offline] stops it (each test's own). */
private val services = ArrayList<org.robolectric.android.controller.ServiceController<cn.huijiao.ui.LiveService>>()

fun online() {
    services += Robolectric.buildService(cn.huijiao.ui.LiveService::class.java).create()
}

fun offline() {
    services.forEach { it.destroy() }
    services.clear()
}

/** Runs the main looper until `probe` gives something (the core answers on its own threads). */
fun <T : Any> until(what: String, timeoutMs: Long = 30_000, probe: () -> T?): T {
    val deadline = System.currentTimeMillis() + timeoutMs
    while (true) {
        shadowOf(Looper.getMainLooper()).idle()
        probe()?.let { return it }
        if (System.currentTimeMillis() > deadline) throw AssertionError("timed out waiting for $what")
        Thread.sleep(20)
    }
}

fun ScreenActivity.view(key: String): View? = page.find(key)

/** The text a screen shows under `key` (a line, a heading, a button), if drawn. */
fun ScreenActivity.text(key: String): String? = when (val v = view(key)) {
    is TextView -> v.text.toString()
    is ViewGroup -> (v.getChildAt(0) as? TextView)?.text?.toString()
    else -> null
}

/** Every text the screen shows, in order (to find a row by its words). */
fun ScreenActivity.texts(): List<String> {
    val out = ArrayList<String>()
    fun walk(v: View) {
        if (v is TextView && v.visibility == View.VISIBLE) out += v.text.toString()
        if (v is ViewGroup) for (i in 0 until v.childCount) walk(v.getChildAt(i))
    }
    walk(page.root)
    return out
}

fun ScreenActivity.type(key: String, text: String) {
    val field = view(key) as ViewGroup
    (field.getChildAt(1) as EditText).setText(text)
}

fun ScreenActivity.press(key: String) {
    val v = view(key) ?: throw AssertionError("nothing drawn under $key: ${texts()}")
    if (v is Button && !v.isEnabled) throw AssertionError("$key is disabled: ${texts()}")
    v.performClick()
}

fun ScreenActivity.enabled(key: String): Boolean = view(key)?.isEnabled == true

/** Picks the choice of `group` worded `label`. */
fun ScreenActivity.choose(group: String, label: String) {
    val g = view(group) as RadioGroup
    val r = (0 until g.childCount).map { g.getChildAt(it) as RadioButton }.first { it.text == label }
    r.isChecked = true
}

fun ScreenActivity.tick(key: String) {
    (view(key) as CheckBox).performClick()
}

/** The row whose title is `title`, pressed. */
fun ScreenActivity.pressRow(title: String) {
    fun find(v: View): View? {
        if (v is ViewGroup && v.childCount == 2 && (v.getChildAt(0) as? TextView)?.text?.toString() == title && v.isClickable) return v
        if (v is ViewGroup) for (i in 0 until v.childCount) find(v.getChildAt(i))?.let { return it }
        return null
    }
    (find(page.root) ?: throw AssertionError("no row $title: ${texts()}")).performClick()
}

/** The activity the last one started, made and shown (as Android would, one step at a time). */
inline fun <reified A : Activity> next(app: Application): A {
    val intent: Intent = until("an activity to start") { shadowOf(app).nextStartedActivity }
    check(intent.component?.className == A::class.java.name) { "started ${intent.component?.className}, not ${A::class.java.name}" }
    val controller = Robolectric.buildActivity(A::class.java, intent).setup()
    controllers[controller.get()] = controller
    return controller.get()
}

/** The activities [next] made, to take them through their lifecycle again. */
val controllers = java.util.WeakHashMap<Activity, org.robolectric.android.controller.ActivityController<*>>()

/** The screen, no longer shown (the person went to another app): Android pauses it. */
fun ScreenActivity.putAway() {
    val c = controllers[this] ?: throw AssertionError("not made by next(): $this")
    c.pause()
    paused += this
}

private val paused = java.util.Collections.newSetFromMap(java.util.WeakHashMap<Activity, Boolean>())

/** The screen, shown again (after the one it opened, or another app): paused if it was not, resumed. */
fun ScreenActivity.shownAgain() {
    val c = controllers[this] ?: throw AssertionError("not made by next(): $this")
    if (!paused.remove(this)) c.pause()
    c.resume()
}

/** Saves what the screen shows as a PNG (`HUIJIAO_SCREENSHOTS`), where native graphics render. */
fun ScreenActivity.screenshot(name: String) {
    val dir = System.getenv("HUIJIAO_SCREENSHOTS") ?: return
    val root = window.decorView
    val w = 1080
    root.measure(View.MeasureSpec.makeMeasureSpec(w, View.MeasureSpec.EXACTLY), View.MeasureSpec.makeMeasureSpec(0, View.MeasureSpec.UNSPECIFIED))
    root.layout(0, 0, w, root.measuredHeight.coerceAtLeast(1))
    val bitmap = Bitmap.createBitmap(w, root.measuredHeight.coerceIn(1, 4000), Bitmap.Config.ARGB_8888)
    root.draw(Canvas(bitmap))
    File(dir, "$name.png").outputStream().use { bitmap.compress(Bitmap.CompressFormat.PNG, 100, it) }
}
