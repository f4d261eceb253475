package cn.huijiao.ui

import android.app.Activity
import android.graphics.Color
import android.graphics.Typeface
import android.os.Build
import android.text.Editable
import android.text.InputType
import android.text.TextWatcher
import android.util.TypedValue
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.CheckBox
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.RadioButton
import android.widget.RadioGroup
import android.widget.ScrollView
import android.widget.TextView
import uniffi.huijiao_core.Choice
import uniffi.huijiao_core.Fact

/**
 * A screen's views, drawn from its state each time the state changes (on the apps' light
 * theme, which the colours below are for): each call names a view
 * by key, makes it the first time and updates it after, so what the person is typing keeps its
 * focus and cursor. Views not named in a drawing are removed. Every word comes from the state
 * (the core's catalogue); this class only lays it out. Sizes are in sp/dp so font scaling and
 * screen density apply; every control has a label TalkBack reads.
 */
/** China time: every "today" the apps start from. */
val CHINA: java.time.ZoneId = java.time.ZoneId.of("Asia/Shanghai")

class Page(private val activity: Activity) {
    val root = LinearLayout(activity).apply {
        orientation = LinearLayout.VERTICAL
        val p = dp(16)
        setPadding(p, p, p, p)
    }
    val view: ScrollView = ScrollView(activity).apply {
        isFillViewport = true
        addView(root)
    }
    private val made = HashMap<String, View>()
    private val drawn = ArrayList<Pair<String, View>>()

    /** Draws the page: the views `block` names, in its order. */
    fun draw(block: Page.() -> Unit) {
        drawn.clear()
        block()
        val same = root.childCount == drawn.size &&
            drawn.indices.all { root.getChildAt(it) === drawn[it].second }
        if (!same) {
            root.removeAllViews()
            for ((_, v) in drawn) {
                (v.parent as? ViewGroup)?.removeView(v)
                root.addView(v)
            }
        }
        made.keys.retainAll(drawn.map { it.first }.toSet())
    }

    /** The view drawn under `key` (for tests and for the device's own hand-ins). */
    fun find(key: String): View? = made[key]

    @Suppress("UNCHECKED_CAST")
    private fun <V : View> place(key: String, make: () -> V): V {
        val v = made.getOrPut(key) { make().also { it.tag = key } } as V
        drawn += key to v
        return v
    }

    fun dp(n: Int): Int = TypedValue.applyDimension(
        TypedValue.COMPLEX_UNIT_DIP, n.toFloat(), activity.resources.displayMetrics,
    ).toInt()

    private fun TextView.size(sp: Float) = setTextSize(TypedValue.COMPLEX_UNIT_SP, sp)

    fun heading(key: String, text: String) {
        place(key) {
            TextView(activity).apply {
                size(22f)
                setTypeface(typeface, Typeface.BOLD)
                setTextColor(Tone.Plain.color)
                setPadding(0, 0, 0, dp(12))
                if (Build.VERSION.SDK_INT >= 28) isAccessibilityHeading = true
            }
        }.text = text
    }

    /** A line of text; `tone` colours it (and marks an alert for TalkBack to read at once). */
    fun line(key: String, text: String?, tone: Tone = Tone.Plain) {
        if (text.isNullOrEmpty()) return
        val v = place(key) { TextView(activity).apply { size(16f); setPadding(0, dp(4), 0, dp(4)) } }
        v.text = text
        v.setTextColor(tone.color)
        v.accessibilityLiveRegion =
            if (tone == Tone.Alert) View.ACCESSIBILITY_LIVE_REGION_ASSERTIVE else View.ACCESSIBILITY_LIVE_REGION_NONE
    }

