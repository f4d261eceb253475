package cn.huijiao.ui

import android.Manifest
import android.annotation.SuppressLint
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.os.BatteryManager
import android.os.Looper
import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import uniffi.huijiao_core.LocationPointIn
import uniffi.huijiao_core.LocationProvider

/**
 * The supervisee's position, reported at the interval their supervision level sets (the core's
 * obligations, `locationIntervalMinutes`): the phone's GPS and network providers asked no more
 * often than that (the battery), one point an interval kept in the outbox with the battery
 * level and the mock flag, and sent (at once when the network is there, later when not).
 */
class Tracker(private val context: Context) : LocationListener {
    private val manager = context.getSystemService(LocationManager::class.java)
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    private var intervalMs = DEFAULT_MINUTES * 60_000L
    private var lastKept = 0L

    fun allowed(): Boolean =
        context.checkSelfPermission(Manifest.permission.ACCESS_FINE_LOCATION) == PackageManager.PERMISSION_GRANTED

    /** Starts reporting (when location is allowed): the interval is asked of the server first. */
    fun start() {
        if (!allowed()) return
        scope.launch {
            val minutes = try {
                Session.caseId()?.let { Session.client.checkins().obligations(it).locationIntervalMinutes }
            } catch (e: Exception) {
                null // offline: the last interval known, or the strictest default
            }
            val prefs = context.getSharedPreferences("tracker", Context.MODE_PRIVATE)
            minutes?.let { prefs.edit().putInt("minutes", it.toInt()).apply() }
            intervalMs = prefs.getInt("minutes", DEFAULT_MINUTES) * 60_000L
            android.os.Handler(Looper.getMainLooper()).post { request() }
        }
    }

    @SuppressLint("MissingPermission") // allowed() was checked
    private fun request() {
        for (p in listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER)) {
            if (manager.allProviders.contains(p)) manager.requestLocationUpdates(p, intervalMs, 0f, this, Looper.getMainLooper())
        }
    }

    fun stop() {
        manager.removeUpdates(this)
        scope.cancel()
    }

    override fun onLocationChanged(location: Location) {
        // Both providers answer: one point an interval (a little early is fine, twice is not).
        if (location.time - lastKept < intervalMs * 9 / 10) return
        lastKept = location.time
        val battery = context.getSystemService(BatteryManager::class.java)
            .getIntProperty(BatteryManager.BATTERY_PROPERTY_CAPACITY)
        val point = LocationPointIn(
            lat = location.latitude,
            lon = location.longitude,
            accuracyM = location.accuracy.toDouble(),
            fixTime = Instant.ofEpochMilli(location.time),
            speedMps = if (location.hasSpeed()) location.speed.toDouble() else null,
            provider = when (location.provider) {
                LocationManager.GPS_PROVIDER -> LocationProvider.GPS
                LocationManager.NETWORK_PROVIDER -> LocationProvider.NETWORK
                LocationManager.PASSIVE_PROVIDER -> LocationProvider.PASSIVE
                else -> LocationProvider.OTHER
            },
            mock = location.mocked(),
            battery = battery.takeIf { it in 0..100 }?.toUByte(),
        )
        scope.launch {
            try {
                Session.outbox().enqueueLocations(listOf(point))
                Live.send()
            } catch (e: Exception) {
                // The outbox could not be opened (storage full): the next fix tries again.
            }
        }
    }

    override fun onProviderEnabled(provider: String) {}
    override fun onProviderDisabled(provider: String) {}

    companion object {
        /** Before the server has said: the strictest level's interval. */
        const val DEFAULT_MINUTES = 10
    }
}
