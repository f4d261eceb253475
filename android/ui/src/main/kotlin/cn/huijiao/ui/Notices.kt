package cn.huijiao.ui

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.media.AudioAttributes
import android.media.RingtoneManager
import uniffi.huijiao_core.EventView
import uniffi.huijiao_core.Loudness
import uniffi.huijiao_mobile.notice
import uniffi.huijiao_mobile.noticeChannels

/**
 * The phone's notifications for live events, as the core words them (`notice`): one channel
 * per kind of notice (`noticeChannels`), each opening its screen; a ringing roll call rings and
 * takes the screen like an incoming call. Posted when no screen of the app is shown (the shown
 * screen refreshes itself instead), and always for a ringing call.
 */
object Notices {
    /** Makes the app's channels, named in the person's language (again when it changes). */
    fun channels(context: Context) {
        val manager = context.getSystemService(NotificationManager::class.java)
        for (c in noticeChannels(Session.app.role, Session.language())) {
            val importance = when (c.loudness) {
                Loudness.RING, Loudness.HIGH -> NotificationManager.IMPORTANCE_HIGH
                Loudness.DEFAULT -> NotificationManager.IMPORTANCE_DEFAULT
            }
            val channel = NotificationChannel(c.id, c.name, importance)
            if (c.loudness == Loudness.RING) {
                val ringing = AudioAttributes.Builder()
                    .setUsage(AudioAttributes.USAGE_NOTIFICATION_RINGTONE)
                    .setContentType(AudioAttributes.CONTENT_TYPE_SONIFICATION)
                    .build()
                channel.setSound(RingtoneManager.getDefaultUri(RingtoneManager.TYPE_RINGTONE), ringing)
                channel.enableVibration(true)
                channel.lockscreenVisibility = Notification.VISIBILITY_PUBLIC
            }
            manager.createNotificationChannel(channel)
        }
    }

    /** Posts what `event` says to this app's person, if anything; whether it was posted. */
    fun post(context: Context, event: EventView, screenShown: Boolean): Boolean {
        val n = notice(Session.app.role, event, Session.language()) ?: return false
        if (screenShown && !n.ring) return false
        val target = Session.app.screens[n.route] ?: Session.app.screens[Session.app.home] ?: return false
        val open = PendingIntent.getActivity(
            context, n.key.hashCode(),
            Intent(context, target).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        channels(context)
        val builder = Notification.Builder(context, n.channel)
            .setContentTitle(n.title)
            .setContentText(n.body)
            .setStyle(Notification.BigTextStyle().bigText(n.body))
            .setSmallIcon(android.R.drawable.stat_notify_chat)
            .setContentIntent(open)
            .setAutoCancel(true)
        if (n.ring) {
            builder.setCategory(Notification.CATEGORY_CALL).setFullScreenIntent(open, true)
        }
        context.getSystemService(NotificationManager::class.java).notify(n.key, 0, builder.build())
        return true
    }
}
