package cn.huijiao.volunteer

import android.app.DatePickerDialog
import android.app.TimePickerDialog
import android.content.DialogInterface
import cn.huijiao.testing.PASSWORD
import cn.huijiao.testing.Server
import cn.huijiao.testing.choose
import cn.huijiao.testing.next
import cn.huijiao.testing.offline
import cn.huijiao.testing.online
import cn.huijiao.testing.preparePhone
import cn.huijiao.testing.press
import cn.huijiao.testing.pressRow
import cn.huijiao.testing.screenshot
import cn.huijiao.testing.text
import cn.huijiao.testing.texts
import cn.huijiao.testing.type
import cn.huijiao.testing.until
import cn.huijiao.testing.view
import cn.huijiao.ui.Live
import cn.huijiao.ui.SignInActivity
import java.time.ZoneId
import java.time.ZonedDateTime
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.After
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode
import org.robolectric.shadows.ShadowDialog
import uniffi.huijiao_core.StreamState

/** 协矫通 on the JVM against the live server, the real core under it. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = VolunteerApp::class, qualifiers = "zh-rCN")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class VolunteerTest {
    private val app = RuntimeEnvironment.getApplication() as VolunteerApp

    @Before
    fun phone() = preparePhone(app)

    @After
    fun stop() = offline()

    @Test
    fun helpLoggedWithTheServerDownIsSentOnceItIsBack() {
        val signIn = Robolectric.buildActivity(SignInActivity::class.java).setup().get()
        signIn.type("username", "volunteer.donggang")
        signIn.type("password", PASSWORD)
        signIn.press("submit")
        val people = next<PeopleActivity>(app)
        val name = until("the people") { people.texts().firstOrNull { it.contains("*") } }
        people.screenshot("volunteer-people")
        online()
        until("the socket") { Live.state as? StreamState.Connected }

        // The server goes away while the volunteer writes.
        Server.stop()
        people.pressRow(name)
        val log = next<HelpLogActivity>(app)
        log.choose("kind", until("the kinds") { log.texts().firstOrNull { it == "谈心谈话" } })
        log.press("began")
        val began = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).minusHours(2)
        (ShadowDialog.getLatestDialog() as DatePickerDialog).apply {
            updateDate(began.year, began.monthValue - 1, began.dayOfMonth)
            getButton(DialogInterface.BUTTON_POSITIVE).performClick()
        }
        until("the time picker") { ShadowDialog.getLatestDialog() as? TimePickerDialog }.apply {
            updateTime(began.hour, began.minute)
            getButton(DialogInterface.BUTTON_POSITIVE).performClick()
        }
        log.type("minutes", "40")
        log.type("notes", "谈心谈话，了解家庭和工作情况。")
        until("the form to hold") { log.view("submit")?.takeIf { it.isEnabled } }
        log.screenshot("volunteer-help-log")
        log.press("submit")
        until("kept on the phone") { log.text("message")?.takeIf { it.startsWith("已保存在手机上") } }

        // Back on the people screen, it waits to be sent.
        val again = next<PeopleActivity>(app)
        until("waiting, said") { again.text("waiting")?.takeIf { it.startsWith("1 条记录待发送") } }

        // The server comes back: the socket reconnects and the outbox is sent, once.
        Server.start()
        until("sent", timeoutMs = 90_000) { if (again.text("waiting") == null) Unit else null }
        assertFalse(again.texts().any { it.contains("待发送") })
        assertTrue(again.texts().toString(), again.texts().any { it.contains("*") })
    }
}
