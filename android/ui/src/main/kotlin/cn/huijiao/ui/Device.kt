package cn.huijiao.ui

import android.annotation.SuppressLint
import android.content.Context
import android.graphics.ImageFormat
import android.graphics.SurfaceTexture
import android.hardware.camera2.CameraCaptureSession
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraDevice
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureRequest
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.media.ImageReader
import android.os.Build
import android.os.Handler
import android.os.HandlerThread
import android.os.Looper
import android.view.Surface
import android.view.TextureView
import java.time.Instant
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.suspendCancellableCoroutine
import uniffi.huijiao_core.GpsFix
import uniffi.huijiao_core.Pose

/**
 * What the phone hands the core: pictures from the front camera, fixes from its location
 * providers. The apps reach them through [Device], so a test on the JVM can hand in its own
 * photos as the camera's (there is no camera there); the location path runs as on a phone.
 */
object Device {
    /** The camera for a screen: the front camera unless a test hands in its own. */
    var camera: (Context) -> Camera = { PhoneCamera(it, CameraCharacteristics.LENS_FACING_FRONT) }

    /** The camera that scans codes: the back one unless a test hands in its own. */
    var scanner: (Context) -> Camera = { PhoneCamera(it, CameraCharacteristics.LENS_FACING_BACK) }
}

/** A camera that shows a preview and takes one JPEG when asked. */
interface Camera {
    /** Starts the preview in `view` (when the phone has a camera and the person allowed it). */
    fun start(view: TextureView)

    /** One picture, JPEG, of the person in `pose` (the pose the check-in asked for). */
    suspend fun take(pose: Pose?): ByteArray

    fun stop()
}

/**
 * A camera through camera2 — the front one for faces, the back one for codes: a preview and a
 * still JPEG at a face's size (enough for a code held in front of it).
 */
class PhoneCamera(context: Context, private val facing: Int) : Camera {
    private val manager = context.getSystemService(CameraManager::class.java)
    private val thread = HandlerThread("camera").apply { start() }
    private val handler = Handler(thread.looper)
    private var device: CameraDevice? = null
    private var session: CameraCaptureSession? = null
    private var reader: ImageReader? = null

    private fun cameraId(): String? = manager.cameraIdList.firstOrNull {
        manager.getCameraCharacteristics(it).get(CameraCharacteristics.LENS_FACING) == facing
    }

    @SuppressLint("MissingPermission") // the screen asks for the camera before it starts
    override fun start(view: TextureView) {
        val id = cameraId() ?: return
        val sizes = manager.getCameraCharacteristics(id)
            .get(CameraCharacteristics.SCALER_STREAM_CONFIGURATION_MAP)!!
            .getOutputSizes(ImageFormat.JPEG)
        // A face needs no more than about 1280 pixels across; smaller pictures send faster.
        val size = sizes.filter { it.width <= 1280 }.maxByOrNull { it.width * it.height } ?: sizes.last()
        val jpeg = ImageReader.newInstance(size.width, size.height, ImageFormat.JPEG, 2)
        reader = jpeg
        manager.openCamera(id, object : CameraDevice.StateCallback() {
            override fun onOpened(camera: CameraDevice) {
                device = camera
                val texture = view.surfaceTexture ?: SurfaceTexture(0)
                texture.setDefaultBufferSize(640, 480)
                val preview = Surface(texture)
                @Suppress("DEPRECATION") // createCaptureSession(SessionConfiguration) needs API 28
                camera.createCaptureSession(listOf(preview, jpeg.surface), object : CameraCaptureSession.StateCallback() {
                    override fun onConfigured(s: CameraCaptureSession) {
                        session = s
                        val req = camera.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW).apply { addTarget(preview) }
                        s.setRepeatingRequest(req.build(), null, handler)
                    }

                    override fun onConfigureFailed(s: CameraCaptureSession) {}
                }, handler)
            }

            override fun onDisconnected(camera: CameraDevice) = camera.close()
            override fun onError(camera: CameraDevice, error: Int) = camera.close()
        }, handler)
    }

    override suspend fun take(pose: Pose?): ByteArray = suspendCancellableCoroutine { done ->
        val s = session
        val r = reader
        if (s == null || r == null) {
            done.resumeWithException(IllegalStateException("camera not started"))
            return@suspendCancellableCoroutine
        }
        r.setOnImageAvailableListener({ rr ->
            rr.acquireLatestImage()?.use { image ->
                val buf = image.planes[0].buffer
                val bytes = ByteArray(buf.remaining()).also { buf.get(it) }
                if (done.isActive) done.resume(bytes)
            }
        }, handler)
        val req = s.device.createCaptureRequest(CameraDevice.TEMPLATE_STILL_CAPTURE).apply {
            addTarget(r.surface)
            set(CaptureRequest.JPEG_QUALITY, 90.toByte())
        }
        s.capture(req.build(), null, handler)
    }

    override fun stop() {
        session?.close()
        device?.close()
        reader?.close()
        session = null
        device = null
        reader = null
        thread.quitSafely()
    }
}

/** The platform says the fix came from a mock location provider. */
fun Location.mocked(): Boolean =
    @Suppress("DEPRECATION") // isMock() is API 31; isFromMockProvider says the same before
    if (Build.VERSION.SDK_INT >= 31) isMock else isFromMockProvider

/**
 * Fixes from the phone's GPS and network providers (framework `LocationManager`, no Play
 * services), as the core's `GpsFix`, mock providers marked.
 */
class Fixes(context: Context, private val onFix: (GpsFix) -> Unit) : LocationListener {
    private val manager = context.getSystemService(LocationManager::class.java)

    /** Listens every `intervalMs` on each provider the phone has on; false when none is. */
    @SuppressLint("MissingPermission") // the screen asks for location before it starts
    fun start(intervalMs: Long): Boolean {
        val providers = listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER)
            .filter { manager.allProviders.contains(it) && manager.isProviderEnabled(it) }
        for (p in providers) {
            manager.getLastKnownLocation(p)?.let { onLocationChanged(it) }
            manager.requestLocationUpdates(p, intervalMs, 0f, this, Looper.getMainLooper())
        }
        return providers.isNotEmpty()
    }

    fun stop() = manager.removeUpdates(this)

    override fun onLocationChanged(location: Location) {
        onFix(
            GpsFix(
                lat = location.latitude,
                lon = location.longitude,
                accuracyM = location.accuracy.toDouble(),
                fixTime = Instant.ofEpochMilli(location.time),
                provider = location.provider ?: "",
                mock = location.mocked(),
            ),
        )
    }

    @Deprecated("API 29 and lower call it", level = DeprecationLevel.HIDDEN)
    override fun onStatusChanged(provider: String?, status: Int, extras: android.os.Bundle?) {}
    override fun onProviderEnabled(provider: String) {}
    override fun onProviderDisabled(provider: String) {}
}
