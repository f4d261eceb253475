package cn.huijiao.ui

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.json.JSONObject
import uniffi.huijiao_core.Tokens
import uniffi.huijiao_core.TokenStore

/** Where the key that seals the tokens lives. */
interface Keys {
    fun key(): SecretKey
}

/** A key made in the phone's AndroidKeyStore: it never leaves the secure hardware. */
object AndroidKeys : Keys {
    private const val ALIAS = "huijiao.tokens"

    override fun key(): SecretKey {
        val store = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        (store.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val gen = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore")
        gen.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return gen.generateKey()
    }
}

/**
 * The core's token store: the tokens sealed with AES-GCM under [keys]' key, in app-private
 * preferences. A seal that cannot be opened (the key was lost with a restore to another phone)
 * is forgotten: the person signs in again.
 */
class Vault(context: Context, private val keys: Keys) : TokenStore {
    private val prefs = context.getSharedPreferences("vault", Context.MODE_PRIVATE)

    override fun load(): Tokens? {
        val sealed = prefs.getString("tokens", null) ?: return null
        return try {
            val bytes = Base64.decode(sealed, Base64.NO_WRAP)
            val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(Cipher.DECRYPT_MODE, keys.key(), GCMParameterSpec(128, bytes, 0, 12))
            val json = JSONObject(String(cipher.doFinal(bytes, 12, bytes.size - 12), Charsets.UTF_8))
            Tokens(json.getString("access"), json.getString("refresh"))
        } catch (e: Exception) {
            clear()
            null
        }
    }

    override fun save(tokens: Tokens) {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, keys.key())
        val plain = JSONObject().put("access", tokens.access).put("refresh", tokens.refresh).toString()
        val sealed = cipher.iv + cipher.doFinal(plain.toByteArray(Charsets.UTF_8))
        prefs.edit().putString("tokens", Base64.encodeToString(sealed, Base64.NO_WRAP)).commit()
    }

    override fun clear() {
        prefs.edit().remove("tokens").commit()
    }
}