    /** A text field with its label and its problem. `onChange` gets every edit. */
    fun field(
        key: String,
        label: String,
        value: String,
        error: String?,
        kind: Kind = Kind.Text,
        onChange: (String) -> Unit,
    ) {
        val box = place(key) { Field(activity, this) }
        box.label.text = label
        box.edit.contentDescription = label
        box.onChange = onChange
        val type = when (kind) {
            Kind.Text -> InputType.TYPE_CLASS_TEXT
            Kind.Long -> InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_FLAG_MULTI_LINE
            Kind.Number -> InputType.TYPE_CLASS_NUMBER
            Kind.Phone -> InputType.TYPE_CLASS_PHONE
            Kind.Password -> InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
        }
        if (box.edit.inputType != type) box.edit.inputType = type
        // The person's typing wins: the state's value is put in only where it says otherwise
        // and the field is not being typed in (a value the model set, or a new screen). A
        // password is never in the state: its field keeps what was typed.
        val typing = box.edit.hasFocus() && box.edit.text.isNotEmpty()
        if (kind != Kind.Password && box.edit.text.toString() != value && !typing) {
            box.quiet = true
            box.edit.setText(value)
            box.quiet = false
        }
        box.error.text = error ?: ""
        box.error.visibility = if (error.isNullOrEmpty()) View.GONE else View.VISIBLE
    }

    /** A button; when it cannot be pressed, `whyNot` is shown under it. */
    fun button(key: String, label: String, enabled: Boolean = true, whyNot: String? = null, onClick: () -> Unit) {
        val b = place(key) { Button(activity).apply { size(17f) } }
        b.text = label
        b.isEnabled = enabled
        b.setOnClickListener { onClick() }
        if (!enabled) line("$key.why", whyNot, Tone.Quiet)
    }

    /** One choice of several (a reason, a kind). */
    fun choices(key: String, label: String, options: List<Choice>, error: String? = null, onPick: (String) -> Unit) {
        line("$key.label", label, Tone.Label)
        val group = place(key) { RadioGroup(activity).apply { orientation = RadioGroup.VERTICAL } }
        group.contentDescription = label
        if (group.childCount != options.size) {
            group.removeAllViews()
            options.forEach { group.addView(RadioButton(activity).apply { id = View.generateViewId(); size(16f) }) }
        }
        options.forEachIndexed { i, o ->
            val r = group.getChildAt(i) as RadioButton
            r.text = o.label
            r.tag = o.code
            r.setOnCheckedChangeListener(null)
            r.isChecked = o.chosen
            r.setOnCheckedChangeListener { _, on -> if (on) onPick(o.code) }
        }
        line("$key.error", error, Tone.Alert)
    }

    /** Several choices at once (risks seen). */
    fun toggles(key: String, label: String, options: List<Choice>, onToggle: (String) -> Unit) {
        line("$key.label", label, Tone.Label)
        options.forEach { o ->
            val c = place("$key.${o.code}") { CheckBox(activity).apply { size(16f) } }
            c.text = o.label
            c.setOnCheckedChangeListener(null)
            c.isChecked = o.chosen
            c.setOnCheckedChangeListener { _, _ -> onToggle(o.code) }
        }
    }

    fun check(key: String, label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
        val c = place(key) { CheckBox(activity).apply { size(16f) } }
        c.text = label
        c.setOnCheckedChangeListener(null)
        c.isChecked = checked
        c.setOnCheckedChangeListener { _, on -> onChange(on) }
    }

    /** A row of a list: a title, a detail, pressed to open it (or not, when `onClick` is null). */
    fun row(key: String, title: String, detail: String?, urgent: Boolean = false, onClick: (() -> Unit)?) {
        val r = place(key) { Row(activity, this) }
        r.title.text = title
        r.title.setTextColor(if (urgent) Tone.Alert.color else Tone.Plain.color)
        r.detail.text = detail ?: ""
        r.detail.visibility = if (detail.isNullOrEmpty()) View.GONE else View.VISIBLE
        r.isClickable = onClick != null
        r.setOnClickListener(onClick?.let { f -> View.OnClickListener { f() } })
    }

    fun facts(key: String, facts: List<Fact>) {
        facts.forEachIndexed { i, f -> row("$key.$i", f.value, f.label, onClick = null) }
    }

    /** A view of the device's own (a camera preview), made once under `key`. */
    fun <V : View> custom(key: String, make: () -> V): V = place(key, make)

