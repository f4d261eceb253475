package cn.huijiao.officer

import cn.huijiao.testing.PASSWORD
import cn.huijiao.testing.next
import cn.huijiao.testing.preparePhone
import cn.huijiao.testing.press
import cn.huijiao.testing.text
import cn.huijiao.testing.texts
import cn.huijiao.testing.type
import cn.huijiao.testing.until
import cn.huijiao.ui.SignInActivity
import org.junit.Assert.assertEquals
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config

/** A phone set to English: the core speaks English, and so does the server through it. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = OfficerApp::class, qualifiers = "en")
class OfficerInEnglishTest {
    private val app = RuntimeEnvironment.getApplication() as OfficerApp

    @Before
    fun phone() = preparePhone(app)

    @Test
    fun everyWordIsEnglish() {
        val signIn = Robolectric.buildActivity(SignInActivity::class.java).setup().get()
        assertEquals("Sign in", signIn.text("title"))
        assertEquals("Huijiao for officers", app.getString(app.applicationInfo.labelRes))
        signIn.type("username", "officer.donggang")
        signIn.type("password", "not-the-password-1")
        signIn.press("submit")
        until("the server's refusal, in English") { signIn.text("message")?.takeIf { it.isNotEmpty() } }
        assert(signIn.text("message")!!.all { it.code < 0x3000 }) { signIn.text("message")!! }
        signIn.type("password", PASSWORD)
        signIn.press("submit")
        val queue = next<QueueActivity>(app)
        until("the queue, in English") { queue.texts().takeIf { "Work queue" in it && it.any { t -> t.startsWith("Updated") } } }
    }
}
