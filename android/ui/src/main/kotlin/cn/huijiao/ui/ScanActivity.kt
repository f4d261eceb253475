package cn.huijiao.ui

import android.Manifest
import android.content.pm.PackageManager
import android.graphics.BitmapFactory
import android.os.Bundle
import android.view.TextureView
import android.widget.LinearLayout
import com.google.zxing.BinaryBitmap
import com.google.zxing.DecodeHintType
import com.google.zxing.ReaderException
import com.google.zxing.RGBLuminanceSource
import com.google.zxing.common.HybridBinarizer
import com.google.zxing.qrcode.QRCodeReader
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.withContext
import uniffi.huijiao_mobile.deviceWords

/**
 * Scanning a QR code with the back camera (an organiser's code at a community service, an
 * officer's at a lecture): pictures taken one after another and read with ZXing until one
 * holds a code, which goes to the screen that opened the scanner ([Request]); the core checks
 * what it says.
 */
class ScanActivity : ScreenActivity() {
    /** What the opener wants done with the code read. */
    class Request(val onCode: (String) -> Unit)

    private lateinit var request: Request
    private lateinit var camera: Camera
    private var allowed = false
    private val words by lazy { deviceWords(Session.language()) }

    override fun onCreate(saved: Bundle?) {
        super.onCreate(saved)
        request = handedIn() ?: return finish()
        camera = Device.scanner(this)
        show()
        if (checkSelfPermission(Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED) {
            scan()
        } else {
            requestPermissions(arrayOf(Manifest.permission.CAMERA), ASKED)
        }
    }

    override fun onRequestPermissionsResult(code: Int, permissions: Array<out String>, results: IntArray) {
        if (code == ASKED && results.isNotEmpty() && results.all { it == PackageManager.PERMISSION_GRANTED }) scan() else show()
    }

    override fun onDestroy() {
        if (this::camera.isInitialized) camera.stop()
        super.onDestroy()
    }

    private fun show() {
        title = words.scanTitle
        page.draw {
            heading("title", words.scanTitle)
            custom("preview") {
                TextureView(this@ScanActivity).apply {
                    layoutParams = LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, dp(320))
                }
            }
            line("hint", if (allowed) words.scanHint else words.scanCameraWhy, if (allowed) Page.Tone.Plain else Page.Tone.Alert)
        }
    }

    private fun scan() {
        allowed = true
        show()
        camera.start(page.find("preview") as TextureView)
        launch {
            while (isActive) {
                // Waited off the main thread: the main looper's own clock may stand still.
                withContext(Dispatchers.Default) { delay(FRAME_MS) }
                val jpeg = try {
                    camera.take(null)
                } catch (e: Exception) {
                    continue // the camera is still opening
                }
                val code = withContext(Dispatchers.Default) { QrCodes.read(jpeg) } ?: continue
                request.onCode(code)
                finish()
                break
            }
        }
    }

    companion object {
        private const val ASKED = 2
        private const val FRAME_MS = 400L
    }
}

/** Reading QR codes from pictures (ZXing's core: no Play services). */
object QrCodes {
    /** The text of the QR code in a JPEG, if one can be read. */
    fun read(jpeg: ByteArray): String? {
        val bitmap = BitmapFactory.decodeByteArray(jpeg, 0, jpeg.size) ?: return null
        val pixels = IntArray(bitmap.width * bitmap.height)
        bitmap.getPixels(pixels, 0, bitmap.width, 0, 0, bitmap.width, bitmap.height)
        val source = RGBLuminanceSource(bitmap.width, bitmap.height, pixels)
        return try {
            QRCodeReader().decode(BinaryBitmap(HybridBinarizer(source)), mapOf(DecodeHintType.TRY_HARDER to true)).text
        } catch (e: ReaderException) {
            null
        }
    }
}