    /** A date, shown as a button that opens the phone's date picker (China's calendar days). */
    fun date(key: String, label: String, value: String?, error: String?, onPick: (java.time.LocalDate) -> Unit) {
        line("$key.label", label, Tone.Label)
        val b = place(key) { Button(activity).apply { size(17f) } }
        b.text = value ?: "—"
        b.contentDescription = "$label ${value ?: ""}"
        b.setOnClickListener {
            // The value as the state words it ("1月15日") or as a date: the dialog opens on it when it is one.
            val now = value?.let { runCatching { java.time.LocalDate.parse(it) }.getOrNull() } ?: java.time.LocalDate.now(CHINA)
            android.app.DatePickerDialog(
                activity, { _, y, m, d -> onPick(java.time.LocalDate.of(y, m + 1, d)) },
                now.year, now.monthValue - 1, now.dayOfMonth,
            ).show()
        }
        line("$key.error", error, Tone.Alert)
    }

    /** A moment (a day, then its time, in China time), shown as the state words it. */
    fun moment(key: String, label: String, value: String?, error: String?, onPick: (java.time.Instant) -> Unit) {
        line("$key.label", label, Tone.Label)
        val b = place(key) { Button(activity).apply { size(17f) } }
        b.text = value ?: "—"
        b.contentDescription = "$label ${value ?: ""}"
        b.setOnClickListener {
            val now = java.time.ZonedDateTime.now(CHINA)
            android.app.DatePickerDialog(activity, { _, y, m, d ->
                android.app.TimePickerDialog(activity, { _, h, min ->
                    onPick(java.time.ZonedDateTime.of(y, m + 1, d, h, min, 0, 0, CHINA).toInstant())
                }, now.hour, now.minute, true).show()
            }, now.year, now.monthValue - 1, now.dayOfMonth).show()
        }
        line("$key.error", error, Tone.Alert)
    }

    enum class Kind { Text, Long, Number, Phone, Password }

    enum class Tone(val color: Int) {
        Plain(Color.rgb(0x21, 0x21, 0x21)),
        Label(Color.rgb(0x42, 0x42, 0x42)),
        Quiet(Color.rgb(0x61, 0x61, 0x61)),
        Good(Color.rgb(0x1B, 0x5E, 0x20)),
        Alert(Color.rgb(0xB7, 0x1C, 0x1C)),
    }

    private class Field(activity: Activity, page: Page) : LinearLayout(activity) {
        val label = TextView(activity)
        val edit = EditText(activity)
        val error = TextView(activity)
        var onChange: (String) -> Unit = {}
        var quiet = false

        init {
            orientation = VERTICAL
            setPadding(0, page.dp(8), 0, page.dp(4))
            label.setTextSize(TypedValue.COMPLEX_UNIT_SP, 14f)
            label.setTextColor(Tone.Label.color)
            label.labelFor = View.generateViewId().also { edit.id = it }
            edit.setTextSize(TypedValue.COMPLEX_UNIT_SP, 17f)
            error.setTextSize(TypedValue.COMPLEX_UNIT_SP, 14f)
            error.setTextColor(Tone.Alert.color)
            error.accessibilityLiveRegion = View.ACCESSIBILITY_LIVE_REGION_POLITE
            addView(label)
            addView(edit)
            addView(error)
            edit.addTextChangedListener(object : TextWatcher {
                override fun beforeTextChanged(s: CharSequence?, a: Int, b: Int, c: Int) {}
                override fun onTextChanged(s: CharSequence?, a: Int, b: Int, c: Int) {}
                override fun afterTextChanged(s: Editable?) {
                    if (!quiet) onChange(s?.toString() ?: "")
                }
            })
        }
    }

    private class Row(activity: Activity, page: Page) : LinearLayout(activity) {
        val title = TextView(activity)
        val detail = TextView(activity)

        init {
            orientation = VERTICAL
            val p = page.dp(10)
            setPadding(0, p, 0, p)
            minimumHeight = page.dp(48)
            title.setTextSize(TypedValue.COMPLEX_UNIT_SP, 17f)
            detail.setTextSize(TypedValue.COMPLEX_UNIT_SP, 14f)
            detail.setTextColor(Tone.Quiet.color)
            addView(title)
            addView(detail)
        }
    }
}
